import type { CommandSpec } from '../framework/command'
import { table, when, writeJson } from '../framework/output'

const shareContacts: CommandSpec = {
  usage: '[options]',
  description:
    'Teammates you can share connections with: their name, fingerprint, and whether you compared the fingerprint with them (verified).',
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep share contacts', 'bridgekeep share contacts --json'],
  async run(context) {
    const services = await context.services()
    const contacts = services.sharing.contacts()
    if (context.json) return writeJson(context.io.stdout, contacts)
    if (contacts.length === 0) {
      context.io.stdout.write(
        'No contacts yet. Ask a teammate for their share address (bridgekeep share identity), then: bridgekeep share add-contact <name> <address>\n',
      )
      return
    }
    context.io.stdout.write(
      table(contacts, [
        { header: 'NAME', value: (c) => c.name },
        { header: 'FINGERPRINT', value: (c) => c.fingerprint },
        { header: 'VERIFIED', value: (c) => (c.verifiedAt ? when(c.verifiedAt) : 'not yet') },
        { header: 'ADDED', value: (c) => when(c.createdAt) },
      ]),
    )
  },
}

export default shareContacts

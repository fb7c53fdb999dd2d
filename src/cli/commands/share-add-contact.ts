import { flag, type CommandSpec } from '../framework/command'
import { keyValues, printable, writeJson } from '../framework/output'

const shareAddContact: CommandSpec = {
  usage: '<name> <address> [options]',
  description: [
    "Adds a teammate by the share address they gave you (bkshare1:…; they see theirs with 'bridgekeep share identity').",
    'Then compare the fingerprint printed here with the one your teammate sees, aloud or in person, and mark the contact verified (--verified now, or later with share verify-contact). Shares from a verified contact import without a warning.',
  ].join('\n\n'),
  options: {
    verified: {
      type: 'boolean',
      description: 'you already compared the fingerprint with your teammate',
    },
  },
  positionals: { min: 2, max: 2 },
  json: true,
  vault: true,
  examples: ['bridgekeep share add-contact Bob bkshare1:age1…'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const [name, address] = positionals as [string, string]
    let contact = await services.sharing.addContact({ name, address })
    if (flag(values, 'verified'))
      contact = services.sharing.verifyContact({ id: contact.id, verified: true })
    if (context.json) return writeJson(context.io.stdout, contact)
    context.io.stdout.write(
      keyValues([
        ['Added', contact.name],
        ['Fingerprint', contact.fingerprint],
        ['Verified', contact.verifiedAt ? 'yes' : 'not yet'],
      ]),
    )
    if (!contact.verifiedAt)
      context.io.stdout.write(
        `\nCompare the fingerprint with ${printable(contact.name)}, then: bridgekeep share verify-contact "${printable(contact.name)}"\n`,
      )
  },
}

export default shareAddContact

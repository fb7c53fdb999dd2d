import { flag, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import { findContact } from '../sharing'

const shareVerifyContact: CommandSpec = {
  usage: '<contact> [--undo] [options]',
  description:
    '<contact> is a name or fingerprint. Marks the contact verified once you compared fingerprints with them aloud or in person and they matched; --undo takes it back.',
  options: { undo: { type: 'boolean', description: 'mark the contact not verified' } },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep share verify-contact Bob'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const contact = findContact(services, positionals[0]!)
    const updated = services.sharing.verifyContact({
      id: contact.id,
      verified: !flag(values, 'undo'),
    })
    if (context.json) return writeJson(context.io.stdout, updated)
    context.io.stdout.write(
      updated.verifiedAt
        ? `${printable(updated.name)} is verified (${updated.fingerprint}).\n`
        : `${printable(updated.name)} is no longer verified.\n`,
    )
  },
}

export default shareVerifyContact

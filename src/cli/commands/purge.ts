import type { CommandSpec } from '../framework/command'
import { confirmationRequired } from '../framework/errors'
import { printable, writeJson } from '../framework/output'
import { findTrashedOrLive } from '../trashed-connection'

const purge: CommandSpec = {
  usage: '<conn> --yes [options]',
  description:
    'Deletes <conn> (slug or name), which must be in the trash, for good: it and every stored version of its secrets are erased from the vault. This cannot be undone, so it needs --yes, as the app asks to confirm it.',
  options: {
    yes: { type: 'boolean', short: 'y', description: 'confirm deleting it for good' },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep purge old-aws --yes'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const connection = findTrashedOrLive(services, positionals[0]!)
    // A live connection goes on to the service, which refuses it (move it to the trash first).
    if (values.yes !== true && connection.deletedAt !== null) {
      throw confirmationRequired(
        `Purging ${connection.name} erases it and every stored version of its secrets from the vault; this cannot be undone.`,
        `purge ${connection.slug}`,
      )
    }
    services.connections.purge(connection.id)
    if (context.json)
      return writeJson(context.io.stdout, {
        id: connection.id,
        name: connection.name,
        slug: connection.slug,
        purged: true,
      })
    context.io.stdout.write(`${printable(`${connection.name} was deleted for good.`)}\n`)
  },
}

export default purge

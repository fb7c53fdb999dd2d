import { TRASH_RETENTION_DAYS } from '../../shared/connections'
import type { CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'

const rm: CommandSpec = {
  usage: '<conn> [options]',
  description: `Moves <conn> (slug or name) to the trash, as the app's "Move to trash" does: it can no longer be used, its authorizations are kept, and 'bridgekeep restore' brings it back within ${TRASH_RETENTION_DAYS} days. After that it is deleted for good.`,
  options: {},
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep rm old-aws', 'bridgekeep rm "Old AWS" --json'],
  async run(context, { positionals }) {
    const services = await context.services()
    const connection = services.connections.findByRef(positionals[0]!)
    const trashed = services.connections.trash(connection.id)
    if (context.json) return writeJson(context.io.stdout, trashed)
    context.io.stdout.write(
      `${printable(`Moved ${trashed.name} to the trash. Restore it with: bridgekeep restore ${trashed.slug}`)}\n`,
    )
  },
}

export default rm

import type { CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import { findTrashedOrLive } from '../trashed-connection'

const restore: CommandSpec = {
  usage: '<conn> [options]',
  description:
    "Brings <conn> (slug or name) back from the trash, with the authorizations it had. 'bridgekeep trash ls' lists what is there.",
  options: {},
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep restore old-aws', 'bridgekeep restore old-aws --json'],
  async run(context, { positionals }) {
    const services = await context.services()
    const found = findTrashedOrLive(services, positionals[0]!)
    const restored = services.connections.restore(found.id)
    const changed = found.deletedAt !== null
    if (context.json) return writeJson(context.io.stdout, { ...restored, changed })
    context.io.stdout.write(
      `${printable(changed ? `Restored ${restored.name} from the trash.` : `${restored.name} is not in the trash; nothing changed.`)}\n`,
    )
  },
}

export default restore

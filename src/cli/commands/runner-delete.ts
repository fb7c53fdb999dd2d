import { flag, type CommandSpec } from '../framework/command'
import { keyValues, writeJson } from '../framework/output'

const runnerDelete: CommandSpec = {
  usage: '<name> [--force] [options]',
  description: [
    'Deletes a remote runner: its certificates and API keys are revoked at once (a runner connected with them is cut off within a heartbeat) and the vault forgets it; the name can then be used again.',
    "Refused while connections name the runner in their Runner field: choose another runner for them first ('bridgekeep edit NAME --runner OTHER'), or give --force, after which their operations fail with a message naming the fix. The local runner cannot be deleted.",
  ].join('\n\n'),
  options: {
    force: {
      type: 'boolean',
      description: 'delete even though connections name it',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep runner delete build-eu'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const name = positionals[0]!
    const deleted = services.runner.deleteRunner(name, { force: flag(values, 'force') })
    if (context.json) return writeJson(context.io.stdout, { name, ...deleted })
    context.io.stdout.write(
      keyValues([
        ['Deleted', `${name} (${deleted.runnerId})`],
        ['Revoked', `${deleted.revoked} certificate(s) and API key(s)`],
      ]),
    )
    if (deleted.connections.length > 0) {
      context.io.stderr.write(
        `Warning: ${deleted.connections.length} connection(s) still name ${name} and will fail until you choose another runner for them: ${deleted.connections.join(', ')}.\n`,
      )
    }
  },
}

export default runnerDelete

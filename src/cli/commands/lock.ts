import { askAgent } from '../agent-client'
import type { CommandSpec } from '../framework/command'

const lock: CommandSpec = {
  usage: '',
  description:
    'Locks the running agent (bridgekeep agent): from then on it answers every request with "Bridgekeep is locked" until it is restarted. Without an agent there is nothing to lock: each command opens and closes the vault itself.',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ io }) {
    const status = await askAgent(io.env, { op: 'lock' })
    io.stderr.write(
      status
        ? `Locked the agent (pid ${status.pid}).\n`
        : 'No agent is running: nothing to lock (each command closes the vault when it ends).\n',
    )
  },
}

export default lock

import { agentHandler } from '../../main/agent/agent-handler'
import { agentAnswers, alreadyRunning, startAgentServer } from '../../main/agent/agent-server'
import { agentSocketPath } from '../../main/agent/socket-path'
import type { CommandSpec } from '../framework/command'
import { printable } from '../framework/output'
import { cliLogger } from '../session'

const agent: CommandSpec = {
  usage: '[options]',
  description: [
    'Unlocks the vault as every command does (keychain, or BRIDGEKEEP_PASSPHRASE or a prompt for a',
    'passphrase vault) and keeps it open for the bridgekeep command: exec, aws credential-process,',
    'ls, show, verify and env ls then ask the agent over a socket only you can open (0600, in a',
    '0700 folder: $XDG_RUNTIME_DIR/bridgekeep, or <data folder>/agent with BRIDGEKEEP_HOME) instead',
    'of opening the vault each time. Each use is resolved, authorized and audited as in-process,',
    "with the caller's pid. Runs in the foreground until SIGTERM or Ctrl-C, then removes its",
    'socket; bridgekeep lock locks it. resources/bridgekeep-agent.service runs it under systemd.',
  ].join('\n'),
  options: {},
  positionals: { min: 0, max: 0 },
  vault: true,
  examples: ['bridgekeep agent', 'systemctl --user enable --now bridgekeep-agent'],
  async run(context) {
    const { io } = context
    const socketPath = agentSocketPath(io.env)
    // Before unlocking: a second agent should not ask for a passphrase only to refuse.
    if (await agentAnswers(socketPath)) throw alreadyRunning(socketPath)
    const services = await context.services()
    const server = await startAgentServer({
      socketPath,
      dataDir: services.appInfo.dataDir,
      log: cliLogger(io),
      handle: agentHandler(services, {
        socketPath,
        lockedHint:
          'The agent cannot ask for a passphrase: restart it to unlock (systemctl --user restart bridgekeep-agent, or run bridgekeep agent in a terminal), or set BRIDGEKEEP_AGENT=off to unlock in the command itself.',
      }),
    })
    io.stderr.write(
      `bridgekeep agent: serving ${printable(services.appInfo.dataDir)} on ${printable(socketPath)} (pid ${process.pid}). Stop it with Ctrl-C or SIGTERM.\n`,
    )
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const stop = (received: NodeJS.Signals) => {
        process.removeListener('SIGTERM', stop)
        process.removeListener('SIGINT', stop)
        resolve(received)
      }
      process.on('SIGTERM', stop)
      process.on('SIGINT', stop)
    })
    await server.close()
    io.stderr.write(`bridgekeep agent: stopped (${signal}).\n`)
  },
}

export default agent

import { setTimeout as sleep } from 'node:timers/promises'
import { agentHandler } from '../../main/agent/agent-handler'
import { startAgentServer } from '../../main/agent/agent-server'
import { agentAnswers, alreadyRunning } from '../../main/agent/claim-socket'
import { agentSocketPath } from '../../main/agent/socket-path'
import type { BridgekeepError } from '../../shared/errors'
import { isBridgekeepError } from '../../shared/errors'
import { askAgent } from '../agent-client'
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
    "with the caller's pid. Each request carries the token the agent writes at start to",
    '<data folder>/agent.token (0600): a process of another user cannot read it and is refused',
    '(and audited). Runs in the foreground until SIGTERM or Ctrl-C, then removes its socket and',
    'token; bridgekeep lock locks it, bridgekeep unlock unlocks it again.',
    'resources/bridgekeep-agent.service runs it under systemd.',
  ].join('\n'),
  options: {},
  positionals: { min: 0, max: 0 },
  vault: true,
  examples: ['bridgekeep agent', 'systemctl --user enable --now bridgekeep-agent'],
  async run(context) {
    const { io } = context
    const socketPath = agentSocketPath(io.env)
    // Before unlocking: a second agent should not ask for a passphrase only to refuse.
    const running = await runningAgent(io.env, socketPath)
    if (running) throw running
    const services = await context.services()
    const server = await startAgentServer({
      socketPath,
      dataDir: services.appInfo.dataDir,
      log: cliLogger(io),
      audit: services.audit,
      handle: agentHandler(services, {
        socketPath,
        lockedHint:
          'The agent cannot ask for a passphrase: unlock it with bridgekeep unlock (the keychain, or the passphrase from BRIDGEKEEP_PASSPHRASE_FILE or the terminal), or set BRIDGEKEEP_AGENT=off to unlock in the command itself.',
      }),
    }).catch(async (error: unknown) => {
      // Another agent started meanwhile and won the socket: name it as above.
      const conflict = isBridgekeepError(error) && error.code === 'CONFLICT'
      throw (conflict && (await runningAgent(io.env, socketPath))) || error
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

/** The agent answering on `socketPath` (with its pid when it tells), or undefined if none does. */
async function runningAgent(
  env: Record<string, string | undefined>,
  socketPath: string,
): Promise<BridgekeepError | undefined> {
  if (!(await agentAnswers(socketPath))) return undefined
  // An agent that has just bound may not have published its token yet (two started at once,
  // a loaded machine): ask again for a moment before naming it without its pid.
  for (let attempt = 0; attempt < STATUS_ATTEMPTS; attempt++) {
    const status = await askAgent(env, { op: 'status' }).catch(() => undefined)
    if (status?.pid) return alreadyRunning(socketPath, status.pid)
    await sleep(STATUS_RETRY_MS)
  }
  return alreadyRunning(socketPath)
}

const STATUS_ATTEMPTS = 15
const STATUS_RETRY_MS = 200

export default agent

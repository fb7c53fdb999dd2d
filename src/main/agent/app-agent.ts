import type { Logger } from '../log'
import type { Services } from '../services'
import type { HostedAgentStatus } from '../../shared/ipc/features/command-line'
import { isBridgekeepError } from '../../shared/errors'
import { agentHandler } from './agent-handler'
import { startAgentServer, type AgentHandler, type AgentServer } from './agent-server'
import { agentAnswers } from './claim-socket'

/** What a CLI call hears while the app's vault is locked: unlike a headless agent, it can be unlocked. */
export const APP_LOCKED_HINT =
  'Unlock Bridgekeep in its window (or run bridgekeep unlock) and run the command again, or set BRIDGEKEEP_AGENT=off to unlock in the command itself.'

export interface AppAgentOptions {
  services: Services
  socketPath: string
  log: Logger
  /** After each request served: what it did happened outside the window's own calls. */
  onServed?: () => void
}

/**
 * The agent the app hosts while it runs, window open or not: the same protocol, socket and
 * handling as `bridgekeep agent`, over the app's own services, so a CLI call is served by the
 * vault the window unlocked and refused ("Bridgekeep is locked") while it is locked. Another agent
 * already on the socket (`bridgekeep agent` under systemd) is left serving: the app logs it, shows
 * it in Settings, and takes over when it is asked for its status after that agent has gone.
 */
export class AppAgent {
  private server: AgentServer | undefined
  private current: HostedAgentStatus
  private stopped = false
  private starting: Promise<HostedAgentStatus> | undefined

  constructor(private readonly options: AppAgentOptions) {
    this.current = { state: 'off', socket: options.socketPath }
  }

  /** Starts serving, unless another agent answers; never throws (the app runs without it). */
  start(): Promise<HostedAgentStatus> {
    this.stopped = false
    this.starting ??= this.listen().finally(() => (this.starting = undefined))
    return this.starting
  }

  /** Where things stand; an agent that was elsewhere or failed is tried again first. */
  async status(): Promise<HostedAgentStatus> {
    if (this.starting) return this.starting
    if (!this.stopped && this.current.state !== 'serving') return this.start()
    return this.current
  }

  /** Stops serving and removes the socket (at quit). */
  async stop(): Promise<void> {
    this.stopped = true
    await this.starting
    const server = this.server
    this.server = undefined
    this.current = { state: 'off', socket: this.options.socketPath }
    await server?.close()
  }

  private servedNotice(handle: AgentHandler): AgentHandler {
    const { onServed } = this.options
    if (!onServed) return handle
    return async (...request) => {
      try {
        return await handle(...request)
      } finally {
        onServed()
      }
    }
  }

  private async listen(): Promise<HostedAgentStatus> {
    const { services, socketPath, log } = this.options
    const elsewhere: HostedAgentStatus = { state: 'elsewhere', socket: socketPath }
    try {
      // Checked first so that a running `bridgekeep agent` is not even raced for the socket.
      if (await agentAnswers(socketPath)) {
        log.warn('agent.elsewhere', { socket: socketPath })
        return (this.current = elsewhere)
      }
      const server = await startAgentServer({
        socketPath,
        dataDir: services.appInfo.dataDir,
        log,
        audit: services.audit,
        handle: this.servedNotice(
          agentHandler(services, {
            socketPath,
            lockedHint: APP_LOCKED_HINT,
            // A CLI call that needs an MFA code gets it from the window, not its terminal.
            askMfa: services.mfaPrompts.ask,
          }),
        ),
      })
      if (this.stopped) {
        // Quit while the socket was being set up: do not leave it behind.
        await server.close()
        return this.current
      }
      this.server = server
      return (this.current = { state: 'serving', socket: socketPath })
    } catch (error) {
      if (isBridgekeepError(error) && error.code === 'CONFLICT') {
        log.warn('agent.elsewhere', { socket: socketPath })
        return (this.current = elsewhere)
      }
      const problem = isBridgekeepError(error)
        ? error.message
        : `The agent could not listen on ${socketPath} (${(error as NodeJS.ErrnoException)?.code ?? 'error'}).`
      log.error('agent.not-started', { socket: socketPath, problem })
      return (this.current = { state: 'off', socket: socketPath, problem })
    }
  }
}

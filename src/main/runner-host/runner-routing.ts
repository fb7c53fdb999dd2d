import { BridgekeepError } from '../../shared/errors'
import { LOCAL_RUNNER_NAME } from '../../shared/runner-protocol/status'
import type { ControlEndpoint } from './control-endpoint'
import { runnerNotConnected, runnerUnknown } from './named-runner'
import { LOCAL_RUNNER_ID, type RunnerIdentity } from './runner-identity'
import type { RunnerSession } from './runner-session'
import type { Supervisor, SupervisorTimings } from './supervisor'

/**
 * How long an operation for a named remote runner waits for it to connect. A runner that is
 * restarting or redialing after a network blip is back within a second or two (it retries after
 * one second); waiting longer would only stall a Verify all behind a runner that is down.
 */
export const RUNNER_CONNECT_WAIT_MS = 5_000

interface RunnerRoutingOptions {
  control: Pick<ControlEndpoint, 'sessions' | 'servesControl'>
  supervisor: Pick<Supervisor, 'currentSession' | 'snapshot'>
  identity: Pick<RunnerIdentity, 'runnerByName'>
  timings: SupervisorTimings
  /** Starts the local runner (RunnerService.start: audited). */
  startLocal: () => Promise<unknown>
}

/**
 * Which connected runner (session) takes an operation: the local runner, started on demand, or
 * the remote runner a connection names, waited for up to RUNNER_CONNECT_WAIT_MS.
 */
export class RunnerRouting {
  constructor(private readonly options: RunnerRoutingOptions) {}

  /**
   * Resolves once a runner can take operations: a connected one, or the local runner, started
   * here if it is not running; with a remote runner's name, once that one is connected (see
   * waitForNamed). What needs the runner (a verify) calls this first.
   */
  async ensureReady(runnerName?: string): Promise<void> {
    if (runnerName && runnerName !== LOCAL_RUNNER_NAME) {
      await this.waitForNamed(runnerName)
      return
    }
    const { supervisor, timings } = this.options
    // Named local: only the local runner will do; unnamed: any connected runner.
    const ready = () =>
      runnerName === LOCAL_RUNNER_NAME ? supervisor.currentSession() : this.connectedSession()
    if (ready()) return
    const { state } = supervisor.snapshot()
    if (state === 'stopped' || state === 'failed') await this.options.startLocal()
    const deadline = Date.now() + timings.startTimeoutMs + 1000
    while (!ready()) {
      const now = supervisor.snapshot()
      if (now.state === 'stopped' || now.state === 'failed' || Date.now() > deadline) {
        throw new BridgekeepError(
          'RUNNER_UNAVAILABLE',
          `The local runner did not start${now.lastError ? `: ${now.lastError.message}` : '.'}`,
          'Open the Runner page to see its log, then start it again.',
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /**
   * The id of the runner a connection names (`local`, or a remote runner's name, waited for), or
   * undefined without a name (any connected runner will do).
   */
  async runnerIdFor(runnerName: string | undefined): Promise<string | undefined> {
    if (runnerName === LOCAL_RUNNER_NAME) {
      const runnerId = this.options.supervisor.currentSession()?.info.runnerId
      if (!runnerId) {
        throw new BridgekeepError(
          'RUNNER_UNAVAILABLE',
          'The local runner is not running.',
          'Start it from the Runner page, then try again.',
        )
      }
      return runnerId
    }
    return runnerName ? this.waitForNamed(runnerName) : undefined
  }

  /** The session of that runner, or, without an id, the local runner's, else any remote one's. */
  pickSession(runnerId: string | undefined): RunnerSession {
    const sessions = this.open()
    const chosen = runnerId
      ? sessions.find((session) => session.info.runnerId === runnerId)
      : (this.options.supervisor.currentSession() ??
        sessions.find((session) => session.info.runnerId !== LOCAL_RUNNER_ID))
    if (!chosen) {
      throw new BridgekeepError(
        'RUNNER_UNAVAILABLE',
        runnerId ? `Runner ${runnerId} is not connected.` : 'No runner is connected.',
        'Start the runner from the Runner page (or start yours with its credentials file).',
      )
    }
    return chosen
  }

  /**
   * The id of the runner a connection names, once it is connected: waits up to
   * RUNNER_CONNECT_WAIT_MS for it, and says when it was last seen otherwise. A process that does
   * not host the control endpoint (the CLI, `bridgekeep agent`) cannot reach it: it says so at once.
   */
  private async waitForNamed(name: string): Promise<string> {
    const { identity, control } = this.options
    const row = identity.runnerByName(name)
    if (!row) throw runnerUnknown(name)
    const appHere = control.servesControl()
    const deadline = Date.now() + (appHere ? RUNNER_CONNECT_WAIT_MS : 0)
    for (;;) {
      if (this.open().some((session) => session.info.runnerId === row.id)) return row.id
      if (Date.now() >= deadline) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const seen = identity.runnerByName(name)?.last_contact_at ?? row.last_contact_at
    throw runnerNotConnected(name, seen, appHere)
  }

  private open(): RunnerSession[] {
    return this.options.control.sessions().filter((session) => !session.isClosed)
  }

  private connectedSession(): RunnerSession | undefined {
    return this.options.supervisor.currentSession() ?? this.open()[0]
  }
}

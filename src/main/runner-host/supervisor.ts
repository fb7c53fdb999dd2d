import type { RunnerState } from '../../shared/runner-protocol/status'
import type { Logger } from '../log'
import type { ProcessLauncher, RunnerProcess } from './process-launcher'
import type { RunnerSession } from './runner-session'

export interface SupervisorTimings {
  /** How often the runner sends a heartbeat. */
  heartbeatMs: number
  /** Silence after which the runner counts as degraded... */
  degradedAfterMs: number
  /** ...and after which it is killed and restarted. */
  killAfterMs: number
  /** From launch to an authenticated connection. */
  startTimeoutMs: number
  backoffInitialMs: number
  backoffMaxMs: number
  /** `crashLimit` crashes within `crashWindowMs` stop the runner as failed. */
  crashWindowMs: number
  crashLimit: number
  /** SIGTERM, then SIGKILL after this long. */
  stopGraceMs: number
}

export const DEFAULT_TIMINGS: SupervisorTimings = {
  heartbeatMs: 1000,
  degradedAfterMs: 2500,
  killAfterMs: 5000,
  startTimeoutMs: 15_000,
  backoffInitialMs: 1000,
  backoffMaxMs: 30_000,
  crashWindowMs: 120_000,
  crashLimit: 5,
  stopGraceMs: 5000,
}

export interface SupervisorSnapshot {
  state: RunnerState
  since: number
  pid: number | null
  readyAt: number | null
  restarts: number
  recentCrashes: number
  nextRestartAt: number | null
  lastError: { message: string; at: number } | null
}

export interface SupervisorOptions {
  launcher: ProcessLauncher
  /** The local runner's enrollment (JSON); asked for at every launch. */
  enrollment: () => Promise<string>
  timings: SupervisorTimings
  log: Logger
  /** Every line the runner prints. */
  onLine?: (line: string) => void
  onChange?: (snapshot: SupervisorSnapshot) => void
  /** An unplanned exit: the reason, and whether it stopped the runner for good (failed). */
  onCrash?: (reason: string, failed: boolean) => void
}

/**
 * Keeps the local runner process alive: launch, wait for its authenticated connection, watch its
 * heartbeats, kill it when it falls silent, restart it with exponential backoff, and give up
 * (failed) after too many crashes in a short time.
 */
export class Supervisor {
  private state: RunnerState = 'stopped'
  private since = Date.now()
  private child: RunnerProcess | undefined
  private session: RunnerSession | undefined
  private readyAt: number | null = null
  private restarts = 0
  private crashes: number[] = []
  private nextRestartAt: number | null = null
  private lastError: { message: string; at: number } | null = null
  private lastBeat = 0
  private killReason: string | undefined
  private lastOutput: string | undefined
  private stopping = false
  private stopWaiters: (() => void)[] = []
  private startTimer: NodeJS.Timeout | undefined
  private restartTimer: NodeJS.Timeout | undefined
  private monitor: NodeJS.Timeout | undefined
  private graceTimer: NodeJS.Timeout | undefined
  private generation = 0

  constructor(private readonly options: SupervisorOptions) {}

  snapshot(): SupervisorSnapshot {
    return {
      state: this.state,
      since: this.since,
      pid: this.child?.pid ?? null,
      readyAt: this.readyAt,
      restarts: this.restarts,
      recentCrashes: this.recentCrashes(Date.now()),
      nextRestartAt: this.nextRestartAt,
      lastError: this.lastError,
    }
  }

  /** The runner's session while it is connected. */
  currentSession(): RunnerSession | undefined {
    return this.session && !this.session.isClosed ? this.session : undefined
  }

  /** Starts the runner (a no-op while it runs). After `failed`, starts afresh. */
  async start(): Promise<void> {
    if (this.child || this.state === 'restarting') return
    this.crashes = []
    this.clearRestart()
    await this.launch(true)
  }

  /** Stops the runner: SIGTERM, then SIGKILL after the grace period. Resolves once it exited. */
  async stop(): Promise<void> {
    this.clearRestart()
    const child = this.child
    if (!child) {
      if (this.state !== 'failed') this.setState('stopped')
      return
    }
    this.stopping = true
    const exited = new Promise<void>((resolve) => this.stopWaiters.push(resolve))
    child.kill('SIGTERM')
    this.graceTimer = setTimeout(() => {
      this.options.log.warn('runner.stop-forced', { graceMs: this.options.timings.stopGraceMs })
      child.kill('SIGKILL')
    }, this.options.timings.stopGraceMs)
    await exited
  }

  async restart(): Promise<void> {
    await this.stop()
    this.restarts++
    this.crashes = []
    await this.launch(true)
  }

  /**
   * A local runner connected and proved itself. It is ours if it is the process we launched;
   * anything else (a leftover from before a restart) is refused.
   */
  attach(session: RunnerSession): boolean {
    if (!this.child || session.info.pid !== this.child.pid) return false
    this.session?.close()
    this.session = session
    clearTimeout(this.startTimer)
    this.lastBeat = Date.now()
    this.readyAt = Date.now()
    this.lastError = null
    session.onHeartbeat(() => {
      this.lastBeat = Date.now()
      if (this.state === 'degraded' && this.session === session) this.setState('ready')
    })
    session.onClose(() => {
      // A local runner exits by itself when its connection goes; the monitor kills it otherwise.
      if (this.session === session && this.child && !this.stopping) this.setState('degraded')
    })
    clearInterval(this.monitor)
    this.monitor = setInterval(
      () => this.checkHeartbeats(),
      Math.max(10, this.options.timings.heartbeatMs / 2),
    )
    this.monitor.unref()
    this.setState('ready')
    return true
  }

  /** `asked`: the user (or the app) asked for it; a failure to launch is theirs to see, not a crash. */
  private async launch(asked = false): Promise<void> {
    const generation = ++this.generation
    this.stopping = false
    this.killReason = undefined
    this.lastOutput = undefined
    this.setState('starting')
    let enrollment: string
    let child: RunnerProcess
    try {
      enrollment = await this.options.enrollment()
      if (generation !== this.generation) return
      child = this.options.launcher.launch(enrollment)
    } catch (error) {
      const message = error instanceof Error ? error.message : 'The runner could not be started.'
      if (asked) {
        this.lastError = { message, at: Date.now() }
        this.options.log.warn('runner.start-failed', { reason: message })
        this.setState('stopped')
      } else {
        this.crashed(message)
      }
      throw error
    }
    this.child = child
    this.options.log.info('runner.launched', {
      pid: child.pid ?? 0,
      launcher: this.options.launcher.kind,
    })
    child.onLine((line) => {
      if (!line.startsWith('{')) this.lastOutput = line.slice(0, 300)
      this.options.onLine?.(line)
    })
    child.onExit((code, signal) => this.exited(child, code, signal))
    this.startTimer = setTimeout(
      () =>
        this.kill(
          `The runner did not connect within ${this.options.timings.startTimeoutMs} ms of starting.`,
        ),
      this.options.timings.startTimeoutMs,
    )
    this.setState('starting')
  }

  private checkHeartbeats(): void {
    if (!this.child || this.stopping || !this.session) return
    const silent = Date.now() - this.lastBeat
    const { degradedAfterMs, killAfterMs } = this.options.timings
    if (silent > killAfterMs) {
      this.options.log.warn('runner.heartbeat-missed', {
        silentMs: silent,
        pid: this.child.pid ?? 0,
      })
      this.kill(`The runner sent no heartbeat for ${silent} ms and was killed.`)
    } else if (silent > degradedAfterMs && this.state === 'ready') {
      this.setState('degraded')
    }
  }

  private kill(reason: string): void {
    if (!this.child || this.killReason) return
    this.killReason = reason
    this.child.kill('SIGKILL')
  }

  private exited(child: RunnerProcess, code: number | null, signal: string | null): void {
    if (child !== this.child) return
    clearTimeout(this.startTimer)
    clearTimeout(this.graceTimer)
    clearInterval(this.monitor)
    this.child = undefined
    this.session?.close()
    this.session = undefined
    this.readyAt = null
    if (this.stopping) {
      this.stopping = false
      this.options.log.info('runner.stopped', { code: code ?? -1, signal: signal ?? '' })
      this.setState('stopped')
      for (const resolve of this.stopWaiters.splice(0)) resolve()
      return
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
    const reason =
      this.killReason ??
      (this.lastOutput ? `The runner ${how}: ${this.lastOutput}` : `The runner ${how}.`)
    this.crashed(reason)
  }

  private crashed(reason: string): void {
    const now = Date.now()
    this.crashes.push(now)
    const recent = this.recentCrashes(now)
    this.lastError = { message: reason, at: now }
    const { crashLimit, backoffInitialMs, backoffMaxMs } = this.options.timings
    const failed = recent >= crashLimit
    this.options.log.error('runner.crashed', { reason, recentCrashes: recent, failed })
    this.setState('crashed')
    this.options.onCrash?.(reason, failed)
    if (failed) {
      this.setState('failed')
      return
    }
    const delay = Math.min(backoffMaxMs, backoffInitialMs * 2 ** (recent - 1))
    this.nextRestartAt = now + delay
    this.setState('restarting')
    this.restartTimer = setTimeout(() => {
      this.nextRestartAt = null
      this.restarts++
      this.launch().catch(() => undefined) // recorded as a crash by launch itself
    }, delay)
  }

  private recentCrashes(now: number): number {
    this.crashes = this.crashes.filter((at) => now - at < this.options.timings.crashWindowMs)
    return this.crashes.length
  }

  private clearRestart(): void {
    clearTimeout(this.restartTimer)
    this.restartTimer = undefined
    this.nextRestartAt = null
  }

  private setState(state: RunnerState): void {
    if (state !== this.state) {
      this.state = state
      this.since = Date.now()
    }
    this.options.onChange?.(this.snapshot())
  }
}

import { isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { Vault } from '../vault/vault'
import type { HealthService } from './health-service'
import type { HealthStatus } from './health-status'

export interface HealthSchedulerOptions {
  health: Pick<HealthService, 'verify'>
  /** What is due when. */
  status: Pick<HealthStatus, 'scheduleNew' | 'due' | 'nextDue' | 'postpone'>
  vault: Pick<Vault, 'status'>
  log: Logger
  /** Scheduled checks in flight at once: fewer than Verify all, this runs in the background. */
  concurrency?: number
  /** The longest sleep between looks at the schedule (a new connection, an unlock). */
  pollMs?: number
  now?: () => Date
}

const BATCH = 50

/**
 * Runs each connection's check when it is due, while the vault is unlocked: a few at a time,
 * each at its own jittered time (HealthStatus computes when; failures back off there).
 */
export class HealthScheduler {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<number> | undefined
  private started = false
  /** Set by stop(): a tick in progress ends after the checks in flight. */
  private stopping = false

  constructor(private readonly options: HealthSchedulerOptions) {}

  start(): void {
    if (this.started) return
    this.started = true
    this.stopping = false
    this.arm(0)
  }

  async stop(): Promise<void> {
    this.started = false
    this.stopping = true
    clearTimeout(this.timer)
    await this.running
  }

  /** One look at the schedule: runs what is due and returns how many checks ran. */
  async tick(): Promise<number> {
    if (this.options.vault.status().state !== 'unlocked') return 0
    const { health, status } = this.options
    status.scheduleNew()
    let ran = 0
    for (;;) {
      const due = status.due(BATCH)
      if (due.length === 0 || this.stopping) return ran
      const queue = [...due]
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          try {
            await health.verify({ connectionId: id }, { scheduled: true })
          } catch (error) {
            // Not authorized anywhere, runner down, vault locked: try again a turn later.
            if (this.options.vault.status().state !== 'unlocked') return
            status.postpone(id)
            this.options.log.info('health.check-postponed', {
              code: isBridgekeepError(error) ? error.code : 'INTERNAL',
            })
          }
          ran++
        }
      }
      const concurrency = Math.max(1, this.options.concurrency ?? 2)
      await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker))
      if (this.options.vault.status().state !== 'unlocked') return ran
    }
  }

  private arm(delayMs: number): void {
    if (!this.started) return
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error: unknown) => {
          this.options.log.warn('health.scheduler-failed', {
            code: isBridgekeepError(error) ? error.code : 'INTERNAL',
          })
          return 0
        })
        .finally(() => {
          this.running = undefined
          this.arm(this.untilNext())
        })
    }, delayMs)
    this.timer.unref()
  }

  private untilNext(): number {
    const poll = this.options.pollMs ?? 60_000
    if (this.options.vault.status().state !== 'unlocked') return poll
    const next = this.options.status.nextDue()
    if (!next) return poll
    const now = (this.options.now ?? (() => new Date()))()
    return Math.min(poll, Math.max(1000, next.getTime() - now.getTime()))
  }
}

import type { Services } from '../services'
import { defaultSettings, type AutoLockMinutes } from '../../shared/settings'

/** Time and timers, injectable so that tests move time on instead of waiting. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // unref: a pending auto-lock never keeps a process alive.
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export interface AutoLockOptions {
  services: Pick<Services, 'settings' | 'vault' | 'vaultLifecycle' | 'events'>
  clock?: Clock
  /**
   * How long the whole computer has had no input, where the host can tell (Electron's
   * powerMonitor): typing in a terminal that uses the agent is being there too.
   */
  systemIdleMs?: () => number
}

const MINUTE = 60_000

/**
 * Locks the vault once the user has been away for the time chosen in Settings (15 minutes by
 * default). Away means no activity reported by the window (`report`) and, where the host knows
 * it, no input to the computer at all. One timer is armed for the earliest moment the vault could
 * be due; when it fires the idle time is measured again, so activity costs nothing but a number.
 */
export class AutoLock {
  private lastActivity: number
  private timer: unknown
  private readonly clock: Clock
  private readonly disconnect: () => void

  constructor(private readonly options: AutoLockOptions) {
    this.clock = options.clock ?? systemClock
    this.lastActivity = this.clock.now()
    this.disconnect = options.services.events.connect((channel) => {
      if (channel === 'vault:changed') {
        // An unlock starts the idle time afresh; a lock disarms the timer.
        if (this.unlocked()) this.lastActivity = this.clock.now()
        this.check()
      } else if (channel === 'settings:changed') {
        this.check()
      }
    })
    this.check()
  }

  /** The user did something in the window. */
  report(): void {
    this.lastActivity = this.clock.now()
  }

  stop(): void {
    this.disconnect()
    this.disarm()
  }

  /** Locks if the user has been away long enough, otherwise arms the timer for when they might be. */
  private check(): void {
    this.disarm()
    const minutes = this.minutes()
    if (minutes === 0 || !this.unlocked()) return
    const limit = minutes * MINUTE
    const idle = Math.min(
      this.clock.now() - this.lastActivity,
      this.options.systemIdleMs?.() ?? Infinity,
    )
    if (idle >= limit) {
      this.options.services.vaultLifecycle.lock(`Locked: idle for ${minutes} min`)
      return
    }
    this.timer = this.clock.setTimeout(() => this.check(), limit - idle)
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Without reading the database: a vault file too damaged to open must not stop the app. */
  private unlocked(): boolean {
    return this.options.services.vault.isUnlocked()
  }

  /** A settings file that cannot be read (shown in Settings) keeps the default, never "never". */
  private minutes(): AutoLockMinutes {
    try {
      return this.options.services.settings.get().autoLockMinutes
    } catch {
      return defaultSettings.autoLockMinutes
    }
  }
}

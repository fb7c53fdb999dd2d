import { dataVersion } from '../db/database'
import type { Services } from '../services'

export interface VaultDataWatchOptions {
  services: Pick<Services, 'vault' | 'events'>
  /** How often SQLite is asked; a change shows in the window within this time. */
  intervalMs?: number
}

/**
 * Tells the window when the vault changed behind its back, so that what the CLI adds, authorizes
 * or rotates while the app is open shows within half a second, without the window polling.
 *
 * SQLite's `data_version` changes exactly when another connection (another process: the CLI,
 * a second app) commits to the database, and costs one pragma to read, so one cheap query every
 * half second while the vault is unlocked is the whole price. Changes made through the app's own
 * agent go through this process's connection, which `data_version` does not count: the agent
 * calls `touched()` instead. Either way at most one `vault:dataChanged` goes out per interval, so
 * a script calling the agent in a loop does not make every screen refetch in a loop.
 */
export class VaultDataWatch {
  private lastVersion: number | undefined
  private touchedSince = false
  private readonly timer: NodeJS.Timeout

  constructor(private readonly options: VaultDataWatchOptions) {
    this.timer = setInterval(() => this.check(), options.intervalMs ?? 500)
    // A watch never keeps a process (a test, the e2e host) alive.
    this.timer.unref()
  }

  /** This process changed the vault outside the window's own calls (the agent served a request). */
  touched(): void {
    this.touchedSince = true
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private check(): void {
    const { vault, events } = this.options.services
    // Locked, the window shows no vault data; the next unlock reloads it all anyway.
    if (!vault.isUnlocked()) {
      this.lastVersion = undefined
      this.touchedSince = false
      return
    }
    const version = dataVersion(vault.database())
    const changedElsewhere = this.lastVersion !== undefined && version !== this.lastVersion
    this.lastVersion = version
    if (!changedElsewhere && !this.touchedSince) return
    this.touchedSince = false
    events.emit('vault:dataChanged', {})
  }
}

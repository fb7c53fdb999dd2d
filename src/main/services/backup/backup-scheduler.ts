import { accessSync, constants, existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import {
  backupSchedulePatchSchema,
  type BackupSchedule,
  type BackupSchedulePatch,
  type BackupStatus,
} from '../../../shared/backup'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { parseInput } from '../../../shared/validation'
import { systemClock, type Clock } from '../../desktop/auto-lock'
import type { Logger } from '../../log'
import type { Vault } from '../vault/vault'
import type { SettingsStore } from '../settings/settings-store'
import type { BackupService } from './backup-service'
import { backupFileName, backupTimeOf } from './backup-names'

export interface BackupSchedulerOptions {
  backup: Pick<BackupService, 'createFile'>
  settings: Pick<SettingsStore, 'get' | 'update'>
  vault: Pick<Vault, 'isUnlocked'>
  log: Logger
  /** Time and timers (tests move a manual clock on); the system clock otherwise. */
  clock?: Clock
  /** How often the schedule is looked at. */
  pollMs?: number
}

const HOUR_MS = 60 * 60 * 1000

/** What one look at the schedule did. */
export type BackupTick = 'no-folder' | 'locked' | 'not-due' | 'written' | 'failed'

/**
 * Scheduled backups: while the vault is unlocked and a folder is set, writes
 * `bridgekeep-YYYYMMDD-HHMMSS.bkbackup` into it when the newest such file is older than the
 * interval, then removes the oldest files of that pattern beyond the number to keep (no other
 * file in the folder is ever touched). When the last backup was is read from the folder itself,
 * so it holds across restarts and backups made by another copy of the app. A failure is logged
 * (its code only) and kept for the Backups screen until a backup works again.
 */
export class BackupScheduler {
  private readonly clock: Clock
  private timer: unknown
  private started = false
  private running: Promise<BackupTick> | undefined
  private lastError: BackupStatus['lastError'] = null

  constructor(private readonly options: BackupSchedulerOptions) {
    this.clock = options.clock ?? systemClock
  }

  start(): void {
    if (this.started) return
    this.started = true
    this.arm(0)
  }

  async stop(): Promise<void> {
    this.started = false
    this.clock.clearTimeout(this.timer)
    await this.running
  }

  /** One look at the schedule (the timer's; tests call it directly). */
  tick(): Promise<BackupTick> {
    this.running ??= this.due()
      .then(async (due) => {
        if (due !== true) return due
        await this.write()
        return 'written' as const
      })
      .catch((error: unknown) => {
        this.record(error)
        return 'failed' as const
      })
      .finally(() => (this.running = undefined))
    return this.running
  }

  status(): BackupStatus {
    const schedule = this.schedule()
    const newest = schedule.backupFolder ? this.newest(schedule.backupFolder) : undefined
    const next = newest
      ? new Date(newest.time.getTime() + schedule.backupEveryHours * HOUR_MS)
      : new Date(this.clock.now())
    return {
      schedule,
      lastBackupAt: newest?.time.toISOString() ?? null,
      lastBackupFile: newest?.name ?? null,
      nextBackupAt: schedule.backupFolder ? next.toISOString() : null,
      lastError: this.lastError,
    }
  }

  /** Changes the schedule; a folder must exist and be writable. Looks at it again at once. */
  setSchedule(raw: BackupSchedulePatch): BackupStatus {
    const patch = parseInput(backupSchedulePatchSchema, raw)
    if (patch.backupFolder) checkFolder(patch.backupFolder)
    this.options.settings.update(patch)
    this.lastError = null
    if (this.started) this.arm(0)
    return this.status()
  }

  /** A backup into the folder now, whatever the schedule says; its failure is thrown. */
  async runNow(): Promise<BackupStatus> {
    await this.running
    try {
      await this.write()
    } catch (error) {
      this.record(error)
      throw error
    }
    return this.status()
  }

  private schedule(): BackupSchedule {
    const { backupFolder, backupKeep, backupEveryHours } = this.options.settings.get()
    return { backupFolder, backupKeep, backupEveryHours }
  }

  /** true when a backup is due now, or why not. */
  private async due(): Promise<true | BackupTick> {
    const { backupFolder, backupEveryHours } = this.schedule()
    if (!backupFolder) return 'no-folder'
    if (!this.options.vault.isUnlocked()) return 'locked'
    const newest = this.newest(backupFolder)
    if (newest && this.clock.now() - newest.time.getTime() < backupEveryHours * HOUR_MS)
      return 'not-due'
    return true
  }

  /** Writes a backup into the folder and prunes what is beyond the number to keep. */
  private async write(): Promise<void> {
    const { backupFolder, backupKeep } = this.schedule()
    if (!backupFolder)
      throw new BridgekeepError(
        'VALIDATION',
        'No backup folder is set.',
        'Choose a folder for backups first.',
      )
    checkFolder(backupFolder)
    let name = backupFileName(new Date(this.clock.now()))
    // Names go by the second: a backup made this very second (the one saving a folder starts,
    // then Back up now) has taken the name, and a backup never overwrites a file. Wait for the
    // next second rather than fail.
    if (existsSync(join(backupFolder, name))) {
      await new Promise<void>((done) =>
        this.clock.setTimeout(done, 1000 - (this.clock.now() % 1000)),
      )
      name = backupFileName(new Date(this.clock.now()))
    }
    await this.options.backup.createFile(join(backupFolder, name))
    this.prune(backupFolder, backupKeep)
    this.lastError = null
  }

  /** Keeps a failure for the Backups screen and logs its code (never its text: it names paths). */
  private record(error: unknown): void {
    const shape = isBridgekeepError(error)
      ? error.toShape()
      : { code: 'INTERNAL' as const, message: 'The backup could not be written.' }
    this.lastError = {
      code: shape.code,
      message: shape.message,
      ...(shape.hint ? { hint: shape.hint } : {}),
      at: new Date(this.clock.now()).toISOString(),
    }
    this.options.log.warn('backup.scheduled-failed', { code: shape.code })
  }

  /** Our backups in the folder, newest first (by the time in their names). */
  private ours(folder: string): { name: string; time: Date }[] {
    let names: string[]
    try {
      names = readdirSync(folder)
    } catch {
      return []
    }
    return names
      .map((name) => ({ name, time: backupTimeOf(name) }))
      .filter((entry): entry is { name: string; time: Date } => entry.time !== undefined)
      .sort((a, b) => b.time.getTime() - a.time.getTime())
  }

  private newest(folder: string): { name: string; time: Date } | undefined {
    return this.ours(folder)[0]
  }

  /** Removes our backups beyond the newest `keep`; only regular files of our pattern. */
  private prune(folder: string, keep: number): void {
    for (const { name } of this.ours(folder).slice(keep)) {
      const path = join(folder, name)
      try {
        if (statSync(path).isFile()) rmSync(path)
      } catch (error) {
        this.options.log.warn('backup.prune-failed', {
          code: (error as NodeJS.ErrnoException).code ?? 'error',
        })
      }
    }
  }

  private arm(ms: number): void {
    this.clock.clearTimeout(this.timer)
    if (!this.started) return
    this.timer = this.clock.setTimeout(() => {
      void this.tick().finally(() => this.arm(this.options.pollMs ?? 10 * 60 * 1000))
    }, ms)
  }
}

/** A folder that exists and can be written to, or VALIDATION saying which it is not. */
function checkFolder(folder: string): void {
  const refuse = (why: string) =>
    new BridgekeepError(
      'VALIDATION',
      `The backup folder ${folder} ${why}.`,
      'Choose a folder that exists and that you can write to.',
      [{ field: 'backupFolder', message: `This folder ${why}.` }],
    )
  let isFolder: boolean
  try {
    isFolder = statSync(folder).isDirectory()
  } catch {
    throw refuse('does not exist')
  }
  if (!isFolder) throw refuse('is not a folder')
  try {
    accessSync(folder, constants.W_OK)
  } catch {
    throw refuse('cannot be written to')
  }
}

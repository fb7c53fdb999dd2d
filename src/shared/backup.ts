import { z } from 'zod'
import { safeText } from './text'

/** The largest backup the app restores or sends to the page (the vault's SQLite file, encrypted). */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024
const MAX_BACKUP_BASE64 = Math.ceil(MAX_BACKUP_BYTES / 3) * 4

/** How many scheduled backups are kept, and how often one is written, at most and by default. */
export const BACKUP_KEEP_MAX = 100
export const BACKUP_EVERY_HOURS_MAX = 24 * 30
export const DEFAULT_BACKUP_KEEP = 7
export const DEFAULT_BACKUP_EVERY_HOURS = 24

/**
 * A folder for scheduled backups: absolute (a relative path would depend on where the app was
 * started), POSIX or Windows. Whether it exists and can be written is checked by the main side.
 */
export const backupFolderSchema = safeText(
  z.string().trim().min(1, 'Choose a folder.').max(4096),
  'The backup folder',
).refine((path) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path), {
  message: 'The backup folder must be an absolute path (starting with / or a drive letter).',
})

/** The schedule's settings, as kept in settings.json (no folder: no scheduled backups). */
export const backupScheduleSchema = z.object({
  backupFolder: backupFolderSchema.nullable(),
  backupKeep: z.number().int().min(1).max(BACKUP_KEEP_MAX),
  backupEveryHours: z.number().int().min(1).max(BACKUP_EVERY_HOURS_MAX),
})
export type BackupSchedule = z.infer<typeof backupScheduleSchema>

/** A change to the schedule: only the fields given change. */
export const backupSchedulePatchSchema = backupScheduleSchema.partial().strict()
export type BackupSchedulePatch = z.infer<typeof backupSchedulePatchSchema>

const problemSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  /** When it happened (ISO 8601). */
  at: z.string(),
})

/** The Backups screen's state: the schedule, the newest backup in the folder, the last failure. */
export const backupStatusSchema = z.object({
  schedule: backupScheduleSchema,
  /** The newest scheduled backup's time and file name in the folder; null when none (or no folder). */
  lastBackupAt: z.string().nullable(),
  lastBackupFile: z.string().nullable(),
  /** When the next scheduled backup is due; null without a folder. */
  nextBackupAt: z.string().nullable(),
  /** The last scheduled or Run now backup that failed, cleared by the next one that works. */
  lastError: problemSchema.nullable(),
})
export type BackupStatus = z.infer<typeof backupStatusSchema>

/** A backup made for the page to save: its suggested file name and its bytes, base64. */
export const backupCreateResultSchema = z.object({
  filename: z.string(),
  base64: z.string(),
})

export const backupRestoreSchema = z
  .object({
    /** The backup file's bytes, base64 (the page reads the file the user chose). */
    base64: z
      .string()
      .min(1)
      .max(MAX_BACKUP_BASE64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The backup file must be sent as base64.'),
    recoveryKey: z.string().min(1).max(500),
    /** Replace the vault there is; without it, a restore over an existing vault is refused. */
    replaceExisting: z.boolean().default(false),
  })
  .strict()

export const backupRestoreResultSchema = z.object({
  vaultId: z.string(),
  /** When the backup was made (ISO 8601). */
  backupCreatedAt: z.string(),
  /** Whether a vault was there and was replaced. */
  replacedExisting: z.boolean(),
})
export type BackupRestoreResult = z.infer<typeof backupRestoreResultSchema>

import { BACKUP_EXTENSION } from './backup-file'

/**
 * The name of a backup made at `time`: `bridgekeep-YYYYMMDD-HHMMSS.bkbackup`, in UTC (names
 * sort by time, with no gap or repeat at a daylight-saving change). Scheduled backups are
 * found, and pruned, by this pattern only: no other file in their folder is ever touched.
 */
export function backupFileName(time: Date): string {
  const iso = time.toISOString() // 2026-01-31T12:34:56.789Z
  const date = iso.slice(0, 10).replaceAll('-', '')
  const clock = iso.slice(11, 19).replaceAll(':', '')
  return `bridgekeep-${date}-${clock}${BACKUP_EXTENSION}`
}

const NAME = /^bridgekeep-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.bkbackup$/

/** When a backup of that name was made, or undefined for a name that is not one of ours. */
export function backupTimeOf(name: string): Date | undefined {
  const match = NAME.exec(name)
  if (!match) return undefined
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[]
  const time = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!))
  // 20261399-… matches the pattern but is no date: not one of ours.
  return backupFileName(time) === name ? time : undefined
}

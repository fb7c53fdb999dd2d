import { z } from 'zod'
import {
  backupCreateResultSchema,
  backupRestoreResultSchema,
  backupRestoreSchema,
  backupSchedulePatchSchema,
  backupStatusSchema,
} from '../../backup'
import { channel } from '../define'

/**
 * Backups. `create` returns the encrypted file for the page to save (it holds no secret in
 * clear: it opens only with the recovery key); `restore` takes a file the page read, with the
 * recovery key, and replaces an existing vault only with `replaceExisting`.
 */
export const backupChannels = {
  create: channel(z.undefined(), backupCreateResultSchema),
  restore: channel(backupRestoreSchema, backupRestoreResultSchema),
  /** The schedule, the newest scheduled backup in its folder and the last failure. */
  status: channel(z.undefined(), backupStatusSchema),
  setSchedule: channel(backupSchedulePatchSchema, backupStatusSchema),
  /** A scheduled backup into the folder now; its failure is the call's error. */
  runNow: channel(z.undefined(), backupStatusSchema),
}

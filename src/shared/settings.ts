import { z } from 'zod'
import { backupScheduleSchema, DEFAULT_BACKUP_EVERY_HOURS, DEFAULT_BACKUP_KEEP } from './backup'

export const themePreferences = ['system', 'light', 'dark'] as const
export type ThemePreference = (typeof themePreferences)[number]

/** How long the app may sit idle before the vault locks itself, in minutes; 0 never locks. */
export const autoLockChoices = [0, 5, 15, 30, 60] as const
export type AutoLockMinutes = (typeof autoLockChoices)[number]

/** Preferences kept outside the vault, so they apply before it is unlocked (e.g. the theme). */
export const settingsSchema = z.object({
  theme: z.enum(themePreferences),
  autoLockMinutes: z.literal(autoLockChoices),
  /** Closing the window leaves the app (runner, health checks, agent) running in the tray. */
  keepRunningInTray: z.boolean(),
  /**
   * Refuse use-only shares of connections whose tools receive the stored secret as it is (a
   * token, a password): use-only cannot hide those (providers/use-only-exchange.ts).
   */
  refuseExposedUseOnly: z.boolean(),
  /** Scheduled backups (backup.ts): the folder (null: none), how many to keep, how often. */
  ...backupScheduleSchema.shape,
})
export type Settings = z.infer<typeof settingsSchema>

export const defaultSettings: Settings = {
  theme: 'system',
  autoLockMinutes: 15,
  keepRunningInTray: true,
  refuseExposedUseOnly: false,
  backupFolder: null,
  backupKeep: DEFAULT_BACKUP_KEEP,
  backupEveryHours: DEFAULT_BACKUP_EVERY_HOURS,
}

/**
 * A partial update: unknown keys are rejected so a typo never passes silently. The backup
 * schedule is changed through backup:setSchedule, which checks that the folder can be written.
 */
export const settingsPatchSchema = settingsSchema
  .omit({ backupFolder: true, backupKeep: true, backupEveryHours: true })
  .partial()
  .strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

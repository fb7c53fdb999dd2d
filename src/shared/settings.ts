import { z } from 'zod'

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
})
export type Settings = z.infer<typeof settingsSchema>

export const defaultSettings: Settings = {
  theme: 'system',
  autoLockMinutes: 15,
  keepRunningInTray: true,
}

/** A partial update: unknown keys are rejected so a typo never passes silently. */
export const settingsPatchSchema = settingsSchema.partial().strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

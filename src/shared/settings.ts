import { z } from 'zod'

export const themePreferences = ['system', 'light', 'dark'] as const
export type ThemePreference = (typeof themePreferences)[number]

/** Preferences kept outside the vault, so they apply before it is unlocked (e.g. the theme). */
export const settingsSchema = z.object({
  theme: z.enum(themePreferences),
})
export type Settings = z.infer<typeof settingsSchema>

export const defaultSettings: Settings = { theme: 'system' }

/** A partial update: unknown keys are rejected so a typo never passes silently. */
export const settingsPatchSchema = settingsSchema.partial().strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

import { settingsPatchSchema, settingsSchema } from '../../settings'
import { z } from 'zod'
import { channel } from '../define'

export const settingsChannels = {
  get: channel(z.undefined(), settingsSchema),
  update: channel(settingsPatchSchema, settingsSchema),
}

export const settingsEvents = {
  /** Sent to every window after any change, whoever made it (another window, the CLI later). */
  changed: settingsSchema,
}

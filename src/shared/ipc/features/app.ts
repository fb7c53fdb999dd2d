import { z } from 'zod'
import { channel } from '../define'

export const hostKinds = ['electron', 'browser', 'cli'] as const

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  host: z.enum(hostKinds),
  dataDir: z.string(),
})
export type AppInfo = z.infer<typeof appInfoSchema>

export const appChannels = {
  getInfo: channel(z.undefined(), appInfoSchema),
  /** The user did something in the window (sent at most every 30 s): the auto-lock waits longer. */
  reportActivity: channel(z.undefined(), z.undefined()),
}

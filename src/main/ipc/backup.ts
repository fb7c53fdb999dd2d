import type { Services } from '../services'
import type { FeatureHandlers } from './handlers'

/** The page sends and receives backup files as base64; the service takes and gives bytes. */
export function backupHandlers(services: Services): FeatureHandlers<'backup'> {
  const { backup, backupScheduler } = services
  return {
    create: async () => {
      const made = await backup.create()
      return { filename: made.filename, base64: made.bytes.toString('base64') }
    },
    restore: ({ base64, recoveryKey, replaceExisting }) =>
      backup.restore({ data: Buffer.from(base64, 'base64'), recoveryKey, replaceExisting }),
    status: () => backupScheduler.status(),
    setSchedule: (patch) => backupScheduler.setSchedule(patch),
    runNow: () => backupScheduler.runNow(),
  }
}

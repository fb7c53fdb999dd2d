import type { AppInfo } from '../../shared/ipc/features/app'
import type { Logger } from '../log'
import { EventBus } from './events/event-bus'
import { SettingsStore } from './settings/settings-store'

export interface ServicesOptions {
  dataDir: string
  appInfo: Omit<AppInfo, 'dataDir'>
  log: Logger
}

/**
 * Every main-side service, built from plain options so that the Electron shell, the e2e browser
 * host, the CLI and tests all run the same code.
 */
export function createServices(options: ServicesOptions) {
  const events = new EventBus()
  return {
    appInfo: { ...options.appInfo, dataDir: options.dataDir } satisfies AppInfo,
    events,
    log: options.log,
    settings: new SettingsStore(options.dataDir, events),
  }
}

export type Services = ReturnType<typeof createServices>

import type { AppInfo } from '../../shared/ipc/features/app'
import type { Logger } from '../log'
import type { KeyStore } from '../security/keystore'
import { MemoryClipboard, SecretClipboard, type ClipboardPort } from './clipboard/secret-clipboard'
import { ConnectionsService } from './connections/connections-service'
import { EventBus } from './events/event-bus'
import { ImportsService } from './imports/imports-service'
import { SettingsStore } from './settings/settings-store'
import { Vault } from './vault/vault'

export interface ServicesOptions {
  dataDir: string
  appInfo: Omit<AppInfo, 'dataDir'>
  log: Logger
  keyStore: KeyStore
  clipboard?: ClipboardPort
  /** Where imports look for ~/.aws and ~/.kube (tests point it at a fixture home). */
  home?: string
  env?: Record<string, string | undefined>
  /** better-sqlite3 addon built for Electron, when running inside it. */
  nativeBinding?: string
}

/**
 * Every main-side service, built from plain options so that the Electron shell, the e2e browser
 * host, the CLI and tests all run the same code.
 */
export function createServices(options: ServicesOptions) {
  const events = new EventBus()
  const vault = new Vault({
    dataDir: options.dataDir,
    keyStore: options.keyStore,
    log: options.log,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  })
  const connections = new ConnectionsService({ vault, log: options.log })
  return {
    appInfo: { ...options.appInfo, dataDir: options.dataDir } satisfies AppInfo,
    events,
    log: options.log,
    settings: new SettingsStore(options.dataDir, events),
    vault,
    connections,
    imports: new ImportsService(connections, options.home, options.env),
    clipboard: new SecretClipboard(options.clipboard ?? new MemoryClipboard()),
  }
}

export type Services = ReturnType<typeof createServices>

import type { EventBus } from './events/event-bus'
import type { ServicesOptions } from '.'
import { AuditService } from './audit/audit-service'
import { MemoryClipboard, SecretClipboard } from './clipboard/secret-clipboard'
import { ConnectionsService } from './connections/connections-service'
import { AuthorizationsService } from './environments/authorizations-service'
import { EnvironmentsService } from './environments/environments-service'
import { ResolutionService } from './resolution/resolution-service'
import { UsageService } from './usage/usage-service'
import { Vault } from './vault/vault'
import { VaultLifecycle, type VaultLifecycleOptions } from './vault/vault-lifecycle'

export interface VaultCoreOptions extends Pick<
  ServicesOptions,
  'dataDir' | 'appInfo' | 'log' | 'keyStore' | 'clipboard' | 'nativeBinding'
> {
  /** Where state changes are pushed (the app's windows); the CLI has none to tell. */
  events: Pick<EventBus, 'emit'>
  /** Re-encrypts what else the data key wraps (the runner CA, the sharing identity). */
  rekeyOthers: VaultLifecycleOptions['rekeyOthers']
}

/**
 * The vault and the services that read and use connections: unlock, connections, environments
 * and authorizations, resolution, usage and audit. createServices builds every other service on
 * top of these; the CLI's exec and credential-process open only these, so a call loads none of
 * the runner host, health checks, sharing or imports (their modules are most of a cold start).
 */
export function createVaultCore(options: VaultCoreOptions) {
  const { log, events } = options
  const vault = new Vault({
    dataDir: options.dataDir,
    keyStore: options.keyStore,
    log,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  })
  const audit = new AuditService({ vault, log })
  const clipboard = new SecretClipboard(options.clipboard ?? new MemoryClipboard())
  const connections = new ConnectionsService({ vault, log, audit, clipboard })
  const usage = new UsageService({ vault })
  return {
    appInfo: { ...options.appInfo, dataDir: options.dataDir },
    log,
    vault,
    /** Create, unlock, lock, rewrap, re-encrypt: audited, with their events, for every caller. */
    vaultLifecycle: new VaultLifecycle({
      vault,
      audit,
      events,
      connections,
      clipboard,
      rekeyOthers: options.rekeyOthers,
    }),
    audit,
    clipboard,
    connections,
    environments: new EnvironmentsService({ vault, audit, events, log }),
    authorizations: new AuthorizationsService({ vault, audit, events, log }),
    usage,
    resolution: new ResolutionService({ vault, usage, audit, log }),
  }
}

export type VaultCore = ReturnType<typeof createVaultCore>

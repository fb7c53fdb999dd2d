import type { AppInfo } from '../../shared/ipc/features/app'
import type { Logger } from '../log'
import type { KeyStore } from '../security/keystore'
import { RunnerService, type RunnerServiceOptions } from '../runner-host/runner-service'
import { AuditService } from './audit/audit-service'
import { AwsConfigProfiles } from './aws-config/aws-config-profiles'
import { MemoryClipboard, SecretClipboard, type ClipboardPort } from './clipboard/secret-clipboard'
import { ConnectionsService } from './connections/connections-service'
import { AuthorizationsService } from './environments/authorizations-service'
import { EnvironmentsService } from './environments/environments-service'
import { EventBus } from './events/event-bus'
import { HealthScheduler } from './health/health-scheduler'
import { HealthService, type HealthServiceOptions } from './health/health-service'
import { HealthStatus } from './health/health-status'
import { ImportsService } from './imports/imports-service'
import { ResolutionService } from './resolution/resolution-service'
import { SettingsStore } from './settings/settings-store'
import { SharingService } from './sharing/sharing-service'
import { UsageService } from './usage/usage-service'
import { Vault } from './vault/vault'
import { VaultLifecycle } from './vault/vault-lifecycle'

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
  /** The runner's launcher, timings and listener address (tests, the e2e host, the Electron shell). */
  runner?: Pick<
    RunnerServiceOptions,
    'launcher' | 'timings' | 'bindHost' | 'port' | 'maxFrameBytes' | 'serveControl'
  >
  /** scrypt work factor of passphrase shares (age's 18 by default; tests lower it). */
  shareScryptWorkFactor?: number
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
  const audit = new AuditService({ vault, log: options.log })
  const clipboard = new SecretClipboard(options.clipboard ?? new MemoryClipboard())
  const connections = new ConnectionsService({ vault, log: options.log, audit, clipboard })
  const usage = new UsageService({ vault })
  const runner = new RunnerService({
    vault,
    audit,
    events,
    log: options.log,
    dataDir: options.dataDir,
    ...options.runner,
    ...(options.env ? { env: options.env } : {}),
  })
  const resolution = new ResolutionService({ vault, usage, audit, log: options.log })
  const healthStatus = new HealthStatus({ vault, audit, events })
  /**
   * Health checks that run through `through`: the app's supervised runner (`health` below), or
   * the one `bridgekeep verify` starts in its own process, since the CLI has no app runner to ask.
   * Both store their results in the one `healthStatus`.
   */
  const healthServiceUsing = (through: HealthServiceOptions['runner']) =>
    new HealthService({
      vault,
      connections,
      resolution,
      runner: through,
      status: healthStatus,
      audit,
      events,
      log: options.log,
    })
  const health = healthServiceUsing(runner)
  const sharing = new SharingService({
    vault,
    connections,
    audit,
    log: options.log,
    ...(options.shareScryptWorkFactor ? { scryptWorkFactor: options.shareScryptWorkFactor } : {}),
  })
  /** Create, unlock, lock, rewrap, re-encrypt: audited, with their events, for every caller. */
  const vaultLifecycle = new VaultLifecycle({
    vault,
    audit,
    events,
    connections,
    clipboard,
    rekeyOthers: (oldKey, newKey) => {
      runner.identity.rewrapCa(oldKey, newKey)
      sharing.reencryptIdentity(oldKey, newKey)
    },
  })
  return {
    appInfo: { ...options.appInfo, dataDir: options.dataDir } satisfies AppInfo,
    events,
    log: options.log,
    settings: new SettingsStore(options.dataDir, events),
    vault,
    vaultLifecycle,
    connections,
    imports: new ImportsService({
      connections,
      vault,
      audit,
      ...(options.home ? { home: options.home } : {}),
      ...(options.env ? { env: options.env } : {}),
    }),
    clipboard,
    audit,
    environments: new EnvironmentsService({ vault, audit, events, log: options.log }),
    authorizations: new AuthorizationsService({ vault, audit, events, log: options.log }),
    usage,
    resolution,
    runner,
    health,
    healthStatus,
    healthServiceUsing,
    /** Scheduled checks; the Electron shell starts it (tests and the e2e host verify on demand). */
    healthScheduler: new HealthScheduler({ health, status: healthStatus, vault, log: options.log }),
    sharing,
    /** The Use it panel's "Add to ~/.aws/config". */
    awsConfig: new AwsConfigProfiles({
      log: options.log,
      ...(options.home ? { home: options.home } : {}),
      ...(options.env ? { env: options.env } : {}),
    }),
  }
}

export type Services = ReturnType<typeof createServices>

import { awsSsoService } from './aws-sso/aws-sso-service'
import type { AppInfo } from '../../shared/ipc/features/app'
import type { Logger } from '../log'
import type { KeyStore } from '../security/keystore'
import type { ClipboardPort } from './clipboard/secret-clipboard'
import { noBrowser, type BrowserPort } from './browser/browser'
import { RunnerService, type RunnerServiceOptions } from '../runner-host/runner-service'
import { AwsConfigProfiles } from './aws-config/aws-config-profiles'
import { BackupScheduler } from './backup/backup-scheduler'
import { BackupService } from './backup/backup-service'
import { EventBus } from './events/event-bus'
import { MfaPrompts } from './mfa-prompts/mfa-prompts'
import { HealthScheduler } from './health/health-scheduler'
import { HealthService, type HealthServiceOptions } from './health/health-service'
import { HealthStatus } from './health/health-status'
import { ImportsService } from './imports/imports-service'
import { SettingsStore } from './settings/settings-store'
import { SharingService } from './sharing/sharing-service'
import { TeamService } from './teams/team-service'
import { TeamRunnerService } from './teams/team-runner-service'
import { TeamConnectionsService } from './teams/team-connections'
import { TeamRotations } from './teams/team-rotations'
import { createVaultCore } from './vault-core'
import { AwsKeyRotationService, type AwsKeyRotationOptions } from './aws-keys/aws-key-rotation'
import { AwsRoleCheckService, type AwsRoleCheckOptions } from './aws-role/aws-role-check'
import { AwsConsoleService, type AwsConsoleOptions } from './aws-console/aws-console'
import { secretsForUse, type UseSecrets } from './references/secrets-for-use'

export interface ServicesOptions {
  dataDir: string
  appInfo: Omit<AppInfo, 'dataDir'>
  log: Logger
  keyStore: KeyStore
  clipboard?: ClipboardPort
  /** The user's web browser (the Electron shell's); without one, opening a page is refused. */
  browser?: BrowserPort
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
  /** Whether a window can show a dialog now (see MfaPrompts); absent: always. */
  windowShown?: () => boolean
}

/**
 * Every main-side service, built from plain options so that the Electron shell, the e2e browser
 * host, the CLI and tests all run the same code.
 */
export function createServices(options: ServicesOptions) {
  const events = new EventBus()
  const core = createVaultCore({
    ...options,
    events,
    rekeyOthers: (oldKey, newKey) => {
      runner.identity.rewrapCa(oldKey, newKey)
      sharing.reencryptIdentity(oldKey, newKey)
    },
  })
  const { vault, audit, connections, resolution } = core
  const runner = new RunnerService({
    vault,
    audit,
    events,
    log: options.log,
    dataDir: options.dataDir,
    ...options.runner,
    ...(options.env ? { env: options.env } : {}),
  })
  const healthStatus = new HealthStatus({ vault, audit, events })
  /** IAM Identity Center sign-ins (the SDKs load only when one is used). */
  const awsSso = awsSsoService({ vault, audit, appInfo: { dataDir: options.dataDir } })
  /**
   * Health checks that run through `through`: the app's supervised runner (`health` below), or
   * the one `bridgekeep verify` starts in its own process, since the CLI has no app runner to ask.
   * Both store their results in the one `healthStatus`.
   */
  /** A connection's secrets for a use, its references read (kubernetes ones with all services). */
  const useSecrets: UseSecrets = (connectionId, use) => secretsForUse(services, connectionId, use)
  const healthServiceUsing = (through: HealthServiceOptions['runner']) =>
    new HealthService({
      useSecrets,
      vault,
      connections,
      resolution,
      runner: through,
      status: healthStatus,
      audit,
      events,
      log: options.log,
      awsSso,
    })
  const health = healthServiceUsing(runner)
  /** An AWS access key rotated through `through`: the app's runner, or the CLI's in-process one. */
  const awsKeyRotationUsing = (through: AwsKeyRotationOptions['runner']) =>
    new AwsKeyRotationService({ connections, runner: through, log: options.log })
  const settings = new SettingsStore(options.dataDir, events)
  const sharing = new SharingService({
    refuseExposedUseOnly: () => settings.get().refuseExposedUseOnly,
    vault,
    connections,
    audit,
    log: options.log,
    ...(options.shareScryptWorkFactor ? { scryptWorkFactor: options.shareScryptWorkFactor } : {}),
  })
  /** What the team services share: the vault, its identity, and resolved uses of connections. */
  const teamContext = {
    vault,
    audit,
    connections,
    environments: core.environments,
    resolution,
    useSecrets,
    identity: () => sharing.localIdentity(),
    log: options.log,
  }
  /** What full members who left could read, kept by the admin who removed them until rotated. */
  const teamRotations = new TeamRotations(teamContext)
  const teams = new TeamService({
    ...teamContext,
    events,
    contacts: () => sharing.contacts(),
    rotations: teamRotations,
  })
  /** Connections in team spaces: pushed, synced into this vault's ciphertext copy, opened. */
  const teamConnections = new TeamConnectionsService({ ...teamContext, rotations: teamRotations })
  const teamRunner = new TeamRunnerService({
    ...teamContext,
    // The team's connections, opened with this vault's identity (team-connection-use.ts).
    secrets: (pass) => teamConnections.runnerSource(pass),
  })
  const backup = new BackupService({
    dataDir: options.dataDir,
    appVersion: options.appInfo.version,
    vault,
    vaultLifecycle: core.vaultLifecycle,
    audit,
    log: options.log,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  })
  const services = {
    ...core,
    appInfo: core.appInfo satisfies AppInfo,
    events,
    settings,
    teams,
    teamRunner,
    teamConnections,
    teamRotations,
    imports: new ImportsService({
      connections,
      vault,
      audit,
      ...(options.home ? { home: options.home } : {}),
      ...(options.env ? { env: options.env } : {}),
    }),
    runner,
    health,
    healthStatus,
    healthServiceUsing,
    awsKeyRotation: awsKeyRotationUsing(runner),
    awsKeyRotationUsing,
    /** A cross-account role checked (AssumeRole) before it is saved: the app's runner, or the CLI's. */
    awsRoleCheckUsing: (through: AwsRoleCheckOptions['runner']) =>
      new AwsRoleCheckService({
        connections,
        runner: through,
        log: options.log,
        useSecrets,
        environments: health,
      }),
    awsRoleCheck: new AwsRoleCheckService({
      connections,
      runner,
      log: options.log,
      useSecrets,
      environments: health,
    }),
    /** AWS console sign-in through the app's runner, or the CLI's in-process one. */
    awsConsoleUsing: (through: AwsConsoleOptions['runner']) =>
      new AwsConsoleService({
        connections,
        resolution,
        runner: through,
        environments: health,
        useSecrets,
      }),
    awsConsole: new AwsConsoleService({
      connections,
      resolution,
      runner,
      environments: health,
      useSecrets,
    }),
    browser: options.browser ?? noBrowser,
    /** Scheduled checks; the Electron shell starts it (tests and the e2e host verify on demand). */
    healthScheduler: new HealthScheduler({ health, status: healthStatus, vault, log: options.log }),
    sharing,
    /** Encrypted backups of the vault, and restoring one. */
    backup,
    /** Scheduled backups into the chosen folder; the desktop host starts it. */
    backupScheduler: new BackupScheduler({ backup, settings, vault, log: options.log }),
    awsSso,
    /** The app's MFA code dialog, asked by its agent for a CLI call that needs a new session. */
    mfaPrompts: new MfaPrompts(
      events,
      options.windowShown ? { windowShown: options.windowShown } : {},
    ),
    /** The Use it panel's "Add to ~/.aws/config". */
    awsConfig: new AwsConfigProfiles({
      log: options.log,
      ...(options.home ? { home: options.home } : {}),
      ...(options.env ? { env: options.env } : {}),
    }),
  }
  return services
}

export type Services = ReturnType<typeof createServices>

import { allChannels, type Feature } from '../../shared/ipc/contract'
import { channelName } from '../../shared/ipc/define'
import type { DesktopHost } from '../desktop/desktop-host'
import type { Services } from '../services'
import { appHandlers } from './app'
import { auditHandlers } from './audit'
import { awsConfigHandlers } from './aws-config'
import { awsSsoHandlers } from './aws-sso'
import { backupHandlers } from './backup'
import { commandLineHandlers } from './command-line'
import { connectionsHandlers } from './connections'
import { environmentsHandlers } from './environments'
import type { FeatureHandlers } from './handlers'
import { healthHandlers } from './health'
import { importsHandlers } from './imports'
import { mfaHandlers } from './mfa'
import { runnerHandlers } from './runner'
import { settingsHandlers } from './settings'
import { sharingHandlers } from './sharing'
import { teamsHandlers } from './teams'
import { vaultHandlers } from './vault'

export type AnyHandler = (input: unknown) => unknown
export type HandlerRegistry = ReadonlyMap<string, AnyHandler>

/**
 * Every channel's handler, keyed by channel name. The Electron shell registers each with
 * ipcMain; the e2e browser host calls the same map through a Playwright binding. Without a
 * desktop host (tests of the services alone) the command-line channels say that no agent serves
 * and the tool is unavailable.
 */
export function createHandlerRegistry(
  services: Services,
  desktop: DesktopHost = detachedDesktop,
): HandlerRegistry {
  const features: { [F in Feature]: FeatureHandlers<F> } = {
    app: appHandlers(services, desktop),
    settings: settingsHandlers(services),
    vault: vaultHandlers(services),
    connections: connectionsHandlers(services),
    imports: importsHandlers(services),
    environments: environmentsHandlers(services),
    audit: auditHandlers(services),
    runner: runnerHandlers(services),
    sharing: sharingHandlers(services, desktop),
    teams: teamsHandlers(services),
    health: healthHandlers(services),
    commandLine: commandLineHandlers(desktop),
    awsConfig: awsConfigHandlers(services),
    awsSso: awsSsoHandlers(services),
    backup: backupHandlers(services),
    mfa: mfaHandlers(services),
  }
  const registry = new Map<string, AnyHandler>()
  for (const [feature, handlers] of Object.entries(features) as [
    Feature,
    Record<string, AnyHandler>,
  ][]) {
    for (const [method, handler] of Object.entries(handlers)) {
      registry.set(channelName(feature, method), handler)
    }
  }
  const missing = allChannels().filter((channel) => !registry.has(channel))
  if (missing.length > 0) throw new Error(`No handler for IPC channels: ${missing.join(', ')}`)
  return registry
}

const detachedStatus = {
  agent: { state: 'off', socket: '' },
  tool: {
    state: 'unavailable',
    reason: 'These services run without the desktop app.',
    hint: 'Open the Bridgekeep app.',
  },
} as const

const detachedDesktop: DesktopHost = {
  commandLineStatus: async () => detachedStatus,
  installCommandLineTool: async () => detachedStatus,
  lock: () => undefined,
  reportActivity: () => undefined,
  openShareFile: () => undefined,
  takeOpenedShareFile: () => null,
  stopWatchingTeams: async () => undefined,
  stop: async () => undefined,
}

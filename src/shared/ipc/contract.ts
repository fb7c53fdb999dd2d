import type { z } from 'zod'
import { channelName, type ChannelSpec, type FeatureChannels, type FeatureEvents } from './define'
import { appChannels } from './features/app'
import { auditChannels } from './features/audit'
import { awsConfigChannels } from './features/aws-config'
import { awsSsoChannels } from './features/aws-sso'
import { backupChannels } from './features/backup'
import { commandLineChannels } from './features/command-line'
import { connectionsChannels } from './features/connections'
import { environmentsChannels, environmentsEvents } from './features/environments'
import { healthChannels, healthEvents } from './features/health'
import { importsChannels } from './features/imports'
import { mfaChannels, mfaEvents } from './features/mfa'
import { runnerChannels, runnerEvents } from './features/runner'
import { settingsChannels, settingsEvents } from './features/settings'
import { sharingChannels, sharingEvents } from './features/sharing'
import { teamsChannels, teamsEvents } from './features/teams'
import { vaultChannels, vaultEvents } from './features/vault'

/**
 * The whole IPC surface, merged from one map per feature. Channel names are
 * `'<feature>:<method>'`; `window.bridgekeep.<feature>.<method>` is generated from this map.
 */
export const contract = {
  app: appChannels,
  settings: settingsChannels,
  vault: vaultChannels,
  connections: connectionsChannels,
  imports: importsChannels,
  environments: environmentsChannels,
  audit: auditChannels,
  runner: runnerChannels,
  sharing: sharingChannels,
  teams: teamsChannels,
  health: healthChannels,
  commandLine: commandLineChannels,
  awsConfig: awsConfigChannels,
  awsSso: awsSsoChannels,
  backup: backupChannels,
  mfa: mfaChannels,
} satisfies Record<string, FeatureChannels>

/** Push events from main to the renderer, `'<feature>:<event>'`, as `bridgekeep.<feature>.onX`. */
export const events = {
  settings: settingsEvents,
  vault: vaultEvents,
  environments: environmentsEvents,
  runner: runnerEvents,
  health: healthEvents,
  sharing: sharingEvents,
  mfa: mfaEvents,
  teams: teamsEvents,
} satisfies Record<string, FeatureEvents>

export type Contract = typeof contract
export type Events = typeof events
export type Feature = keyof Contract

export type ChannelOf<F extends Feature> = `${F}:${keyof Contract[F] & string}`
export type Channel = { [F in Feature]: ChannelOf<F> }[Feature]

export type EventChannel = {
  [F in keyof Events]: `${F & string}:${keyof Events[F] & string}`
}[keyof Events]

export type PayloadOf<E extends EventChannel> = E extends `${infer F}:${infer N}`
  ? F extends keyof Events
    ? N extends keyof Events[F]
      ? Events[F][N] extends z.ZodType
        ? z.output<Events[F][N]>
        : never
      : never
    : never
  : never

export function findChannel(name: string): ChannelSpec | undefined {
  const [feature, method, ...rest] = name.split(':')
  if (feature === undefined || method === undefined || rest.length > 0) return undefined
  if (!Object.hasOwn(contract, feature)) return undefined
  const channels: FeatureChannels = contract[feature as Feature]
  return Object.hasOwn(channels, method) ? channels[method] : undefined
}

export function findEvent(name: string): z.ZodType | undefined {
  const [feature, event, ...rest] = name.split(':')
  if (feature === undefined || event === undefined || rest.length > 0) return undefined
  if (!Object.hasOwn(events, feature)) return undefined
  const featureEvents: FeatureEvents = events[feature as keyof Events]
  return Object.hasOwn(featureEvents, event) ? featureEvents[event] : undefined
}

export function allChannels(): Channel[] {
  return Object.entries(contract).flatMap(([feature, channels]) =>
    Object.keys(channels).map((method) => channelName(feature, method) as Channel),
  )
}

export function allEventChannels(): EventChannel[] {
  return Object.entries(events).flatMap(([feature, featureEvents]) =>
    Object.keys(featureEvents).map((event) => channelName(feature, event) as EventChannel),
  )
}

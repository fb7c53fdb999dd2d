import type { AuditService } from '../audit/audit-service'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamState } from './change-chain'
import type { TeamConnection } from './connection-changes'
import { actorOf } from './team-access'
import { refuseCutBack, usableConnection, connectionNamed } from './team-connection-rules'
import { openVersion } from './team-connection-versions'
import { connectionView } from './team-connection-views'
import type { OpenedTeamConnection, TeamCopy } from './team-copy'
import type { StoredVersion, TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import type { RunnerPass, TeamSecretsSource } from './team-runner'
import { appendTeamAudit, type VerifiedTeam } from './team-session'
import { sealedVersion } from './team-keys-repository'

/**
 * A use of a team connection, the one way: on an open team database, the log verified against
 * the last change this vault saw (never opened from a log cut back below it), the copy refreshed,
 * the current version opened where the team's matrix allows the environment, and the use written
 * to the team's audit trail; every use (and every refused one) in this vault's own as `team.use`.
 * `exec --team` and the team runner both open team connections through here.
 */
export interface UseContext {
  copy: TeamCopy
  audit: AuditService
  now: () => string
}

/** Opens `name` in `env` on an open team database, and writes the use to the team's audit. */
export async function openOnline(
  context: UseContext,
  store: TeamStore,
  row: TeamSpaceRow,
  team: VerifiedTeam,
  me: UnlockedIdentity,
  name: string,
  env: string,
): Promise<OpenedTeamConnection> {
  refuseCutBack(team, row.name)
  // The rows just verified are stored as read and their state reused: one read, one replay.
  const { state } = await context.copy.refresh(store, row, me, team)
  const opened = await context.copy.open(row, name, env, me, false, state)
  await auditUse(context, store, row, me, opened)
  return opened
}

/**
 * Opens `name` in `env` as a team runner does, on each request: from the team it just verified
 * and the one sealed version it needs, read with the key wrapped to it (the runner's copy of
 * the team is not refreshed: it keeps its watch's or its sync's pace); the use in the team's audit.
 */
export async function openForRunner(
  context: UseContext,
  pass: RunnerPass,
  name: string,
  env: string,
): Promise<OpenedTeamConnection> {
  const { store, row, team, me } = pass
  refuseCutBack(team, row.name)
  const opened = await openCurrentVersion(row, team.state, name, env, me, false, (connection) =>
    sealedVersion(
      store,
      { teamId: row.team_id, connectionId: connection.id, version: connection.version },
      me.address.signingKey,
    ),
  )
  await auditUse(context, store, row, me, opened)
  return opened
}

/**
 * The current version of `name` opened where `state`'s matrix allows `env`, for this vault: its
 * sealed secrets (`sealed`: from this vault's copy, or the team database) checked against the
 * signed change and opened with the key wrapped to this vault.
 */
export async function openCurrentVersion(
  row: TeamSpaceRow,
  state: TeamState,
  name: string,
  env: string,
  me: UnlockedIdentity,
  offline: boolean,
  sealed: (
    connection: TeamConnection,
  ) => StoredVersion | undefined | Promise<StoredVersion | undefined>,
): Promise<OpenedTeamConnection> {
  const connection = usableConnection(state, row.name, name, env, me.address.signingKey)
  const stored = await sealed(connection)
  const secrets = await openVersion(row.team_id, connection, stored, me.ageIdentity)
  return {
    team: row.name,
    connection: connectionView(connection, state),
    environment: env,
    secrets,
    offline,
  }
}

async function auditUse(
  context: UseContext,
  store: TeamStore,
  row: TeamSpaceRow,
  me: UnlockedIdentity,
  opened: OpenedTeamConnection,
): Promise<void> {
  const detail = `${opened.connection.name} version ${opened.connection.version} in ${opened.environment}`
  await appendTeamAudit(store, row.team_id, actorOf(me), 'connection.use', detail, context.now())
}

/** Runs `open` and records it in this vault's audit trail as `team.use`, or its failure. */
export async function auditedUse(
  audit: AuditService,
  row: TeamSpaceRow,
  use: { name: string; env: string; by?: string },
  open: () => Promise<OpenedTeamConnection>,
): Promise<OpenedTeamConnection> {
  const target = { type: 'team' as const, id: row.team_id, name: row.name }
  const by = use.by ? ` (${use.by})` : ''
  try {
    const opened = await open()
    const { connection, offline } = opened
    audit.record({
      action: 'team.use',
      target,
      detail: `${connection.name} version ${connection.version} in ${use.env}${by}${offline ? ' (offline: from this vault’s copy, not in the team audit)' : ''}`,
    })
    return opened
  } catch (error) {
    audit.recordFailure(
      { action: 'team.use', target, detail: `${use.name.slice(0, 100)} in ${use.env}${by}` },
      error,
    )
    throw error
  }
}

/**
 * The team's connections as a team runner serves them in one pass: described by the team it
 * just verified, opened with its admin's identity on its own connection to the team database.
 */
export function runnerSecrets(context: UseContext, pass: RunnerPass): TeamSecretsSource {
  const { row, team } = pass
  return {
    describe(name) {
      const found = connectionNamed(team.state, name)
      return (
        found && {
          id: found.id,
          name: found.name,
          provider: found.provider,
          environments: found.environments,
        }
      )
    },
    async open(name, environment) {
      const env = environment.toLowerCase()
      const opened = await auditedUse(context.audit, row, { name, env, by: 'team runner' }, () =>
        openForRunner(context, pass, name, env),
      )
      const { connection } = opened
      return {
        connection: {
          id: connection.id,
          name: connection.name,
          provider: connection.provider,
          authMode: connection.authMode,
        },
        config: connection.fields,
        secrets: opened.secrets,
      }
    },
  }
}

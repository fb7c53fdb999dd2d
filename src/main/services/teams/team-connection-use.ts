import { refuseCutBack } from './team-connection-rules'
import type { AuditService } from '../audit/audit-service'
import type { UnlockedIdentity } from '../sharing/identity'
import { actorOf } from './team-access'
import { sameName } from './team-connection-rules'
import type { OpenedTeamConnection, TeamCopy } from './team-copy'
import type { TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import type { RunnerPass, TeamSecretsSource } from './team-runner'
import { appendTeamAudit, type VerifiedTeam } from './team-session'

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
  const detail = `${opened.connection.name} version ${opened.connection.version} in ${env}`
  await appendTeamAudit(store, row.team_id, actorOf(me), 'connection.use', detail, context.now())
  return opened
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
  const { store, row, team, me } = pass
  return {
    describe(name) {
      const found = [...team.state.connections.live.values()].find((c) => sameName(c, name.trim()))
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
        openOnline(context, store, row, team, me, name, env),
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

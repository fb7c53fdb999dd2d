import { randomUUID } from 'node:crypto'
import { isBridgekeepError } from '../../../shared/errors'
import type { ConnectionsService } from '../connections/connections-service'
import type { UnlockedIdentity } from '../sharing/identity'
import { actorOf, reverifyTeam } from './team-access'
import { hasPutEntry, putDetail } from './team-audit'
import type { EditContext } from './team-connection-edits'
import { holdsSame, writeVersion } from './team-connection-keys'
import { pushable, sameName, teamEnvironments } from './team-connection-rules'
import { conflictError } from './team-connection-views'
import type { TeamStore } from './team-database-repository'
import { requireAdmin } from './team-members'
import type { TeamSpaceRow } from './team-repository'
import type { TeamRotations } from './team-rotations'
import { appendChange, appendTeamAudit } from './team-session'

/** What a push needs of the team connections service: what an edit needs, and more. */
export interface PushContext extends EditContext {
  connections: ConnectionsService
  /** A push with changed secrets marks the connection rotated (team-rotations.ts). */
  rotations: TeamRotations
}

const RACE_ATTEMPTS = 3

/**
 * Pushes a local connection to the team: new, or a new version of the team connection of the
 * same name, based on the version this vault last synced. `environments` sets where the team
 * may use it.
 */
export async function pushTeamConnection(
  context: PushContext,
  row: TeamSpaceRow,
  ref: string,
  options: { environments?: string[] },
) {
  const local = pushable(context.connections, ref)
  const environments = options.environments && teamEnvironments(options.environments)
  const me = await context.identity()
  const base = [...context.copy.replay(row).state.connections.live.values()].find((c) =>
    sameName(c, local.name),
  )
  let pushed:
    { version: number; created: boolean; unchanged: boolean; connectionId: string } | undefined
  await context.withTeam(
    row,
    `Pushed ${local.name} to team space ${row.name}`,
    async (store, verified) => {
      requireAdmin(verified.state, me.address.signingKey, 'push connections')
      let team = verified
      for (let attempt = 1; ; attempt++) {
        const current = [...team.state.connections.live.values()].find((c) =>
          sameName(c, local.name),
        )
        const { secrets } = context.connections.storedSecrets(local.id)
        // Run again after its reply was lost (or cut off before its matrix change): the team
        // already holds exactly this, so no second version; only the environments may change.
        if (current && (await holdsSame(store, row.team_id, me, current, local, secrets))) {
          pushed = {
            version: current.version,
            created: false,
            unchanged: true,
            connectionId: current.id,
          }
          const moved =
            environments && environments.toSorted().join() !== current.environments.join()
          const target = { connectionId: current.id, name: current.name }
          const head = moved
            ? await writeMatrix(context, store, row, me, target, environments)
            : undefined
          // Cut off before its team audit entry (after its version, or its matrix change):
          // that version's entry is written now, once.
          if (
            current.author === me.address.signingKey &&
            !hasPutEntry(await store.auditRows(row.team_id), current.name, current.version)
          )
            await appendTeamAudit(
              store,
              row.team_id,
              actorOf(me),
              'connection.put',
              putDetail(current.name, current.version, environments),
              context.now(),
            )
          await context.copy.refresh(store, row, me)
          return head
        }
        // The version this push replaces must be the one this vault last synced.
        const seen = base && current && base.id === current.id ? base.version : 0
        if (current ? current.version !== seen : base !== undefined)
          throw conflictError(row.name, local, current, base, team.state)
        const connectionId = current?.id ?? randomUUID()
        const described = { ...local, id: connectionId, fields: local.config }
        let written: Awaited<ReturnType<typeof writeVersion>>
        try {
          written = await writeVersion(
            store,
            team,
            me,
            described,
            current?.version ?? 0,
            secrets,
            context.now(),
          )
        } catch (error) {
          // Another admin wrote first: read again; a change to this connection is then refused
          // above with the other version shown, an unrelated one is built upon.
          if (attempt >= RACE_ATTEMPTS || !isBridgekeepError(error) || error.code !== 'CONFLICT')
            throw error
          team = await reverifyTeam(store, row)
          continue
        }
        const { version } = written
        let head = written.head
        pushed = { version, created: !current, unchanged: false, connectionId }
        if (environments)
          head = await writeMatrix(
            context,
            store,
            row,
            me,
            { connectionId, name: local.name },
            environments,
          )
        await appendTeamAudit(
          store,
          row.team_id,
          actorOf(me),
          'connection.put',
          putDetail(local.name, version, environments),
          context.now(),
        )
        await context.copy.refresh(store, row, me)
        return head
      }
    },
  )
  const detail = `${local.name} version ${pushed!.version}${pushed!.created ? ' (new)' : ''}${pushed!.unchanged ? ' (unchanged: already in the team)' : ''}`
  context.audit('team.push', row, detail)
  // New secrets in the team: what someone who left could read of it is no longer current.
  const rotated = !pushed!.unchanged && context.rotations.rotated(row, pushed!.connectionId)
  return {
    team: row.name,
    name: local.name,
    version: pushed!.version,
    created: pushed!.created,
    unchanged: pushed!.unchanged,
    ...(rotated ? { rotated } : {}),
    ...(environments ? { environments } : {}),
  }
}

/** Sets a connection's environments right after its push; a race for the position is retried. */
async function writeMatrix(
  context: PushContext,
  store: TeamStore,
  row: TeamSpaceRow,
  me: UnlockedIdentity,
  { connectionId, name }: { connectionId: string; name: string },
  environments: string[],
) {
  for (let attempt = 1; ; attempt++) {
    const team = await reverifyTeam(store, row)
    try {
      return await appendChange(
        store,
        team,
        actorOf(me),
        'connection.environments',
        { connectionId, environments },
        {},
        {
          action: 'connection.environments',
          detail: `${name}: ${environments.join(', ') || 'no environment'}`,
          at: context.now(),
        },
      )
    } catch (error) {
      if (attempt >= RACE_ATTEMPTS || !isBridgekeepError(error) || error.code !== 'CONFLICT')
        throw error
    }
  }
}

import type { UnlockedIdentity } from '../sharing/identity'
import { actorOf, type WithTeam } from './team-access'
import { findConnection, teamEnvironments } from './team-connection-rules'
import type { TeamCopy } from './team-copy'
import { requireAdmin } from './team-members'
import type { TeamSpaceRow } from './team-repository'
import { appendChange } from './team-session'

/** What the push, the matrix and the removal need of the team connections service. */
export interface EditContext {
  identity: () => Promise<UnlockedIdentity>
  copy: TeamCopy
  now: () => string
  withTeam: WithTeam
  audit: (action: 'team.push' | 'team.env' | 'team.rm', row: TeamSpaceRow, detail: string) => void
}

/** Changes where the team may use a connection: a signed matrix change, by an admin. */
export async function setTeamEnvironments(
  context: EditContext,
  row: TeamSpaceRow,
  name: string,
  change: { allow?: string[]; deny?: string[] },
) {
  const allow = teamEnvironments(change.allow ?? [])
  const deny = teamEnvironments(change.deny ?? [])
  const me = await context.identity()
  let result: { team: string; name: string; environments: string[]; changed: boolean } | undefined
  await context.withTeam(
    row,
    `Changed the environments of ${name} in team space ${row.name}`,
    async (store, team) => {
      requireAdmin(team.state, me.address.signingKey, 'change where connections may be used')
      const connection = findConnection(team.state, name, row.name)
      const environments = [...new Set([...connection.environments, ...allow])]
        .filter((e) => !deny.includes(e))
        .sort()
      const changed = environments.join() !== connection.environments.join()
      result = { team: row.name, name: connection.name, environments, changed }
      if (!changed) return undefined
      const head = await appendChange(
        store,
        team,
        actorOf(me),
        'connection.environments',
        { connectionId: connection.id, environments },
        {},
        {
          action: 'connection.environments',
          detail: `${connection.name}: ${environments.join(', ') || 'no environment'}`,
          at: context.now(),
        },
      )
      await context.copy.refresh(store, row, me)
      return head
    },
  )
  if (result!.changed)
    context.audit(
      'team.env',
      row,
      `${result!.name}: ${result!.environments.join(', ') || 'no environment'}`,
    )
  return result!
}

/**
 * Removes a connection from the team: a signed `connection.remove` of its current version, by
 * an admin. Every member's client drops it (and its copy, on sync); its id never comes back.
 * Its old versions' ciphertext stays in the append-only tables: rotate what members could read.
 */
export async function removeTeamConnection(context: EditContext, row: TeamSpaceRow, name: string) {
  const me = await context.identity()
  let removed: { team: string; name: string; version: number } | undefined
  await context.withTeam(
    row,
    `Removed ${name} from team space ${row.name}`,
    async (store, team) => {
      requireAdmin(team.state, me.address.signingKey, 'remove connections')
      const connection = findConnection(team.state, name, row.name)
      const head = await appendChange(
        store,
        team,
        actorOf(me),
        'connection.remove',
        { connectionId: connection.id, baseVersion: connection.version },
        {},
        {
          action: 'connection.remove',
          detail: `${connection.name} version ${connection.version}`,
          at: context.now(),
        },
      )
      removed = { team: row.name, name: connection.name, version: connection.version }
      await context.copy.refresh(store, row, me)
      return head
    },
  )
  context.audit('team.rm', row, `${removed!.name} version ${removed!.version}`)
  return removed!
}

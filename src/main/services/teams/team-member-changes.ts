import type { Logger } from '../../log'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamMember, TeamRole } from './change-chain'
import { actorOf, type WithTeam } from './team-access'
import { findRemovable, rekeyAll, rekeyPending, shareKeysWith } from './team-connection-keys'
import type { TeamCopy } from './team-copy'
import type { TeamStore } from './team-database-repository'
import { loginGrant, requireLogin, type LoginGrant } from './team-login-grants'
import { findMember, requireAdmin, requireAnotherAdmin } from './team-members'
import type { TeamSpaceRow } from './team-repository'
import type { TeamRotations } from './team-rotations'
import { appendChange } from './team-session'

// Membership changes that can take keys away (a removal, a new role), as team-service.ts calls
// them: the signed change, the database login's grants, and for a full member who leaves the
// re-key of every connection and the list of what they could read.

/** What removing a member and changing a role need of the team service. */
export interface MemberChangeContext {
  find: (teamName: string | undefined) => TeamSpaceRow
  identity: () => Promise<UnlockedIdentity>
  copy: TeamCopy
  rotations: TeamRotations
  log: Logger
  now: () => string
  withTeam: WithTeam
  audit: (action: 'team.remove' | 'team.role', row: TeamSpaceRow, detail: string) => void
}

export async function removeMember(
  context: MemberChangeContext,
  teamName: string | undefined,
  who: string,
  dbLogin?: string,
) {
  requireLogin(dbLogin)
  const row = context.find(teamName)
  const me = await context.identity()
  let removed: TeamMember | undefined
  let database: LoginGrant | undefined
  let keys: Awaited<ReturnType<typeof rekeyAll>> | undefined
  await context.withTeam(row, `Removed ${who} from team space ${row.name}`, async (store, team) => {
    requireAdmin(team.state, me.address.signingKey, 'remove members')
    removed = findRemovable(team.state, who, row.name)
    requireAnotherAdmin(team.state, removed, row.name, 'removing')
    const head = await appendChange(
      store,
      team,
      actorOf(me),
      'member.remove',
      { signingKey: removed.signingKey },
      { remove: removed.signingKey },
      { action: 'member.remove', detail: `${removed.name} removed`, at: context.now() },
    )
    database = await loginGrant(store, row.team_id, dbLogin, { from: removed.role })
    // A full member read the keys: every connection gets a new one they do not have.
    if (removed.role !== 'use-only') keys = await rekey(context, store, row, me)
    return keys?.head ?? head
  })
  context.audit('team.remove', row, `Removed ${removed!.name} (was ${removed!.role})`)
  return {
    team: row.name,
    name: removed!.name,
    role: removed!.role,
    database: database!,
    ...rotate(context, row, removed!, keys),
  }
}

/**
 * Gives a member another role, as a change signed by an admin. The role they already have is
 * said so and writes nothing; the last admin is never demoted.
 */
export async function changeRole(
  context: MemberChangeContext,
  teamName: string | undefined,
  who: string,
  role: TeamRole,
  dbLogin?: string,
) {
  requireLogin(dbLogin)
  const row = context.find(teamName)
  const me = await context.identity()
  let member: TeamMember | undefined
  let changed = false
  let database: LoginGrant | undefined
  let keys: Awaited<ReturnType<typeof rekeyAll>> | undefined
  await context.withTeam(row, `Changed a role in team space ${row.name}`, async (store, team) => {
    requireAdmin(team.state, me.address.signingKey, 'change roles')
    member = findMember(team.state, who, row.name)
    const grant = () => loginGrant(store, row.team_id, dbLogin, { from: member!.role, to: role })
    if (member.role === role) {
      database = await grant()
      // Run again after a demotion whose re-key was cut off: this finishes it.
      if (role === 'use-only' && rekeyPending(team.state).length)
        keys = await rekey(context, store, row, me)
      return keys?.head
    }
    if (role !== 'admin') requireAnotherAdmin(team.state, member, row.name, 'demoting')
    const head = await appendChange(
      store,
      team,
      actorOf(me),
      'member.role',
      { signingKey: member.signingKey, role },
      { set: { ...member, role } },
      {
        action: 'member.role',
        detail: `${member.name} is now ${role} (was ${member.role})`,
        at: context.now(),
      },
    )
    database = await grant()
    changed = true
    // Made use-only: new keys they do not get. Raised from use-only: the current keys.
    if (role === 'use-only') keys = await rekey(context, store, row, me)
    else if (member.role === 'use-only') await shareKeysWith(store, row, me, { ...member, role })
    return keys?.head ?? head
  })
  if (changed)
    context.audit('team.role', row, `${member!.name} is now ${role} (was ${member!.role})`)
  return {
    team: row.name,
    name: member!.name,
    role,
    was: member!.role,
    changed,
    database: database!,
    ...rotate(context, row, member!, keys),
  }
}

/** Every connection gets a new key the member who left does not hold; the copy takes them. */
async function rekey(
  context: MemberChangeContext,
  store: TeamStore,
  row: TeamSpaceRow,
  me: UnlockedIdentity,
) {
  const keys = await rekeyAll(store, row, me, context.now(), context.log)
  // The copy takes the new versions: a push of a rotated secret builds on them, no sync first.
  if (keys.head) await context.copy.refresh(store, row, me)
  return keys
}

/** What a full member leaving means for the team's connections: what to rotate, kept here. */
function rotate(
  context: MemberChangeContext,
  row: TeamSpaceRow,
  member: TeamMember,
  keys: Awaited<ReturnType<typeof rekeyAll>> | undefined,
) {
  if (!keys?.rotate.length) return {}
  context.rotations.record(row, member, keys.readable)
  return { rotate: keys.rotate, notRekeyed: keys.failed }
}

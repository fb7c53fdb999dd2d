import { BridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamStore } from './team-database-repository'
import { useTeamDatabase, type TeamDatabaseServices } from './team-database'
import type { TeamSpaceRow } from './team-repository'
import { verifyTeam, type TeamActor, type VerifiedTeam } from './team-session'
import type { TeamSpaces } from './team-spaces'

/** What opening a joined team needs: its database's services, the vault's record and a log. */
export interface TeamAccess extends TeamDatabaseServices {
  spaces: TeamSpaces
  log: Logger
}

/**
 * Opens a joined team's database, verifies it against what this vault pinned, runs `work` and
 * remembers the head it saw (the one way every team command reads a team). `work` returns the
 * new head when it wrote changes.
 */
export async function withVerifiedTeam(
  access: TeamAccess,
  row: TeamSpaceRow,
  detail: string,
  work: (
    store: TeamStore,
    team: VerifiedTeam,
  ) => Promise<{ seq: number; hash: string } | undefined>,
): Promise<void> {
  const database = access.spaces.databaseOf(row)
  await useTeamDatabase(access, database, detail, async (store) => {
    const team = await verifyTeam(store, {
      teamId: row.team_id,
      founderKey: row.founder_key,
      seen: { seq: row.seen_seq, hash: row.seen_hash },
    })
    for (const warning of team.warnings)
      access.log.warn('team.warning', { team: row.name, warning })
    const head = (await work(store, team)) ?? team.state.head
    // A log that lost what this vault saw before keeps the old mark: the warning stays.
    if (!team.seenLost) access.spaces.markSeen(row, head)
  })
}

export function requireAdmin(team: VerifiedTeam, me: UnlockedIdentity, what: string): void {
  const role = team.state.members.get(me.address.signingKey)?.role
  if (role !== 'admin')
    throw new BridgekeepError(
      'FORBIDDEN',
      role
        ? `Only admins of ${team.state.name} can ${what}; you are ${role === 'use-only' ? 'a use-only member' : 'a member'}.`
        : `This vault is no longer a member of ${team.state.name}.`,
      'Ask a team admin.',
    )
}

/** This vault as the author of team changes and audit entries. */
export function actorOf(me: UnlockedIdentity): TeamActor {
  return { signingKey: me.address.signingKey, key: me.signingKey }
}

/** The team read again within a command (after a change, or a race for a position). */
export function reverifyTeam(store: TeamStore, row: TeamSpaceRow): Promise<VerifiedTeam> {
  return verifyTeam(store, { teamId: row.team_id, founderKey: row.founder_key })
}

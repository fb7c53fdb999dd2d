import type { Logger } from '../../log'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamStore } from './team-database-repository'
import { useTeamDatabase, type RecordedWhen, type TeamDatabaseServices } from './team-database'
import type { TeamSpaceRow } from './team-repository'
import {
  verifyJoinedTeam,
  verifyTeam,
  type TeamActor,
  type VerifiedTeam,
  type VerifyOptions,
} from './team-session'
import type { TeamSpaces } from './team-spaces'

/** What opening a joined team needs: its database's services, the vault's record and a log. */
export interface TeamAccess extends TeamDatabaseServices {
  spaces: TeamSpaces
  log: Logger
}

/** A command's work on a verified team: it returns the new head when it wrote changes. */
export type TeamWork = (
  store: TeamStore,
  team: VerifiedTeam,
) => Promise<{ seq: number; hash: string } | undefined>

/** `withVerifiedTeam` as a service hands it to the modules that write its commands. */
export type WithTeam = (row: TeamSpaceRow, detail: string, work: TeamWork) => Promise<void>

/**
 * Opens a joined team's database, verifies it against what this vault pinned, runs `work` and
 * remembers the head it saw (the one way every team command reads a team). `work` returns the
 * new head when it wrote changes.
 */
export async function withVerifiedTeam(
  access: TeamAccess,
  row: TeamSpaceRow,
  detail: string,
  work: TeamWork,
  options: VerifyOptions & { recorded?: RecordedWhen } = {},
): Promise<void> {
  const database = access.spaces.databaseOf(row)
  await useTeamDatabase(
    access,
    database,
    detail,
    async (store) => {
      const team = await verifyJoinedTeam(store, row, access, options)
      const head = (await work(store, team)) ?? team.state.head
      // A log that lost what this vault saw before keeps the old mark: the warning stays.
      if (!team.seenLost) access.spaces.markSeen(row, head)
    },
    options.recorded,
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

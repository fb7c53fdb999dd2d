import { teamRoleName } from '../db/team-migrations'
import type { Services } from '../services'
import type { TeamSummary } from '../services/teams/team-spaces'
import type { FeatureHandlers } from './handlers'

/** A team as the page shows it, with the database role its administrator grants to members. */
const withRole = (team: TeamSummary) => ({ ...team, databaseRole: teamRoleName(team.id) })

export function teamsHandlers(services: Services): FeatureHandlers<'teams'> {
  const { teams } = services
  return {
    list: () => teams.list().map(withRole),
    create: async ({ connection, environment, name }) =>
      withRole(await teams.init({ connection, environment }, name)),
    join: async ({ connection, environment, team, founderFingerprint }) =>
      withRole(
        await teams.join({ connection, environment }, team, founderFingerprint || undefined),
      ),
    members: ({ team }) => teams.members(team),
    invite: ({ team, address, role, name }) => teams.invite(team, address, role, name || undefined),
    remove: ({ team, member }) => teams.remove(team, member),
    changeRole: ({ team, member, role }) => teams.role(team, member, role),
    verify: ({ team }) => teams.verify(team),
  }
}

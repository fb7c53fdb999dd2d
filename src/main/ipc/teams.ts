import { teamRoleName, teamRoleNames } from '../db/team-migrations'
import type { Services } from '../services'
import type { TeamSummary } from '../services/teams/team-spaces'
import type { FeatureHandlers } from './handlers'

/** A team as the page shows it, with the database role of each team role. */
const withRole = (team: TeamSummary) => {
  const { base, ...databaseRoles } = teamRoleNames(teamRoleName(team.id))
  return { ...team, databaseRole: base, databaseRoles }
}

export function teamsHandlers(services: Services): FeatureHandlers<'teams'> {
  const { teams, teamConnections, teamRunner, teamRotations } = services
  return {
    list: () => teams.list().map(withRole),
    create: async ({ connection, environment, name }) =>
      withRole(await teams.init({ connection, environment }, name)),
    join: async ({ connection, environment, team, founderFingerprint }) =>
      withRole(
        await teams.join({ connection, environment }, team, founderFingerprint || undefined),
      ),
    members: ({ team }) => teams.members(team),
    invite: ({ team, address, role, name, dbLogin }) =>
      teams.invite(team, address, role, name || undefined, dbLogin || undefined),
    remove: ({ team, member, dbLogin }) => teams.remove(team, member, dbLogin || undefined),
    changeRole: ({ team, member, role, dbLogin }) =>
      teams.role(team, member, role, dbLogin || undefined),
    rotations: ({ team }) => teamRotations.list(team)[0]!,
    dismissRotation: ({ team, connection }) => teamRotations.dismiss(team, connection),
    verify: ({ team }) => teams.verify(team),
    connections: ({ team }) => teamConnections.listForMe(team),
    sync: ({ team }) => teamConnections.sync(team),
    push: ({ team, connection, environments }) =>
      teamConnections.push(team, connection, environments ? { environments } : {}),
    setEnvironments: ({ team, name, allow, deny }) =>
      teamConnections.setEnvironments(team, name, {
        ...(allow ? { allow } : {}),
        ...(deny ? { deny } : {}),
      }),
    credentials: ({ team, name, environment, timeoutSeconds }) =>
      teamRunner.credentials(
        team,
        { connection: name, environment },
        timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {},
      ),
  }
}

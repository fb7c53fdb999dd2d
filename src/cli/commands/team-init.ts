import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { keyValues, writeJson } from '../framework/output'
import { teamRoleName, teamRoleNames } from '../../main/db/team-migrations'
import { TEAM_ENV_OPTION, teamDatabase } from '../team-arguments'

const teamInit: CommandSpec = {
  usage: '<postgres-connection> --name <team> --env <env>',
  description: [
    "Creates a team space in a PostgreSQL database (14 or newer) and founds it with this vault as its first admin. The database is reached through one of your PostgreSQL connections, used in --env like any use (it must be authorized there). Creates or upgrades the bridgekeep schema, and the team's database roles: one per team role (bridgekeep_team_…_admin, _member, _use_only); the database administrator grants each member's login the one of their role (team invite prints the statement).",
    "The database never holds a secret: membership changes are signed with your vault's key, and members verify them back to you. See docs/teams.md.",
  ].join('\n\n'),
  options: {
    name: { type: 'string', valueName: 'team', description: "the team's name" },
    env: TEAM_ENV_OPTION,
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep team init team-db --env production --name platform'],
  async run(context, { values, positionals }) {
    const name = stringOption(values, 'name')
    if (name === undefined) throw new UsageError('--name <team> is required.', 'team init')
    const database = teamDatabase(positionals[0]!, values, 'team init')
    const services = await context.services()
    const team = await context.progress('Creating the team space…', () =>
      services.teams.init(database, name),
    )
    const me = await services.sharing.identity()
    const roles = teamRoleNames(teamRoleName(team.id))
    if (context.json)
      return writeJson(context.io.stdout, {
        ...team,
        databaseRoles: roles,
        founderFingerprint: me.fingerprint,
      })
    context.io.stdout.write(
      keyValues([
        ['Team', team.name],
        ['Database', `${team.connection} (in ${team.environment})`],
        ['Database roles', `${roles.admin}, ${roles.member}, ${roles['use-only']}`],
        ['Founder', `${me.name} (you)`],
        ['Founder fingerprint', me.fingerprint],
      ]),
    )
    context.io.stdout.write(
      `\nNext: for each teammate, bridgekeep team invite <their share address> --role member; the database administrator grants their login the role of their team role (team invite prints it, e.g. GRANT ${roles.member} TO <their login>); they join with bridgekeep team join <their connection> --team "${team.name}" --founder "${me.fingerprint}" (tell them the fingerprint in person or aloud).\n`,
    )
  },
}

export default teamInit

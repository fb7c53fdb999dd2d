import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { keyValues, writeJson } from '../framework/output'
import { teamRoleName } from '../../main/db/team-migrations'
import { TEAM_ENV_OPTION, teamDatabase } from '../team-arguments'

const teamInit: CommandSpec = {
  usage: '<postgres-connection> --name <team> --env <env>',
  description: [
    "Creates a team space in a PostgreSQL database (14 or newer) and founds it with this vault as its first admin. The database is reached through one of your PostgreSQL connections, used in --env like any use (it must be authorized there). Creates or upgrades the bridgekeep schema, and a database role for the team (bridgekeep_team_…) that the database administrator grants to each member's login.",
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
    const role = teamRoleName(team.id)
    if (context.json)
      return writeJson(context.io.stdout, {
        ...team,
        databaseRole: role,
        founderFingerprint: me.fingerprint,
      })
    context.io.stdout.write(
      keyValues([
        ['Team', team.name],
        ['Database', `${team.connection} (in ${team.environment})`],
        ['Database role', `${role} (grant it to each member's login)`],
        ['Founder', `${me.name} (you)`],
        ['Founder fingerprint', me.fingerprint],
      ]),
    )
    context.io.stdout.write(
      `\nNext: for each teammate, bridgekeep team invite <their share address> --role member; ask the database administrator to grant their login the team's role (GRANT ${role} TO <their login>); they join with bridgekeep team join <their connection> --team "${team.name}" --founder "${me.fingerprint}" (tell them the fingerprint in person or aloud).\n`,
    )
  },
}

export default teamInit

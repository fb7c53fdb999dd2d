import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { keyValues, writeJson } from '../framework/output'
import { TEAM_ENV_OPTION, teamDatabase } from '../team-arguments'

const teamJoin: CommandSpec = {
  usage: '<postgres-connection> --team <name> --env <env> [--founder <fingerprint>]',
  description: [
    "Joins a team space an admin added you to (bridgekeep team invite). The database is reached through one of your PostgreSQL connections, used in --env like any use; your login needs the team's database role.",
    "Joining pins the team's founder: every change is verified back to the founder's key, so it must be the right one. Give the founder's fingerprint with --founder after comparing it with them in person or aloud, or add the founder as a verified contact first (bridgekeep share add-contact … --verified).",
  ].join('\n\n'),
  options: {
    team: { type: 'string', valueName: 'name', description: 'the team to join' },
    founder: {
      type: 'string',
      valueName: 'fingerprint',
      description: "the founder's fingerprint, as they read it out (spaces optional)",
    },
    env: TEAM_ENV_OPTION,
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep team join team-db --env production --team platform --founder "3F9A 12C4 7B0E 55D1 A2F3"',
  ],
  async run(context, { values, positionals }) {
    const name = stringOption(values, 'team')
    if (name === undefined) throw new UsageError('--team <name> is required.', 'team join')
    const database = teamDatabase(positionals[0]!, values, 'team join')
    const services = await context.services()
    const team = await context.progress('Joining the team space…', () =>
      services.teams.join(database, name, stringOption(values, 'founder')),
    )
    if (context.json) return writeJson(context.io.stdout, team)
    context.io.stdout.write(
      keyValues([
        ['Joined', team.name],
        ['Database', `${team.connection} (in ${team.environment})`],
      ]),
    )
  },
}

export default teamJoin

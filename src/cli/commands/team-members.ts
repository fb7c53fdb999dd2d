import { stringOption, type CommandSpec } from '../framework/command'
import { table, writeJson } from '../framework/output'
import { TEAM_OPTION, writeTeamWarnings } from '../team-arguments'

const teamMembers: CommandSpec = {
  usage: '[--team <team>]',
  description:
    'The members of a team space and their roles, as the signed change log says (verified back to the founder). Rows of the team database that fail that check are ignored and named on stderr: such a row was written or edited outside Bridgekeep.',
  options: { team: TEAM_OPTION },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep team members', 'bridgekeep team members --team platform --json'],
  async run(context, { values }) {
    const services = await context.services()
    const result = await context.progress('Reading the team…', () =>
      services.teams.members(stringOption(values, 'team')),
    )
    writeTeamWarnings(context.io, result.warnings)
    if (context.json) return writeJson(context.io.stdout, result)
    context.io.stdout.write(
      table(result.members, [
        { header: 'NAME', value: (m) => `${m.name}${m.you ? ' (you)' : ''}` },
        { header: 'ROLE', value: (m) => m.role },
        { header: 'FINGERPRINT', value: (m) => m.fingerprint },
        { header: 'SINCE', align: 'right', value: (m) => `change #${m.sinceChange}` },
      ]),
    )
  },
}

export default teamMembers

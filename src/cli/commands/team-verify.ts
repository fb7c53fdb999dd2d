import { stringOption, type CommandSpec } from '../framework/command'
import { keyValues, writeJson } from '../framework/output'
import { TEAM_OPTION, writeTeamWarnings } from '../team-arguments'

const teamVerify: CommandSpec = {
  usage: '[--team <team>]',
  description:
    "Replays a team space's signed change log from its pinned founder and checks its hash-chained audit trail; prints what it trusts and every warning, each naming its row: changes ignored, a log cut back below what this vault saw, a broken audit link, the members table disagreeing with the signed log. Exits 0 when there is no warning, 1 otherwise.",
  options: { team: TEAM_OPTION },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep team verify', 'bridgekeep team verify --team platform --json'],
  async run(context, { values }) {
    const services = await context.services()
    const result = await context.progress('Verifying the team…', () =>
      services.teams.verify(stringOption(values, 'team')),
    )
    if (context.json) {
      writeJson(context.io.stdout, result)
      return result.ok ? 0 : 1
    }
    writeTeamWarnings(context.io, result.warnings)
    context.io.stdout.write(
      keyValues([
        ['Team', result.team],
        ['Founder', result.founder],
        ['Last trusted change', `#${result.lastTrustedChange}`],
        ['Members', `${result.members} (${result.admins} admin${result.admins === 1 ? '' : 's'})`],
        ['Audit entries', String(result.auditEntries)],
        [
          'Result',
          result.ok
            ? 'verified: no warning'
            : `${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'} (on stderr)`,
        ],
      ]),
    )
    return result.ok ? 0 : 1
  },
}

export default teamVerify

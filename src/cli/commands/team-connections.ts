import { stringOption, type CommandSpec } from '../framework/command'
import { table, writeJson } from '../framework/output'
import { TEAM_OPTION, writeTeamWarnings } from '../team-arguments'

const teamConnections: CommandSpec = {
  usage: '[--team <team>] [--json]',
  description:
    "A team space's connections as this vault's copy has them (bridgekeep team sync refreshes it; no database is asked): name, provider, version, who wrote it, and the environments the team allows. Never a secret. A connection whose sealed secrets do not match their signed change is marked and named on stderr.",
  options: { team: TEAM_OPTION },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep team connections', 'bridgekeep team connections --team platform --json'],
  async run(context, { values }) {
    const services = await context.services()
    const result = services.teamConnections.list(stringOption(values, 'team'))
    writeTeamWarnings(context.io, [
      ...result.warnings,
      ...result.connections.flatMap((c) => c.problem ?? []),
    ])
    if (context.json) return writeJson(context.io.stdout, result)
    if (result.connections.length === 0) {
      context.io.stdout.write(
        result.syncedAt
          ? `${result.team} has no connections yet. An admin adds one with: bridgekeep team push <connection>\n`
          : `This vault has not synced ${result.team} yet: bridgekeep team sync\n`,
      )
      return
    }
    context.io.stdout.write(
      table(result.connections, [
        { header: 'NAME', value: (c) => `${c.name}${c.problem ? ' (damaged)' : ''}` },
        { header: 'PROVIDER', value: (c) => c.provider },
        { header: 'VERSION', align: 'right', value: (c) => String(c.version) },
        { header: 'BY', value: (c) => c.updatedBy },
        { header: 'ENVIRONMENTS', value: (c) => c.environments.join(', ') || '(none)' },
      ]),
    )
  },
}

export default teamConnections

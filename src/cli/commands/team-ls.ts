import type { CommandSpec } from '../framework/command'
import { table, when, writeJson } from '../framework/output'

const teamLs: CommandSpec = {
  usage: '[options]',
  description:
    'The team spaces this vault belongs to, with the PostgreSQL connection and environment each is reached through. Read from the vault alone: no database is asked.',
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep team ls', 'bridgekeep team ls --json'],
  async run(context) {
    const services = await context.services()
    const teams = services.teams.list()
    if (context.json) return writeJson(context.io.stdout, teams)
    if (teams.length === 0) {
      context.io.stdout.write(
        'No team spaces yet. Create one with bridgekeep team init, or join one with bridgekeep team join.\n',
      )
      return
    }
    context.io.stdout.write(
      table(teams, [
        { header: 'TEAM', value: (t) => t.name },
        { header: 'CONNECTION', value: (t) => t.connection },
        { header: 'ENVIRONMENT', value: (t) => t.environment },
        { header: 'JOINED', value: (t) => when(t.joinedAt) },
      ]),
    )
  },
}

export default teamLs

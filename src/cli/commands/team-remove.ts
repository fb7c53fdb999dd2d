import { stringOption, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import { DB_LOGIN_OPTION, rotateList, TEAM_OPTION, writeLoginGrant } from '../team-arguments'

const teamRemove: CommandSpec = {
  usage: '<member> [--db-login <login>] [--team <team>]',
  description: [
    'Removes a member from a team space (by name, fingerprint or share address), as a change signed by you; only admins may, and never the last admin.',
    "Their vault stops accepting the team as theirs at once. What it cannot undo: secrets a full member already read stay known to them (rotate those), and their database login keeps reading the team's rows until the database administrator revokes the team role from it: the command prints the REVOKE, or runs it with --db-login when your login may.",
  ].join('\n\n'),
  options: { 'db-login': DB_LOGIN_OPTION, team: TEAM_OPTION },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep team remove Bob',
    'bridgekeep team remove "3F9A 12C4 7B0E 55D1 A2F3" --team platform',
  ],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const removed = await context.progress('Removing the member…', () =>
      services.teams.remove(
        stringOption(values, 'team'),
        positionals[0]!,
        stringOption(values, 'db-login'),
      ),
    )
    if (context.json) {
      writeJson(context.io.stdout, removed)
      return removed.database.refused === undefined ? 0 : 1
    }
    context.io.stdout.write(
      `Removed ${printable(removed.name)} (${removed.role}) from ${printable(removed.team)}.${removed.role === 'use-only' ? '' : ' They may have read secrets while a member: rotate those.'}\n${rotateList(removed)}`,
    )
    return writeLoginGrant(context.io, removed.database)
  },
}

export default teamRemove

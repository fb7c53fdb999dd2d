import { stringOption, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import {
  DB_LOGIN_OPTION,
  rotateList,
  TEAM_OPTION,
  teamRole,
  writeLoginGrant,
} from '../team-arguments'

const teamRoleCommand: CommandSpec = {
  usage: '<member> --role admin|member|use-only [--db-login <login>] [--team <team>]',
  description: [
    'Gives a member of a team space another role (by name, fingerprint or share address), as a change signed by you; only admins may, and the last admin is never demoted.',
    'Roles: admin manages members; member uses connections and sees their secrets; use-only uses them without ever receiving a secret. The role a member already has is said so and nothing is written.',
    'Prints the REVOKE/GRANT that gives their PostgreSQL login the database role of the new role, for the database administrator; with --db-login it runs them when your login may grant roles.',
  ].join('\n\n'),
  options: {
    role: { type: 'string', valueName: 'role', description: 'admin, member or use-only' },
    'db-login': DB_LOGIN_OPTION,
    team: TEAM_OPTION,
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep team role Bob --role admin',
    'bridgekeep team role "3F9A 12C4 7B0E 55D1 A2F3" --role use-only --team platform',
  ],
  async run(context, { values, positionals }) {
    const role = teamRole(values, 'team role')
    const services = await context.services()
    const result = await context.progress('Changing the role…', () =>
      services.teams.role(
        stringOption(values, 'team'),
        positionals[0]!,
        role,
        stringOption(values, 'db-login'),
      ),
    )
    if (context.json) {
      writeJson(context.io.stdout, result)
      return result.database.refused === undefined ? 0 : 1
    }
    const who = `${printable(result.name)} of ${printable(result.team)}`
    context.io.stdout.write(
      result.changed
        ? `${who} is now ${result.role} (was ${result.was}).\n${rotateList(result)}`
        : result.rotate
          ? `${who} is already ${result.role}: the new keys their demotion started are given now.\n${rotateList(result)}`
          : `${who} is already ${result.role}: nothing changed.\n`,
    )
    return writeLoginGrant(context.io, result.database)
  },
}

export default teamRoleCommand

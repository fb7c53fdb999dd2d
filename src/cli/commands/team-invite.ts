import { stringOption, type CommandSpec } from '../framework/command'
import { keyValues, writeJson } from '../framework/output'
import { DB_LOGIN_OPTION, TEAM_OPTION, teamRole, writeLoginGrant } from '../team-arguments'

const teamInvite: CommandSpec = {
  usage:
    '<share-address> --role admin|member|use-only [--name <name>] [--db-login <login>] [--team <team>]',
  description: [
    'Adds a teammate to a team space by their share address (they see it with bridgekeep share identity), as a change signed by you; only admins may. Roles: admin manages members; member uses connections and sees their secrets; use-only uses them without ever receiving a secret.',
    "Compare the teammate's fingerprint with them before inviting, as for a contact. The name defaults to the contact's name when the address is one of your contacts. They then join with bridgekeep team join.",
    "The database's own wall: their PostgreSQL login needs the team's database role for their role; the command prints the GRANT for the database administrator, or runs it with --db-login when your login may grant roles. Inviting someone again with the role they have writes nothing.",
  ].join('\n\n'),
  options: {
    role: { type: 'string', valueName: 'role', description: 'admin, member or use-only' },
    name: { type: 'string', valueName: 'name', description: 'the name the team sees' },
    'db-login': DB_LOGIN_OPTION,
    team: TEAM_OPTION,
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep team invite bkshare1:age1…:…:… --role member --name Bob'],
  async run(context, { values, positionals }) {
    const role = teamRole(values, 'team invite')
    const services = await context.services()
    const added = await context.progress('Adding the member…', () =>
      services.teams.invite(
        stringOption(values, 'team'),
        positionals[0]!,
        role,
        stringOption(values, 'name'),
        stringOption(values, 'db-login'),
      ),
    )
    if (context.json) {
      writeJson(context.io.stdout, added)
      return added.database.refused === undefined ? 0 : 1
    }
    context.io.stdout.write(
      keyValues([
        [added.added ? 'Added' : 'Already a member', added.name],
        ['Role', added.role],
        ['Fingerprint', added.fingerprint],
        ['Team', added.team],
      ]),
    )
    return writeLoginGrant(context.io, added.database)
  },
}

export default teamInvite

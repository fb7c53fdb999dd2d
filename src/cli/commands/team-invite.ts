import { stringOption, type CommandSpec } from '../framework/command'
import { keyValues, writeJson } from '../framework/output'
import { TEAM_OPTION, teamRole } from '../team-arguments'

const teamInvite: CommandSpec = {
  usage: '<share-address> --role admin|member|use-only [--name <name>] [--team <team>]',
  description: [
    'Adds a teammate to a team space by their share address (they see it with bridgekeep share identity), as a change signed by you; only admins may. Roles: admin manages members; member uses connections and sees their secrets; use-only uses them without ever receiving a secret.',
    "Compare the teammate's fingerprint with them before inviting, as for a contact. The name defaults to the contact's name when the address is one of your contacts. They then join with bridgekeep team join.",
  ].join('\n\n'),
  options: {
    role: { type: 'string', valueName: 'role', description: 'admin, member or use-only' },
    name: { type: 'string', valueName: 'name', description: 'the name the team sees' },
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
      ),
    )
    if (context.json) return writeJson(context.io.stdout, added)
    context.io.stdout.write(
      keyValues([
        ['Added', added.name],
        ['Role', added.role],
        ['Fingerprint', added.fingerprint],
        ['Team', added.team],
      ]),
    )
  },
}

export default teamInvite

import { stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import { TEAM_OPTION } from '../team-arguments'

const teamPush: CommandSpec = {
  usage: '<connection> [--env <env>...] [--team <team>]',
  description: [
    "Pushes one of your connections to a team space: its secrets sealed with a new key that is wrapped to each full member's identity (never to use-only members), its non-secret fields in a change signed by you. Only admins may. A team connection of the same name gets a new version, unless the team already holds it exactly as it is here (so a push run again after a lost reply writes nothing twice).",
    'A push is based on the version this vault last synced: when someone pushed a newer one since, it is refused with that version shown (who, when, the fields that differ); run bridgekeep team sync, then push again. Connections holding references, and connections shared with you use-only, are refused.',
    '--env sets the environments the team may use it in (the team matrix; repeat it for several). The database sees the name, provider, non-secret fields and environments; the secrets only sealed.',
  ].join('\n\n'),
  options: {
    env: {
      type: 'string',
      multiple: true,
      valueName: 'env',
      description: 'an environment the team may use it in (repeatable)',
    },
    team: TEAM_OPTION,
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep team push app-db --env staging --env production',
    'bridgekeep team push prod-aws --team platform',
  ],
  async run(context, { values, positionals }) {
    const environments = stringsOption(values, 'env')
    const services = await context.services()
    const pushed = await context.progress('Pushing the connection…', () =>
      services.teamConnections.push(
        stringOption(values, 'team'),
        positionals[0]!,
        environments.length ? { environments } : {},
      ),
    )
    if (context.json) return writeJson(context.io.stdout, pushed)
    const envs = pushed.environments
      ? ` It may be used in: ${pushed.environments.join(', ') || 'no environment'}.`
      : ''
    if (pushed.unchanged)
      return void context.io.stdout.write(
        `${printable(pushed.team)} already holds ${printable(pushed.name)} as it is here (version ${pushed.version}): no new version.${envs}\n`,
      )
    context.io.stdout.write(
      `Pushed ${printable(pushed.name)} to ${printable(pushed.team)} as version ${pushed.version}${pushed.created ? ' (new)' : ''}.${envs}${pushed.rotated ? ' Its new secrets replace what a member who left could read: off the list of secrets to rotate.' : ''}\n`,
    )
  },
}

export default teamPush

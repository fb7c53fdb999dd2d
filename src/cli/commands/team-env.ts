import { stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { printable, writeJson } from '../framework/output'
import { TEAM_OPTION } from '../team-arguments'

const teamEnv: CommandSpec = {
  usage: '<connection> (--allow <env> | --deny <env>)... [--team <team>]',
  description:
    "Changes where a team connection may be used (the team's matrix), as a change signed by you; only admins may. Every member's client refuses a use in an environment the signed matrix does not allow.",
  options: {
    allow: {
      type: 'string',
      multiple: true,
      valueName: 'env',
      description: 'allow it there (repeatable)',
    },
    deny: {
      type: 'string',
      multiple: true,
      valueName: 'env',
      description: 'stop allowing it there (repeatable)',
    },
    team: TEAM_OPTION,
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep team env app-db --allow production',
    'bridgekeep team env app-db --deny staging --team platform',
  ],
  async run(context, { values, positionals }) {
    const allow = stringsOption(values, 'allow')
    const deny = stringsOption(values, 'deny')
    if (allow.length === 0 && deny.length === 0)
      throw new UsageError('give --allow <env> or --deny <env> (or several)', 'team env')
    const both = allow.find((env) => deny.includes(env))
    if (both !== undefined)
      throw new UsageError(`${printable(both.slice(0, 40))} is both allowed and denied`, 'team env')
    const services = await context.services()
    const result = await context.progress('Changing the matrix…', () =>
      services.teamConnections.setEnvironments(stringOption(values, 'team'), positionals[0]!, {
        allow,
        deny,
      }),
    )
    if (context.json) return writeJson(context.io.stdout, result)
    const where = result.environments.join(', ') || 'no environment'
    context.io.stdout.write(
      result.changed
        ? `${printable(result.name)} of ${printable(result.team)} may now be used in: ${where}.\n`
        : `${printable(result.name)} of ${printable(result.team)} already may be used in: ${where}. Nothing changed.\n`,
    )
  },
}

export default teamEnv

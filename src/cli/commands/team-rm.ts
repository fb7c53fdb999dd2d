import { stringOption, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import { TEAM_OPTION } from '../team-arguments'

const teamRm: CommandSpec = {
  usage: '<connection> [--team <team>]',
  description: [
    "Removes a connection from a team space, as a change signed by you; only admins may. Every member's client stops using it at once and drops it from its copy on the next sync; a team runner no longer serves it. Your own vault's connection is not touched.",
    'Its earlier versions stay in the team database as ciphertext (the tables are append-only), and members who could read it may have kept it: rotate the secret if that matters.',
  ].join('\n\n'),
  options: { team: TEAM_OPTION },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep team rm app-db', 'bridgekeep team rm prod-aws --team platform'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const removed = await context.progress('Removing the connection…', () =>
      services.teamConnections.remove(stringOption(values, 'team'), positionals[0]!),
    )
    if (context.json) return writeJson(context.io.stdout, removed)
    context.io.stdout.write(
      `Removed ${printable(removed.name)} (version ${removed.version}) from ${printable(removed.team)}. Members who could read it may have kept it: rotate it if that matters.\n`,
    )
  },
}

export default teamRm

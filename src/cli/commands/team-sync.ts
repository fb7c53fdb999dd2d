import { stringOption, type CommandSpec } from '../framework/command'
import { printable, writeJson } from '../framework/output'
import { TEAM_OPTION, writeTeamWarnings } from '../team-arguments'

const teamSync: CommandSpec = {
  usage: '[--team <team>]',
  description:
    "Pulls a team space's signed changes, its sealed connections and the keys wrapped to this vault into this vault's copy (ciphertext only: secrets are opened at the moment of use), so team connections list and work offline. Rows that fail verification are named on stderr. An admin's sync also finishes re-keying connections that a removal left under a key the removed member could read.",
  options: { team: TEAM_OPTION },
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep team sync', 'bridgekeep team sync --team platform'],
  async run(context, { values }) {
    const services = await context.services()
    const result = await context.progress('Syncing the team…', () =>
      services.teamConnections.sync(stringOption(values, 'team')),
    )
    writeTeamWarnings(context.io, result.warnings)
    if (context.json) return writeJson(context.io.stdout, result)
    context.io.stdout.write(
      `Synced ${printable(result.team)}: ${result.connections} connection${result.connections === 1 ? '' : 's'}, ${result.changes} changes.\n`,
    )
    // The rest of a re-key a removal started and could not finish (an admin's sync does it).
    if (result.rekeyed.length)
      context.io.stdout.write(
        `Re-keyed (a member who left could read their previous key): ${result.rekeyed.map((name) => printable(name)).join(', ')}.\n`,
      )
  },
}

export default teamSync

import { stringOption, type CommandSpec } from '../framework/command'
import { printable, table, when, writeJson } from '../framework/output'

const teamRotations: CommandSpec = {
  usage: '[team] [--dismiss <connection>]',
  description: [
    'The team connections whose secrets a full member who left could read, not rotated yet: kept in the vault of the admin who removed them (or made them use-only), in every team or the one named. Removal gave each a new key they do not hold, but what they read they cannot be made to forget: rotate each secret at its source, then push it again (bridgekeep rotate <connection>, or bridgekeep aws rotate-key <connection>, then bridgekeep team push <connection>); a push with new secrets takes it off this list. Read from the vault alone: no database is asked.',
    'With --dismiss, a connection you rotated elsewhere (then pushed under another name, say) leaves the list; your audit trail records it.',
  ].join('\n\n'),
  options: {
    dismiss: {
      type: 'string',
      valueName: 'connection',
      description: 'take a team connection you rotated elsewhere off the list (audited)',
    },
  },
  positionals: { min: 0, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep team rotations',
    'bridgekeep team rotations platform --json',
    'bridgekeep team rotations platform --dismiss app-db',
  ],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const dismiss = stringOption(values, 'dismiss')
    if (dismiss !== undefined) {
      const done = services.teamRotations.dismiss(positionals[0], dismiss)
      if (context.json) return writeJson(context.io.stdout, done)
      context.io.stdout.write(
        `${printable(done.name)} of ${printable(done.team)} is off the list of secrets to rotate (recorded in your audit trail).\n`,
      )
      return
    }
    const teams = services.teamRotations.list(positionals[0])
    if (context.json) return writeJson(context.io.stdout, teams)
    const rows = teams.flatMap((t) => t.rotations.map((r) => ({ team: t.team, ...r })))
    if (rows.length === 0) {
      context.io.stdout.write(
        'Nothing to rotate: no member who left could read a secret still current.\n',
      )
      return
    }
    context.io.stdout.write(
      table(rows, [
        { header: 'TEAM', value: (r) => r.team },
        { header: 'CONNECTION', value: (r) => r.name },
        { header: 'COULD BE READ BY', value: (r) => r.readers.map((p) => p.name).join(', ') },
        { header: 'SINCE', value: (r) => when(r.since) },
      ]),
    )
    context.io.stdout.write(
      'They cannot be made to forget what they read: rotate each at its source, then push it again (bridgekeep team push <connection>).\n',
    )
  },
}

export default teamRotations

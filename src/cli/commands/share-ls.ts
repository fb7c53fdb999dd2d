import type { CommandSpec } from '../framework/command'
import { list, table, when, writeJson } from '../framework/output'
import { shortShareId } from '../sharing'

const shareLs: CommandSpec = {
  usage: '[options]',
  description:
    'Shares this vault sent, newest first: what, to whom, for which environments, and whether each is still outstanding (importable until it expires), expired or revoked.',
  options: {},
  positionals: { min: 0, max: 0 },
  json: true,
  vault: true,
  examples: ['bridgekeep share ls', 'bridgekeep share ls --json'],
  async run(context) {
    const services = await context.services()
    const shares = services.sharing.shares()
    if (context.json) return writeJson(context.io.stdout, shares)
    if (shares.length === 0) {
      context.io.stdout.write(
        'No shares sent yet. Share a connection with: bridgekeep share export <conn> --to <contact> --env <env>\n',
      )
      return
    }
    context.io.stdout.write(
      table(shares, [
        { header: 'SHARE', value: (s) => shortShareId(s.id) },
        { header: 'STATUS', value: (s) => s.status },
        { header: 'CONNECTIONS', value: (s) => list(s.connections.map((c) => c.name)) },
        {
          header: 'TO',
          value: (s) => (s.passphrase ? 'passphrase' : list(s.recipients.map((r) => r.name))),
        },
        { header: 'ENVIRONMENTS', value: (s) => list(s.scope) },
        { header: 'USE-ONLY', value: (s) => (s.useOnly ? 'yes' : 'no') },
        { header: 'SENT', value: (s) => when(s.createdAt) },
        { header: 'EXPIRES', value: (s) => when(s.expiresAt) },
      ]),
    )
  },
}

export default shareLs

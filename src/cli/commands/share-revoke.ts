import type { CommandSpec } from '../framework/command'
import { list, printable, writeJson } from '../framework/output'
import { findShare, shortShareId } from '../sharing'

const shareRevoke: CommandSpec = {
  usage: '<share> [options]',
  description: [
    '<share> is the id `share ls` prints (a unique start of it is enough). Marks the share revoked in this vault.',
    'A share that was delivered cannot be recalled: whoever has the file can still import it until it expires, and whoever imported it can use the secret. To cut them off, rotate the secret at its provider, then store the new one (in the app: Rotate on the connection).',
  ].join('\n\n'),
  options: {},
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep share revoke 3f9c2a1b'],
  async run(context, { positionals }) {
    const services = await context.services()
    const share = findShare(services, positionals[0]!)
    const revoked = services.sharing.revoke(share.id)
    if (context.json) return writeJson(context.io.stdout, revoked)
    const names = printable(list(revoked.connections.map((c) => c.name)))
    context.io.stdout.write(
      [
        `Share ${shortShareId(revoked.id)} is marked revoked.`,
        '',
        'This does not recall it: anyone holding the file can import it until it expires, and anyone who',
        `imported it can still use the secret. To cut them off, rotate the secret of ${names} at the`,
        'provider, then store the new one in Bridgekeep (the app: Rotate, on the connection).',
        '',
      ].join('\n'),
    )
  },
}

export default shareRevoke

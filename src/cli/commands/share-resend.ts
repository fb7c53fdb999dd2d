import { resolve } from 'node:path'
import { flag, stringOption, type CommandSpec } from '../framework/command'
import { writeFresh } from '../framework/files'
import { keyValues, list, when, writeJson } from '../framework/output'
import { shortShareId } from '../sharing'

const shareResend: CommandSpec = {
  usage: '<conn> [options]',
  description: [
    "Shares a connection's current version again with everyone who holds it: the recipients of its live shares (not revoked, not expired), with the same environments, the same use-only setting and a new expiry of the same duration. Run it after rotating the secret; a recipient who imports the new file gets the new version in place of the old one, keeping their name and environment choices for it.",
    'Passphrase shares cannot be re-sent automatically (their passphrase is not stored): share those again with bridgekeep share export --passphrase. Each new file is written 0600 in this folder (or --output-dir) under its suggested name, never over one that exists.',
  ].join('\n\n'),
  options: {
    armor: { type: 'boolean', description: 'write ASCII-armored text files instead of binary' },
    'output-dir': {
      type: 'string',
      short: 'o',
      valueName: 'dir',
      description: 'the folder to write the new shares in (default: this folder)',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep rotate prod-aws && bridgekeep share resend prod-aws'],
  async run(context, { values, positionals }) {
    const services = await context.services()
    const connection = services.connections.findByRef(positionals[0]!)
    const armor = flag(values, 'armor')
    const folder = resolve(context.io.cwd, stringOption(values, 'output-dir') ?? '.')
    const files: string[] = []
    const resent = await context.progress(`Re-sending ${connection.name}…`, () =>
      services.sharing.resend(connection.id, {
        deliver: async (made) => {
          const name = armor ? made.filename.replace(/\.bkshare$/, '.bkshare.txt') : made.filename
          files.push(await writeFresh(resolve(folder, name), armor ? made.armored : made.bytes))
        },
      }),
    )
    const summary = {
      connection: connection.name,
      recipients: resent.recipients.map((r) => r.name),
      shares: resent.shares.map((share, index) => ({
        shareId: share.shareId,
        file: files[index]!,
        expiresAt: share.expiresAt,
      })),
      passphraseSharesNotResent: resent.passphraseShares,
      contactsGone: resent.missingContacts,
    }
    if (context.json) return writeJson(context.io.stdout, summary)
    const out = context.io.stdout
    out.write(
      keyValues([
        ['Re-sent', connection.name],
        ['To', list(summary.recipients)],
        ...summary.shares.flatMap((share) => [
          ['Share', `${shortShareId(share.shareId)}, expires ${when(share.expiresAt)}`] as const,
          ['File', share.file] as const,
        ]),
      ]),
    )
    if (resent.passphraseShares > 0)
      out.write(
        `\n${resent.passphraseShares} passphrase share${resent.passphraseShares === 1 ? ' was' : 's were'} not re-sent: a passphrase is never stored. Share again with: bridgekeep share export ${connection.slug} --passphrase --env <env>\n`,
      )
    if (resent.missingContacts.length > 0)
      out.write(
        `\nNot re-sent to ${list(resent.missingContacts)}: no longer a contact. Add them again to share with them.\n`,
      )
    out.write('\nSend each file to its recipients; importing it replaces their copy.\n')
  },
}

export default shareResend

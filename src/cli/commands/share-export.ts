import { resolve } from 'node:path'
import { DEFAULT_SHARE_DAYS, MAX_SHARE_DAYS, type ExportTarget } from '../../shared/sharing'
import { flag, stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { whileClaimed, writeFresh } from '../framework/files'
import { keyValues, list, when, writeJson } from '../framework/output'
import { findContact, sharePassphrase, shortShareId, SHARE_PASSPHRASE_ENV } from '../sharing'

const shareExport: CommandSpec = {
  usage: '<conn>... (--to <contact>... | --passphrase) --env <env>... [options]',
  description: [
    'Shares connections with teammates as one encrypted .bkshare file: standard age encryption to each contact (or to a passphrase) of a payload you sign. The recipient imports it with the app or bridgekeep share import.',
    `The share is use-only unless --full-access is given: the recipient's Bridgekeep uses the secrets (exec, the runner) in the environments you name, but never shows, copies or re-shares them. It expires after ${DEFAULT_SHARE_DAYS} days unless --expires says otherwise; after that it cannot be imported and imported copies stop working.`,
    'For AWS, Google Cloud and Azure the recipient\'s tools get short-lived credentials; other secrets (tokens, passwords) reach their tools as they are. With the app\'s setting "Refuse use-only shares of secrets that tools receive as they are" on, a use-only share of such a connection is refused.',
    `A passphrase share reads the passphrase from ${SHARE_PASSPHRASE_ENV} or asks for it; send it separately from the file. The file is written 0600 and never overwrites one that exists.`,
  ].join('\n\n'),
  options: {
    to: {
      type: 'string',
      multiple: true,
      valueName: 'contact',
      description: 'encrypt to this contact (name or fingerprint)',
    },
    passphrase: { type: 'boolean', description: 'encrypt to a passphrase instead of contacts' },
    env: {
      type: 'string',
      multiple: true,
      valueName: 'env',
      description: 'an environment the recipient may use it in',
    },
    expires: {
      type: 'string',
      valueName: 'days',
      description: `days until the share expires (1-${MAX_SHARE_DAYS}, default ${DEFAULT_SHARE_DAYS})`,
    },
    'full-access': {
      type: 'boolean',
      description: 'let the recipient reveal and re-share the secrets (not use-only)',
    },
    output: {
      type: 'string',
      short: 'o',
      valueName: 'file',
      description: 'where to write the share (default: its suggested name in this folder)',
    },
    armor: {
      type: 'boolean',
      description: 'ASCII-armored text to paste into a chat, on stdout unless --output is given',
    },
  },
  positionals: { min: 1, max: 5000 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep share export prod-aws --to Bob --env staging',
    'bridgekeep share export prod-aws ci-github --to Bob --to Carol --env staging --env production --expires 2',
    'BRIDGEKEEP_SHARE_PASSPHRASE=… bridgekeep share export prod-aws --passphrase --env staging --armor',
  ],
  async run(context, { values, positionals }) {
    const recipients = stringsOption(values, 'to')
    const byPassphrase = flag(values, 'passphrase')
    if (recipients.length === 0 && !byPassphrase)
      throw new UsageError(
        'say who may open the share: --to <contact> or --passphrase.',
        'share export',
      )
    if (recipients.length > 0 && byPassphrase)
      throw new UsageError('use --to or --passphrase, not both.', 'share export')
    const environmentRefs = stringsOption(values, 'env')
    if (environmentRefs.length === 0)
      throw new UsageError(
        'name at least one environment the recipient may use it in: --env <env>.',
        'share export',
      )
    const expires = stringOption(values, 'expires')
    const expiresInDays = expires === undefined ? DEFAULT_SHARE_DAYS : Number(expires)
    if (!/^\d+$/.test(expires ?? '7') || expiresInDays < 1 || expiresInDays > MAX_SHARE_DAYS)
      throw new UsageError(
        `--expires must be a whole number of days from 1 to ${MAX_SHARE_DAYS}.`,
        'share export',
      )
    const armor = flag(values, 'armor')
    const output = stringOption(values, 'output')

    const services = await context.services()
    const connections = services.connections.findManyByRef(positionals)
    const environments = environmentRefs.map((ref) => services.environments.findByRef(ref).name)
    const contacts = recipients.map((ref) => findContact(services, ref))
    const to: ExportTarget = byPassphrase
      ? { kind: 'passphrase', passphrase: await sharePassphrase(context.io, 'choose') }
      : { kind: 'contacts', contactIds: [...new Set(contacts.map((contact) => contact.id))] }

    // An explicit --output is claimed before the work, and the file is written before the share
    // is recorded: a share that cannot be written never shows up in the share list.
    const toStdout = armor && output === undefined
    let path: string | undefined
    const { result: share } = await whileClaimed(
      output === undefined ? undefined : resolve(context.io.cwd, output),
      'Nothing was shared.',
      (claimed) =>
        context.progress(
          `Encrypting ${connections.length} connection${connections.length === 1 ? '' : 's'}…`,
          () =>
            services.sharing.export(
              {
                connectionIds: [...new Set(connections.map((connection) => connection.id))],
                to,
                environments: [...new Set(environments)],
                expiresInDays,
                useOnly: !flag(values, 'full-access'),
              },
              {
                deliver: async (made) => {
                  const content = armor ? made.armored : made.bytes
                  if (claimed) path = await claimed.write(content)
                  else if (!toStdout)
                    path = await writeFresh(resolve(context.io.cwd, made.filename), content)
                },
              },
            ),
        ),
    )
    if (toStdout) context.io.stdout.write(share.armored)

    const summary = {
      shareId: share.shareId,
      file: path ?? null,
      expiresAt: share.expiresAt,
      connectionCount: share.connectionCount,
      recipients: byPassphrase ? [] : contacts.map((contact) => contact.name),
      passphrase: byPassphrase,
      environments,
      useOnly: !flag(values, 'full-access'),
    }
    // With the armored text on stdout, the summary goes to stderr to keep stdout pasteable.
    const out = toStdout ? context.io.stderr : context.io.stdout
    if (context.json && !toStdout) return writeJson(out, summary)
    out.write(
      keyValues([
        ['Shared', list(connections.map((connection) => connection.name))],
        ['With', byPassphrase ? 'whoever has the passphrase' : list(summary.recipients)],
        ['Environments', list(environments)],
        ['Use-only', summary.useOnly ? 'yes' : 'no: the recipient can see the secrets'],
        ['Expires', when(share.expiresAt)],
        ['Share', shortShareId(share.shareId)],
        ...(path ? [['File', path] as const] : []),
      ]),
    )
  },
}

export default shareExport

import { resolve } from 'node:path'
import { readFileLimited, readStreamLimited, type ReadLimit } from '../../main/fs/bounded-read'
import { BridgekeepError, isBridgekeepError } from '../../shared/errors'
import { getProvider } from '../../shared/providers'
import {
  conflictActions,
  MAX_SHARE_FILE_BASE64,
  type ConflictAction,
  type ImportChoice,
  type SharePreview,
} from '../../shared/sharing'
import { flag, stringOption, stringsOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import type { CliIO } from '../framework/io'
import { keyValues, list, printable, table, when, writeJson } from '../framework/output'
import { sharePassphrase, trustLabels, SHARE_PASSPHRASE_ENV } from '../sharing'

/** The largest share file the app accepts (its IPC limit, in bytes rather than base64). */
const MAX_SHARE_BYTES = Math.floor((MAX_SHARE_FILE_BASE64 / 4) * 3)
const RESOLUTIONS = conflictActions.filter((action) => action !== 'create')

const shareImport: CommandSpec = {
  usage: '<file | -> [options]',
  description: [
    'Imports a .bkshare file (or armored text, from a file or stdin with -): checks the signature and the expiry, decrypts it with your identity (or its passphrase, from ' +
      `${SHARE_PASSPHRASE_ENV} or the terminal), shows what it holds, and imports it in one transaction. Anything wrong (expired, altered, not for you, malformed) is refused and nothing changes.`,
    'A scope that names a protected environment of this vault (such as production) needs --yes, as `authorize` does. A sender who is not one of your contacts, or whose keys changed, is refused until you compare the fingerprint with them and give --trust-sender (that adds or updates the contact). A connection whose slug this vault already has needs a choice: --on-conflict for all of them, or --choose <slug>=rename|replace|skip for one (replace keeps the old secret as a version).',
    "A connection that borrows the credentials of an AWS or Google Cloud connection by its slug (an ECR registry, a state backend) names one of the sender's: choose which of yours it uses with --borrow <slug>=<your connection> (a re-sent version keeps your choice).",
    'Use --dry-run to see the preview without importing.',
  ].join('\n\n'),
  options: {
    'trust-sender': {
      type: 'boolean',
      description: 'trust a sender who is not yet a contact, or whose keys changed',
    },
    'on-conflict': {
      type: 'string',
      valueName: 'rename|replace|skip',
      description: 'what to do with every connection whose slug exists here',
    },
    choose: {
      type: 'string',
      multiple: true,
      valueName: 'slug=action',
      description: 'what to do with one conflicting connection (overrides --on-conflict)',
    },
    borrow: {
      type: 'string',
      multiple: true,
      valueName: 'slug=connection',
      description:
        'the connection of yours a shared connection borrows credentials from (ECR, state backends)',
    },
    'dry-run': { type: 'boolean', description: 'show the preview; import nothing' },
    yes: {
      type: 'boolean',
      short: 'y',
      description: 'confirm authorizing the connections for a protected environment in the scope',
    },
  },
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: [
    'bridgekeep share import bridgekeep-prod-aws-2026-12-04.bkshare',
    'bridgekeep share import share.bkshare --trust-sender --on-conflict rename',
    'pbpaste | bridgekeep share import - --dry-run',
  ],
  async run(context, { values, positionals }) {
    const onConflict = resolutionOption(stringOption(values, 'on-conflict'), '--on-conflict')
    const chosen = new Map(
      stringsOption(values, 'choose').map((entry) => {
        const [slug, action] = entry.split('=', 2)
        if (!slug || action === undefined)
          throw new UsageError(`--choose ${entry}: write it as <slug>=<action>.`, 'share import')
        return [slug.trim().toLowerCase(), resolutionOption(action, `--choose ${slug}`)!] as const
      }),
    )
    const borrow = new Map(
      stringsOption(values, 'borrow').map((entry) => {
        const [slug, connection] = entry.split('=', 2)
        if (!slug?.trim() || !connection?.trim())
          throw new UsageError(
            `--borrow ${entry}: write it as <slug in the share>=<your connection's slug>.`,
            'share import',
          )
        return [slug.trim().toLowerCase(), connection.trim().toLowerCase()] as const
      }),
    )
    const data = await readShare(context.io, positionals[0]!)
    const services = await context.services()

    let passphrase: string | undefined
    const open = () => services.sharing.importPreview({ data, passphrase })
    let preview: SharePreview
    try {
      preview = await context.progress('Opening the share…', open)
    } catch (error) {
      if (!isBridgekeepError(error) || error.code !== 'SHARE_PASSPHRASE_REQUIRED') throw error
      passphrase = await sharePassphrase(context.io, 'open')
      preview = await context.progress('Opening the share…', open)
    }
    const dryRun = flag(values, 'dry-run')
    const out = context.json ? context.io.stderr : context.io.stdout
    if (!context.json || dryRun) {
      if (context.json) writeJson(context.io.stdout, preview)
      else printPreview(out, preview)
    }
    if (dryRun) return

    const trustSender = flag(values, 'trust-sender')
    const untrusted =
      (preview.sender.trust === 'unknown' || preview.sender.trust === 'changed') && !trustSender
    // An untrusted sender is refused by the import itself, before any conflict matters.
    const choices = untrusted ? [] : conflictChoices(preview, onConflict, chosen, borrow)
    const result = await context
      .progress('Importing…', () =>
        services.sharing.importApply({
          source: { data, passphrase },
          shareId: preview.shareId,
          trustSender,
          choices,
          confirmProtected: flag(values, 'yes'),
        }),
      )
      .catch((error: unknown) => {
        if (!isBridgekeepError(error)) throw error
        if (error.code === 'SHARE_UNTRUSTED')
          throw new BridgekeepError(
            'SHARE_UNTRUSTED',
            error.message,
            'Compare the fingerprint with the sender by voice or in person; if it matches, run the import again with --trust-sender.',
          )
        if (error.code === 'CONFIRMATION_REQUIRED')
          throw new BridgekeepError(
            'CONFIRMATION_REQUIRED',
            `${error.message.replace(/\.$/, '')} (authorizing what the share's scope asks). Nothing was imported.`,
            'If you want that, run the import again with --yes.',
          )
        throw error
      })
    if (context.json) return writeJson(context.io.stdout, result)
    out.write('\n')
    out.write(
      keyValues([
        ['Imported', list(result.created.map((c) => `${c.name} (${c.slug})`))],
        ...(result.replaced.length
          ? [['Replaced', list(result.replaced.map((c) => `${c.name} (${c.slug})`))] as const]
          : []),
        ...(result.updated.length
          ? [['New version', list(result.updated.map(versionChange))] as const]
          : []),
        ...(result.skipped.length ? [['Skipped', list(result.skipped)] as const] : []),
        ['Authorized for', list(result.authorized)],
        ...(result.contact
          ? [
              [
                'Contact',
                `${result.contact.name} (${result.contact.added ? 'added' : 'updated'})`,
              ] as const,
            ]
          : []),
      ]),
    )
    if (result.missingEnvironments.length > 0)
      out.write(
        `\nThis vault has no environment ${printable(list(result.missingEnvironments))}: nothing was authorized there. Create it in the app, then authorize the connection (bridgekeep authorize).\n`,
      )
  },
}

function resolutionOption(value: string | undefined, option: string): ConflictAction | undefined {
  if (value === undefined) return undefined
  const action = value.trim().toLowerCase() as ConflictAction
  if (!(RESOLUTIONS as readonly string[]).includes(action))
    throw new UsageError(`${option} must be rename, replace or skip.`, 'share import')
  return action
}

/**
 * The share's bytes, or its text when it is armored (a paste may carry text around it). Read in
 * bounded chunks: a wrong path (a directory, /dev/zero, a FIFO) fails clearly and at once.
 */
async function readShare(io: CliIO, source: string): Promise<Uint8Array | string> {
  const limit: ReadLimit = {
    what: 'a Bridgekeep share',
    limit: MAX_SHARE_BYTES,
    hint: 'Give the path of the .bkshare file the sender gave you, or - to read it from stdin.',
  }
  const bytes =
    source === '-'
      ? await readStreamLimited(io.stdin, { ...limit, source: 'The share on stdin' })
      : readFileLimited(resolve(io.cwd, source), limit)
  return bytes.includes('-----BEGIN AGE ENCRYPTED FILE-----') ? bytes.toString('utf8') : bytes
}

/** A choice for every connection whose slug is taken; refuses when one has none. */
function conflictChoices(
  preview: SharePreview,
  onConflict: ConflictAction | undefined,
  chosen: Map<string, ConflictAction>,
  borrow: Map<string, string>,
): ImportChoice[] {
  const slugs = new Set(preview.connections.map((c) => c.slug))
  const stray = [...chosen.keys(), ...borrow.keys()].filter((slug) => !slugs.has(slug))
  if (stray.length > 0)
    throw new UsageError(
      `the share has no connection ${list(stray)}; it holds ${list([...slugs])}.`,
      'share import',
    )
  const choices: ImportChoice[] = []
  const undecided: string[] = []
  for (const connection of preview.connections) {
    const action = chosen.get(connection.slug) ?? (connection.conflict ? onConflict : undefined)
    const borrowed = borrow.get(connection.slug)
    if (!action) {
      if (connection.conflict) undecided.push(connection.slug)
      else if (borrowed) choices.push({ slug: connection.slug, action: 'create', borrow: borrowed })
      continue
    }
    if (action === 'replace' && connection.conflict && !connection.conflict.canReplace) {
      throw new BridgekeepError(
        'CONFLICT',
        `"${connection.name}" cannot replace "${connection.conflict.name}": ${connection.conflict.whyNotReplace ?? 'they differ'}. Nothing was imported.`,
        `Choose --choose ${connection.slug}=rename or =skip.`,
      )
    }
    choices.push({
      slug: connection.slug,
      action,
      ...(action === 'rename' ? { name: connection.suggestedName } : {}),
      ...(borrowed ? { borrow: borrowed } : {}),
    })
  }
  if (undecided.length > 0) {
    throw new BridgekeepError(
      'CONFLICT',
      `This vault already has ${undecided.length === 1 ? 'a connection' : 'connections'} with slug ${list(undecided)}. Nothing was imported.`,
      'Choose what to do: --on-conflict rename|replace|skip for all, or --choose <slug>=<action> for one.',
    )
  }
  return choices
}

function printPreview(out: CliIO['stdout'], preview: SharePreview): void {
  const exposed = preview.connections
    .filter((c) => c.toolsReceive.exposed)
    .map((c) => `${c.name} (${c.toolsReceive.what})`)
  out.write(
    keyValues([
      ['From', `${preview.sender.name}: ${trustLabels[preview.sender.trust]}`],
      ['Fingerprint', preview.sender.fingerprint],
      ['Protected by', preview.protectedBy === 'passphrase' ? 'a passphrase' : 'your identity'],
      [
        'Environments',
        list(
          preview.environments.map((e) => (e.exists ? e.name : `${e.name} (not in this vault)`)),
        ),
      ],
      ['Use-only', preview.useOnly ? 'yes: you can use the secrets but never see them' : 'no'],
      ...(preview.useOnly && exposed.length > 0
        ? [
            [
              'Not hidden',
              `use-only cannot hide these secrets, your tools receive them as they are: ${list(exposed)}`,
            ] as const,
          ]
        : []),
      ...preview.connections.flatMap((c) =>
        c.missingHere.map((missing) => [`Note (${c.name})`, missing] as const),
      ),
      ...preview.connections.flatMap((c) =>
        c.borrows && (c.borrows.named || c.borrows.kept) ? [borrowNote(c, c.borrows)] : [],
      ),
      ['Expires', when(preview.expiresAt)],
      ...(preview.alreadyImported > 0
        ? [['Note', `imported ${preview.alreadyImported} time(s) before`] as const]
        : []),
    ]),
  )
  out.write('\n')
  out.write(
    table(preview.connections, [
      { header: 'NAME', value: (c) => c.name },
      { header: 'SLUG', value: (c) => c.slug },
      { header: 'PROVIDER', value: (c) => getProvider(c.provider)?.label ?? c.provider },
      {
        header: 'IN THIS VAULT',
        value: (c) =>
          c.update
            ? `new version of "${c.update.name}" (${versionChange(c.update)})`
            : c.conflict
              ? `slug taken by "${c.conflict.name}" (rename: "${c.suggestedName}")`
              : 'new',
      },
    ]),
  )
}

/** Which connection of this vault a borrowing one will use, or how to choose it. */
function borrowNote(
  connection: SharePreview['connections'][number],
  borrows: NonNullable<SharePreview['connections'][number]['borrows']>,
): readonly [string, string] {
  if (borrows.kept)
    return [`Borrows (${connection.name})`, `your ${borrows.kept}, as you chose before`]
  return [
    `Borrows (${connection.name})`,
    `the sender's ${borrows.named ?? ''} (a connection of theirs): choose one of yours with --borrow ${connection.slug}=<your connection>`,
  ]
}

/** "version 1 → 2", or "→ version 2" when the held copy predates versions in shares. */
function versionChange(change: { fromVersion: number | null; toVersion: number }): string {
  const to = `version ${change.toVersion}`
  return change.fromVersion === null
    ? `→ ${to}`
    : `version ${change.fromVersion} → ${change.toVersion}`
}

export default shareImport

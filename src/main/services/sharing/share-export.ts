import { randomUUID } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { exportInputSchema, type ExportInput } from '../../../shared/sharing'
import type { ConnectionDetail } from '../../../shared/connections'
import { getProvider } from '../../../shared/providers'
import { invalid, parseInput } from '../../../shared/validation'
import {
  exposedUnderUseOnly,
  REFUSE_EXPOSED_USE_ONLY_LABEL,
} from '../../../shared/providers/use-only-exchange'
import { listNames } from '../../../shared/wording'
import { findEnvironment } from '../find-by-ref'
import { armorFile, encryptToRecipients, encryptWithPassphrase } from './age-file'
import { auditedFailure, NAMES_LISTED, type ShareOperationContext } from './share-operation'
import {
  payloadSchema,
  signPayload,
  unsafeTextIn,
  type SharedConnection,
  type SharePayload,
} from './payload'
import type { ContactRow } from './sharing-repository'

export interface ExportedShare {
  shareId: string
  /** `bridgekeep-<slug>-<date>.bkshare` */
  filename: string
  /** The age file, binary. */
  bytes: Uint8Array
  /** The same file, ASCII-armored. */
  armored: string
  expiresAt: string
  connectionCount: number
}

/**
 * One share: the chosen connections (config and secrets), signed by this vault, encrypted to
 * the chosen contacts' age recipients or to a passphrase. Recorded and audited, never with a
 * secret. Use-only connections imported from someone else are refused: they are never shared on.
 */
export interface ExportOptions {
  /**
   * Delivers the finished share (the CLI writes its file) before the share is recorded as sent:
   * if delivery fails, nothing is recorded.
   */
  deliver?: (share: ExportedShare) => Promise<void> | void
}

export async function exportShare(
  ctx: ShareOperationContext,
  raw: ExportInput,
  options: ExportOptions = {},
): Promise<ExportedShare> {
  const count = Array.isArray((raw as { connectionIds?: unknown }).connectionIds)
    ? (raw as { connectionIds: unknown[] }).connectionIds.length
    : 0
  return auditedFailure(
    ctx,
    { action: 'share.export', target: { type: 'share' }, detail: `${count} connection(s)` },
    () => build(ctx, raw, options),
  )
}

/**
 * A share carries values: a field that is a reference (an environment variable, a file or a
 * command of mine) could not be read by the recipient, so such a connection is not shared.
 */
function refuseReferences(details: readonly ConnectionDetail[]): void {
  const referenced = details.flatMap((detail) => {
    const provider = getProvider(detail.provider)
    const fields = detail.secrets
      .filter((secret) => secret.reference !== undefined)
      .map((secret) => provider?.fields.find((f) => f.key === secret.field)?.label ?? secret.field)
    return fields.length > 0 ? [`"${detail.name}" (${fields.join(', ')})`] : []
  })
  if (referenced.length === 0) return
  throw new BridgekeepError(
    'NOT_SUPPORTED',
    `${listNames(referenced, NAMES_LISTED)} ${referenced.length === 1 ? 'holds a reference' : 'hold references'} instead of a value: a share carries values, and the recipient could not read your environment variables, files or commands.`,
    'Give those fields values (bridgekeep edit <connection> --field <field>=...) before sharing, or leave the connection out of the share. Nothing was exported.',
  )
}

async function build(
  ctx: ShareOperationContext,
  raw: ExportInput,
  options: ExportOptions,
): Promise<ExportedShare> {
  const input = parseInput(exportInputSchema, raw)
  ctx.vault.requireKey()
  const repo = ctx.repo()
  const ids = [...new Set(input.connectionIds)]

  // Refuse before reading any secret: nothing of a use-only connection is ever decrypted here.
  const details = ids.map((id) => ctx.connections.get(id))
  const useOnly = details.filter((detail) => detail.useOnly || repo.isUseOnly(detail.id))
  if (useOnly.length > 0) {
    throw new BridgekeepError(
      'USE_ONLY',
      `${listNames(
        useOnly.map((d) => `"${d.name}"`),
        NAMES_LISTED,
      )} ${useOnly.length === 1 ? 'was' : 'were'} shared with you use-only and cannot be shared again.`,
      'Ask the person who shared it to share it with your teammate directly. Nothing was exported.',
    )
  }
  const trashed = details.filter((detail) => detail.deletedAt !== null)
  if (trashed.length > 0) {
    throw new BridgekeepError(
      'CONFLICT',
      `${listNames(
        trashed.map((d) => `"${d.name}"`),
        NAMES_LISTED,
      )} ${trashed.length === 1 ? 'is' : 'are'} in the trash.`,
      'Restore it first, or leave it out of the share.',
    )
  }

  refuseReferences(details)
  if (input.useOnly && ctx.refuseExposedUseOnly()) refuseExposed(details)

  const environments = repo.environments()
  const scope: string[] = []
  for (const name of input.environments) {
    const env = findEnvironment(environments, name)
    if (!env) {
      throw invalid([
        {
          field: 'environments',
          message: `Environments: "${name}" does not exist in this vault (${environments.map((e) => e.name).join(', ')}).`,
        },
      ])
    }
    if (!scope.includes(env.name)) scope.push(env.name)
  }

  let recipients: ContactRow[] = []
  if (input.to.kind === 'contacts') {
    recipients = [...new Set(input.to.contactIds)].map((id) => {
      const contact = repo.contact(id)
      if (!contact) {
        throw new BridgekeepError(
          'NOT_FOUND',
          'One of the chosen contacts does not exist any more.',
          'Choose the recipients again.',
        )
      }
      return contact
    })
  }

  const identity = await ctx.identity()
  const connections: SharedConnection[] = details.map((detail) => {
    const { version, secrets } = ctx.connections.storedSecrets(detail.id)
    return {
      provider: detail.provider,
      name: detail.name,
      slug: detail.slug,
      authMode: detail.authMode,
      config: detail.config,
      secrets,
      labels: detail.labels,
      notes: detail.notes,
      // What lets a later share of this connection replace the recipient's copy.
      source: { id: detail.id, version },
    }
  })
  const now = ctx.now()
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString()
  const payload: SharePayload = {
    shareId: randomUUID(),
    createdAt: now.toISOString(),
    expiresAt,
    useOnly: input.useOnly,
    scope,
    sender: { name: identity.name, address: identity.address.address },
    connections,
  }
  // Text stored before names refused control characters would make every recipient refuse it.
  const checked = payloadSchema.safeParse(payload)
  const unsafe = checked.success
    ? undefined
    : unsafeTextIn(checked.error, payload, 'the name sent with your shares')
  if (unsafe) {
    throw new BridgekeepError(
      'VALIDATION',
      `This vault holds a control character in ${unsafe}; recipients would refuse the share. Nothing was shared.`,
      'Edit it in the app to remove the character, then share again.',
    )
  }
  const plaintext = signPayload(payload, identity.signingKey)
  let bytes: Uint8Array
  try {
    bytes =
      input.to.kind === 'contacts'
        ? await encryptToRecipients(
            plaintext,
            recipients.map((contact) => contact.age_recipient),
          )
        : await encryptWithPassphrase(plaintext, input.to.passphrase, ctx.scryptWorkFactor)
  } finally {
    plaintext.fill(0)
  }

  const refs = details.map((d, index) => ({
    id: d.id,
    name: d.name,
    slug: d.slug,
    provider: d.provider,
    version: connections[index]!.source!.version,
  }))
  const day = payload.createdAt.slice(0, 10).replace(/-/g, '')
  const first = refs[0]!.slug
  const share: ExportedShare = {
    shareId: payload.shareId,
    filename: `bridgekeep-${refs.length === 1 ? first : `${refs.length}-connections`}-${day}.bkshare`,
    bytes,
    armored: await armorFile(bytes),
    expiresAt,
    connectionCount: refs.length,
  }
  await options.deliver?.(share)

  const to =
    input.to.kind === 'contacts'
      ? listNames(
          recipients.map((c) => c.name),
          NAMES_LISTED,
        )
      : 'a passphrase'
  const detail = `Share ${payload.shareId.slice(0, 8)} to ${to}; ${input.useOnly ? 'use-only' : 'full copy'}; scope ${scope.join(', ')}; expires ${expiresAt}`
  repo.db.transaction(() => {
    repo.insertShare({
      id: payload.shareId,
      created_at: payload.createdAt,
      expires_at: expiresAt,
      use_only: input.useOnly ? 1 : 0,
      scope: JSON.stringify(scope),
      connections: JSON.stringify(refs),
      recipients: JSON.stringify(
        recipients.map((c) => ({ contactId: c.id, name: c.name, fingerprint: c.fingerprint })),
      ),
      passphrase: input.to.kind === 'passphrase' ? 1 : 0,
      revoked_at: null,
    })
    // One entry per connection, so each connection's own history shows it was shared.
    for (const ref of refs) {
      ctx.audit.record({
        action: 'share.export',
        target: { type: 'connection', id: ref.id, name: ref.name },
        detail,
      })
    }
  })()
  ctx.log.info('share.exported', {
    connections: refs.length,
    recipients: recipients.length,
    passphrase: input.to.kind === 'passphrase',
    useOnly: input.useOnly,
  })
  return share
}

/**
 * The sender's policy: a use-only share must not carry a secret that the recipient's tools would
 * receive as it is (a token, a password), since use-only cannot hide it there.
 */
function refuseExposed(
  details: { name: string; provider: string; authMode: string; config: Record<string, string> }[],
): void {
  const exposed = exposedUnderUseOnly(details)
  if (exposed.length === 0) return
  throw new BridgekeepError(
    'USE_ONLY',
    `Your settings refuse this use-only share: use-only cannot hide these secrets, the recipient's tools would receive them as they are: ${listNames(
      exposed.map(({ connection, what }) => `"${connection.name}" (${what})`),
      NAMES_LISTED,
    )}. Nothing was shared.`,
    `Leave ${exposed.length === 1 ? 'it' : 'them'} out, share a full copy instead, or turn off "${REFUSE_EXPOSED_USE_ONLY_LABEL}" under Sharing in the app.`,
  )
}

import { BridgekeepError } from '../../../shared/errors'
import { getProvider } from '../../../shared/providers'
import { useOnlyDelivery } from '../../../shared/providers/use-only-exchange'
import type { PreviewConnection, SenderTrust, SharePreview } from '../../../shared/sharing'
import { findEnvironment } from '../find-by-ref'
import { decryptAgeFile, readAgeFile } from './age-file'
import { auditedFailure, type ShareOperationContext } from './share-operation'
import { heldCopies } from './share-import-held'
import { borrowsOf } from './share-import-borrowing'
import { openPayload, type SharedConnection, type SharePayload } from './payload'
import type { ShareAddress } from './share-address'
import type { ContactRow, LocalConnectionRef } from './sharing-repository'

/** A share to open: the file's bytes or armored text, and its passphrase if it has one. */
export interface ShareSource {
  data: Uint8Array | string
  passphrase?: string
}

export interface OpenedShare {
  payload: SharePayload
  sender: ShareAddress
  protectedBy: 'identity' | 'passphrase'
  trust: SenderTrust
  /** The contact the sender is (known, verified) or claims to be (changed). */
  contact: ContactRow | undefined
}

/**
 * Decrypts (with this vault's identity, or the passphrase), checks the signature, the format
 * version and the expiry, and finds out who the sender is to this vault. Throws a SHARE_* error
 * for anything that is not a valid, current share for this vault; changes nothing.
 */
export async function openShare(
  ctx: ShareOperationContext,
  source: ShareSource,
): Promise<OpenedShare> {
  ctx.vault.requireKey()
  const file = await readAgeFile(source.data)
  const byPassphrase = file.stanzaTypes.includes('scrypt')
  let plaintext: Uint8Array
  if (byPassphrase) {
    if (!source.passphrase) {
      throw new BridgekeepError(
        'SHARE_PASSPHRASE_REQUIRED',
        'This share is protected by a passphrase.',
        'Enter the passphrase the sender gave you (separately from the file).',
      )
    }
    plaintext = await decryptAgeFile(file, { passphrase: source.passphrase })
  } else {
    const identity = await ctx.identity()
    plaintext = await decryptAgeFile(file, { identity: identity.ageIdentity })
  }
  let opened: ReturnType<typeof openPayload>
  try {
    opened = openPayload(plaintext)
  } finally {
    plaintext.fill(0)
  }
  const { payload, sender } = opened
  if (Date.parse(payload.expiresAt) <= ctx.now().getTime()) {
    throw new BridgekeepError(
      'SHARE_EXPIRED',
      `This share from ${payload.sender.name} expired on ${payload.expiresAt}. Nothing was imported.`,
      `Ask ${payload.sender.name} to share it again.`,
    )
  }
  const { trust, contact } = await senderTrust(ctx, sender, payload.sender.name)
  return {
    payload,
    sender,
    protectedBy: byPassphrase ? 'passphrase' : 'identity',
    trust,
    contact,
  }
}

async function senderTrust(
  ctx: ShareOperationContext,
  sender: ShareAddress,
  claimedName: string,
): Promise<{ trust: SenderTrust; contact: ContactRow | undefined }> {
  const own = await ctx.identity()
  if (own.address.signingKey === sender.signingKey) return { trust: 'verified', contact: undefined }
  const repo = ctx.repo()
  const byKey = repo.contactBySigningKey(sender.signingKey)
  if (byKey && byKey.age_recipient === sender.ageRecipient) {
    return { trust: byKey.verified_at ? 'verified' : 'known', contact: byKey }
  }
  // Someone we know, with other keys: a new laptop, or someone pretending. Either way: loud.
  const claimed =
    byKey ?? repo.contactByRecipient(sender.ageRecipient) ?? repo.contactByName(claimedName)
  return { trust: claimed ? 'changed' : 'unknown', contact: claimed }
}

/**
 * What a share holds and how it meets this vault (its sender's trust, the scope's environments,
 * slug conflicts), for the user to choose before `applyShare`; changes nothing.
 */
export async function previewShare(
  ctx: ShareOperationContext,
  source: ShareSource,
): Promise<SharePreview> {
  return auditedFailure(
    ctx,
    { action: 'share.import', target: { type: 'share' }, detail: 'Preview refused' },
    async () => {
      const opened = await openShare(ctx, source)
      const repo = ctx.repo()
      const copies = heldCopies(repo, opened.sender.signingKey, opened.payload)
      const environments = repo.environments()
      return {
        shareId: opened.payload.shareId,
        createdAt: opened.payload.createdAt,
        expiresAt: opened.payload.expiresAt,
        useOnly: opened.payload.useOnly,
        protectedBy: opened.protectedBy,
        sender: {
          name: opened.payload.sender.name,
          address: opened.sender.address,
          fingerprint: opened.sender.fingerprint,
          trust: opened.trust,
          contact: opened.contact
            ? {
                id: opened.contact.id,
                name: opened.contact.name,
                fingerprint: opened.contact.fingerprint,
              }
            : null,
        },
        environments: opened.payload.scope.map((name) => {
          const env = findEnvironment(environments, name)
          return { name, exists: env !== undefined, protected: env?.protected === 1 }
        }),
        connections: opened.payload.connections.map((connection) => {
          const copy = copies.get(connection.slug)
          const missingHere = ctx.connections.missingHere(connection.config)
          const borrows = borrowsOf(connection, copy, ctx.connections)
          if (!copy) {
            return {
              ...previewOf(connection, repo.connectionBySlug(connection.slug), opened.payload),
              borrows,
              missingHere,
            }
          }
          const { held, fromVersion, toVersion } = copy
          return {
            ...previewOf(connection, undefined, opened.payload),
            borrows,
            missingHere,
            update: { id: held.connection_id, name: held.name, fromVersion, toVersion },
          }
        }),
        alreadyImported: repo.countReceived(opened.payload.shareId),
      }
    },
  )
}

function previewOf(
  connection: SharedConnection,
  local: LocalConnectionRef | undefined,
  payload: SharePayload,
): Omit<PreviewConnection, 'missingHere' | 'borrows'> {
  return {
    slug: connection.slug,
    name: connection.name,
    provider: connection.provider,
    authMode: connection.authMode,
    labels: connection.labels,
    conflict: local ? conflictOf(connection, local) : null,
    update: null,
    suggestedName: `${connection.name} (${payload.sender.name})`.slice(0, 100),
    toolsReceive: useOnlyDelivery(connection.provider, connection.authMode, connection.config),
  }
}

/** How a shared connection meets the local one with its slug, and whether it may replace it. */
export function conflictOf(
  connection: SharedConnection,
  local: LocalConnectionRef,
): NonNullable<PreviewConnection['conflict']> {
  const trashed = local.deleted_at !== null
  const sameProvider = local.provider === connection.provider
  const whyNot = trashed
    ? `"${local.name}" is in the trash; restore it first to replace it.`
    : !sameProvider
      ? `"${local.name}" is a ${getProvider(local.provider)?.label ?? local.provider} connection, not ${getProvider(connection.provider)?.label ?? connection.provider}.`
      : undefined
  return {
    id: local.id,
    name: local.name,
    provider: local.provider,
    trashed,
    useOnly: local.use_only === 1,
    canReplace: whyNot === undefined,
    ...(whyNot ? { whyNotReplace: whyNot } : {}),
  }
}

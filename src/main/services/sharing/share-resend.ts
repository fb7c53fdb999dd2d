import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { MAX_SHARE_DAYS, type ResendTargets, type ShareHolding } from '../../../shared/sharing'
import { exportShare, type ExportedShare, type ExportOptions } from './share-export'
import type { ShareOperationContext } from './share-operation'
import type { ShareRow } from './sharing-repository'

const DAY = 86_400_000

/** The shares of one connection a re-send repeats: the same scope, use-only flag and duration. */
interface ResendGroup {
  environments: string[]
  useOnly: boolean
  expiresInDays: number
  contactIds: string[]
}

interface ResendPlan {
  targets: ResendTargets
  groups: ResendGroup[]
}

export interface ResentShares extends ResendTargets {
  shares: ExportedShare[]
}

/**
 * Who a re-send of `connectionId` reaches: the recipients of its live shares (not revoked, not
 * expired) that are still contacts. Passphrase shares are counted, not re-sent: their passphrase
 * is not stored, so a new one must be chosen and handed over by the owner.
 */
export function resendTargets(ctx: ShareOperationContext, connectionId: string): ResendTargets {
  return plan(ctx, connectionId).targets
}

/**
 * A new share of the connection's current version to everyone who holds it, one per distinct
 * (scope, use-only, duration) of the live shares, with a new expiry of the same duration. Each is
 * an ordinary export: recorded, audited, and delivered through `options.deliver` first.
 */
export async function resendConnection(
  ctx: ShareOperationContext,
  connectionId: string,
  options: ExportOptions = {},
): Promise<ResentShares> {
  const { groups, targets } = plan(ctx, connectionId)
  const name = ctx.connections.get(connectionId).name
  if (groups.length === 0) {
    throw new BridgekeepError(
      'NOT_FOUND',
      targets.passphraseShares > 0
        ? `"${name}" was only shared with a passphrase (${targets.passphraseShares} live share${targets.passphraseShares === 1 ? '' : 's'}): those cannot be re-sent automatically, since the passphrase is not stored.`
        : `"${name}" has no live share to re-send (none outstanding: each was revoked, expired, or its recipients are no longer contacts).`,
      targets.passphraseShares > 0
        ? 'Share it again with a new passphrase, and give that passphrase to the recipient separately.'
        : 'Share it anew with whoever should have it.',
    )
  }
  const shares: ExportedShare[] = []
  for (const group of groups) {
    shares.push(
      await exportShare(
        ctx,
        {
          connectionIds: [connectionId],
          to: { kind: 'contacts', contactIds: group.contactIds },
          environments: group.environments,
          useOnly: group.useOnly,
          expiresInDays: group.expiresInDays,
        },
        options,
      ),
    )
  }
  return { ...targets, shares }
}

function plan(ctx: ShareOperationContext, connectionId: string): ResendPlan {
  const repo = ctx.repo()
  ctx.connections.get(connectionId)
  const now = ctx.now().getTime()
  const live = repo
    .shares()
    .filter((row) => row.revoked_at === null && Date.parse(row.expires_at) > now)
    .filter((row) => refsOf(row).some((ref) => ref.id === connectionId))
  const groups = new Map<string, ResendGroup>()
  const recipients = new Map<string, string>()
  const missing = new Set<string>()
  let passphraseShares = 0
  for (const row of live) {
    if (row.passphrase === 1) {
      passphraseShares++
      continue
    }
    const expiresInDays = Math.min(
      MAX_SHARE_DAYS,
      Math.max(1, Math.round((Date.parse(row.expires_at) - Date.parse(row.created_at)) / DAY)),
    )
    const key = JSON.stringify([row.scope, row.use_only, expiresInDays])
    const group = groups.get(key) ?? {
      environments: JSON.parse(row.scope) as string[],
      useOnly: row.use_only === 1,
      expiresInDays,
      contactIds: [],
    }
    for (const sent of JSON.parse(row.recipients) as { contactId: string; name: string }[]) {
      const contact = repo.contact(sent.contactId)
      if (!contact) {
        missing.add(sent.name)
        continue
      }
      recipients.set(contact.id, contact.name)
      if (!group.contactIds.includes(contact.id)) group.contactIds.push(contact.id)
    }
    if (group.contactIds.length > 0) groups.set(key, group)
  }
  const names = new Set(recipients.values())
  return {
    targets: {
      connectionId,
      recipients: [...recipients].map(([contactId, name]) => ({ contactId, name })),
      passphraseShares,
      missingContacts: [...missing].filter((name) => !names.has(name)),
    },
    groups: [...groups.values()],
  }
}

/**
 * Who holds which version of each connection this vault shared: per recipient and connection,
 * the newest share that reached them (revoked shares included: revoking does not recall a file),
 * beside the connection's current version.
 */
export function shareHoldings(ctx: ShareOperationContext): ShareHolding[] {
  const now = ctx.now().getTime()
  const newest = new Map<string, ShareHolding>()
  const current = new Map<string, number | null>()
  const currentVersion = (id: string) => {
    if (!current.has(id)) {
      try {
        current.set(id, ctx.connections.get(id).secretVersion)
      } catch (error) {
        if (!isBridgekeepError(error) || error.code !== 'NOT_FOUND') throw error
        current.set(id, null)
      }
    }
    return current.get(id)!
  }
  // Oldest first, so the newest share to each recipient wins.
  for (const row of [...ctx.repo().shares()].reverse()) {
    for (const recipient of JSON.parse(row.recipients) as { contactId: string; name: string }[]) {
      for (const ref of refsOf(row)) {
        newest.set(`${recipient.contactId}\n${ref.id}`, {
          contactId: recipient.contactId,
          recipient: recipient.name,
          connectionId: ref.id,
          connectionName: ref.name,
          version: ref.version ?? null,
          currentVersion: currentVersion(ref.id),
          shareId: row.id,
          sharedAt: row.created_at,
          live: row.revoked_at === null && Date.parse(row.expires_at) > now,
        })
      }
    }
  }
  return [...newest.values()].sort(
    (a, b) =>
      a.recipient.localeCompare(b.recipient) || a.connectionName.localeCompare(b.connectionName),
  )
}

function refsOf(row: ShareRow): { id: string; name: string; version?: number }[] {
  return JSON.parse(row.connections) as { id: string; name: string; version?: number }[]
}

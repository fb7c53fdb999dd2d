import { BridgekeepError } from '../../../shared/errors'
import type { SharedConnection, SharePayload } from './payload'
import type { HeldRow, SharingRepository } from './sharing-repository'

/**
 * A re-sent share meets the copy this vault already imported of the same connection. It is the
 * same connection only when the same signing key sent it and it names the same source connection
 * (its id in the sender's vault): a name or slug proves nothing, since anyone can sign a share
 * that claims them, so another signer's share goes through the usual conflict choice instead.
 */
export interface HeldCopy {
  held: HeldRow
  /** The version held (null for an import that predates versions in shares). */
  fromVersion: number | null
  toVersion: number
}

/**
 * The held copy of each shared connection, by its slug in the share. A share older than the copy
 * held (a lower version, or the same version shared earlier) is refused for the whole share:
 * importing it would roll the secret back.
 */
export function heldCopies(
  repo: SharingRepository,
  signingKey: string,
  payload: SharePayload,
): Map<string, HeldCopy> {
  const copies = new Map<string, HeldCopy>()
  for (const connection of payload.connections) {
    if (!connection.source) continue
    const held = repo.heldFromSource(signingKey, connection.source.id)
    // A trashed copy is the user's decision to drop it: the share meets the slug rules instead.
    if (!held || held.deleted_at !== null) continue
    // The very share imported again brings nothing new: it meets the slug rules, as it always did.
    if (held.share_id === payload.shareId) continue
    if (isOlder(connection, payload, held)) throw outdated(connection, payload, held)
    copies.set(connection.slug, {
      held,
      fromVersion: held.source_version,
      toVersion: connection.source.version,
    })
  }
  return copies
}

function isOlder(connection: SharedConnection, payload: SharePayload, held: HeldRow): boolean {
  const version = connection.source!.version
  if (held.source_version === null) return false
  if (version !== held.source_version) return version < held.source_version
  return held.shared_at !== null && Date.parse(payload.createdAt) < Date.parse(held.shared_at)
}

function outdated(
  connection: SharedConnection,
  payload: SharePayload,
  held: HeldRow,
): BridgekeepError {
  const sender = payload.sender.name
  const version = connection.source!.version
  const what =
    version === held.source_version
      ? `an earlier share of version ${version}, the version you hold`
      : `version ${version}, older than version ${held.source_version} you hold`
  return new BridgekeepError(
    'SHARE_OUTDATED',
    `"${connection.name}" in this share is ${what} (as "${held.name}", imported ${held.imported_at.slice(0, 10)}). Nothing was imported.`,
    `Import the newest share ${sender} sent you; if you do not have it, ask ${sender} to re-send it.`,
  )
}

/** Scope environments a re-sent share adds: only these are authorized anew. */
export function addedScope(held: HeldRow, scope: readonly string[]): string[] {
  const before = new Set((JSON.parse(held.scope) as string[]).map((name) => name.toLowerCase()))
  return scope.filter((name) => !before.has(name.toLowerCase()))
}

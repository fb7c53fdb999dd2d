import { createHash } from 'node:crypto'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { TeamMember } from './change-chain'
import type { TeamConnection } from './connection-changes'
import { openSecrets, sealSecrets, unwrapForMe, wrapToMembers } from './key-wrap'
import type { StoredVersion } from './team-database-repository'

/**
 * One version of a team connection, sealed and opened: the secrets sealed with a new key (bound
 * to team, connection and version), that key wrapped to each full member, and the SHA-256 of
 * the ciphertext that the signed `connection.put` carries. Opening checks the ciphertext against
 * that hash (a row edited in the database is named), then the wrap and the seal (AEAD).
 */
export function secretsHash(ciphertext: Uint8Array): string {
  return createHash('sha256').update(ciphertext).digest('hex')
}

export async function sealVersion(
  secrets: Readonly<Record<string, string>>,
  binding: { teamId: string; connectionId: string; version: number },
  members: Iterable<TeamMember>,
): Promise<{ ciphertext: Buffer; hash: string; wraps: Map<string, Uint8Array> }> {
  const { key, sealed } = sealSecrets(secrets, binding)
  try {
    return {
      ciphertext: sealed,
      hash: secretsHash(sealed),
      wraps: await wrapToMembers(key, binding, members),
    }
  } finally {
    key.fill(0)
  }
}

/** Why a stored version cannot be used (missing, or not what was signed), or undefined. */
export function versionProblem(
  connection: TeamConnection,
  stored: StoredVersion | undefined,
): string | undefined {
  const which = `Team connection "${connection.name}" version ${connection.version}`
  if (!stored)
    return `${which} has no sealed secrets in the team database (signed in change #${connection.seq}): it cannot be used until an admin pushes it again.`
  if (secretsHash(stored.ciphertext) !== connection.secretsHash)
    return `${which}: its sealed secrets do not match its signed change #${connection.seq} (they were changed in the database): it cannot be used until an admin pushes it again.`
  return undefined
}

/** The secrets of the connection's current version, opened in memory with this vault's identity. */
export async function openVersion(
  teamId: string,
  connection: TeamConnection,
  stored: StoredVersion | undefined,
  ageIdentity: string,
): Promise<Record<string, string>> {
  const problem = versionProblem(connection, stored)
  if (problem)
    throw new BridgekeepError(
      stored ? 'TEAM_TAMPERED' : 'NOT_FOUND',
      problem,
      stored
        ? 'Check who can write to the team database; a team admin can push the connection again.'
        : 'Run bridgekeep team sync; if it stays missing, ask a team admin to push it again.',
    )
  const binding = { teamId, connectionId: connection.id, version: connection.version }
  const which = `team connection "${connection.name}" version ${connection.version}`
  if (!stored!.wrapped)
    throw new BridgekeepError(
      'TEAM_KEY_NOT_FOR_YOU',
      `The key of ${which} was not wrapped to this vault.`,
      'You may have been removed from the team, or made use-only; ask a team admin.',
    )
  let key: Buffer
  try {
    key = await unwrapForMe(stored!.wrapped, ageIdentity, binding)
  } catch (error) {
    // A wrap stored under this vault's key that does not open to it was written or edited by
    // someone else: honest admins wrap to the member's own recipient.
    throw tamperedWrap(which, error)
  }
  try {
    return openSecrets(key, stored!.ciphertext, binding)
  } catch (error) {
    throw tamperedWrap(which, error)
  } finally {
    key.fill(0)
  }
}

function tamperedWrap(which: string, error: unknown): BridgekeepError {
  const reason =
    isBridgekeepError(error) && error.code === 'TEAM_TAMPERED'
      ? error.message.replace(/^.*?: /, '').replace(/\.$/, '')
      : 'the key wrapped to this vault does not open with its identity'
  return new BridgekeepError(
    'TEAM_TAMPERED',
    `The key of ${which} was changed in the database: ${reason}. It cannot be opened.`,
    'Check who can write to the team database; a team admin can push the connection again.',
  )
}

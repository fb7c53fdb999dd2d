import { randomBytes } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { encodeAad } from '../../security/aad'
import { openBlob, sealBlob } from '../../security/envelope'
import { decryptAgeFile, encryptToRecipients, readAgeFile } from '../sharing/age-file'
import type { TeamMember } from './change-chain'

/**
 * The primitive team connections are stored with: a connection's secrets sealed (AES-256-GCM)
 * with a random key of its own, bound to team, connection and version, and that key wrapped
 * (age, X25519) to each FULL member's recipient. Use-only members never get a wrapped key: their
 * uses will go through a team runner. Removing a full member means a new key (a new version),
 * wrapped to those who remain; what the removed member already read, they keep (rotation is the
 * only answer to that).
 */
export interface SecretBinding {
  teamId: string
  connectionId: string
  version: number
}

const SECRETS_DOMAIN = 'bridgekeep/team-secrets/v1'
const KEY_DOMAIN = 'bridgekeep/team-connection-key/v1'

function bindingAad(domain: string, binding: SecretBinding): Buffer {
  if (!Number.isSafeInteger(binding.version) || binding.version < 1)
    throw new RangeError('version must be a positive integer.')
  return encodeAad([domain, binding.teamId, binding.connectionId, String(binding.version)])
}

/** A new random key and the secrets sealed with it. The caller zeroes `key` when done. */
export function sealSecrets(
  secrets: Readonly<Record<string, string>>,
  binding: SecretBinding,
): { key: Buffer; sealed: Buffer } {
  const key = randomBytes(32)
  const plaintext = Buffer.from(JSON.stringify(secrets), 'utf8')
  try {
    return { key, sealed: sealBlob(key, plaintext, bindingAad(SECRETS_DOMAIN, binding)) }
  } finally {
    plaintext.fill(0)
  }
}

export function openSecrets(
  key: Buffer,
  sealed: Buffer,
  binding: SecretBinding,
): Record<string, string> {
  const plaintext = openBlob(key, sealed, bindingAad(SECRETS_DOMAIN, binding))
  if (!plaintext) throw tampered(binding, 'its sealed secrets do not open with its key')
  try {
    return JSON.parse(plaintext.toString('utf8')) as Record<string, string>
  } finally {
    plaintext.fill(0)
  }
}

/** Full members: the ones a key is wrapped to. */
export function keyHolders(members: Iterable<TeamMember>): TeamMember[] {
  return [...members].filter((member) => member.role !== 'use-only')
}

/**
 * `key` wrapped to each full member, one age file per member (keyed by signing key), so a row
 * per member can be added or dropped. The binding travels inside, so a wrapped key copied to
 * another connection or version is refused when unwrapped.
 */
export async function wrapToMembers(
  key: Buffer,
  binding: SecretBinding,
  members: Iterable<TeamMember>,
): Promise<Map<string, Uint8Array>> {
  const wrapped = new Map<string, Uint8Array>()
  const plaintext = Buffer.concat([bindingAad(KEY_DOMAIN, binding), key])
  try {
    for (const member of keyHolders(members))
      wrapped.set(member.signingKey, await encryptToRecipients(plaintext, [member.ageRecipient]))
  } finally {
    plaintext.fill(0)
  }
  return wrapped
}

/** The connection key from a wrapped key, with this vault's age identity. */
export async function unwrapForMe(
  wrapped: Uint8Array,
  ageIdentity: string,
  binding: SecretBinding,
): Promise<Buffer> {
  let plaintext: Buffer
  try {
    plaintext = Buffer.from(
      await decryptAgeFile(await readAgeFile(wrapped), { identity: ageIdentity }),
    )
  } catch {
    throw new BridgekeepError(
      'TEAM_KEY_NOT_FOR_YOU',
      `The key of version ${binding.version} of this team connection was not wrapped to this vault.`,
      'You may have been removed from the team, or made use-only; ask a team admin.',
    )
  }
  const expected = bindingAad(KEY_DOMAIN, binding)
  try {
    if (
      plaintext.length !== expected.length + 32 ||
      !plaintext.subarray(0, expected.length).equals(expected)
    )
      throw tampered(binding, 'its wrapped key belongs to another connection or version')
    return Buffer.from(plaintext.subarray(expected.length))
  } finally {
    plaintext.fill(0)
  }
}

function tampered(binding: SecretBinding, reason: string): BridgekeepError {
  return new BridgekeepError(
    'TEAM_TAMPERED',
    `Team connection ${binding.connectionId} version ${binding.version} was changed in the database: ${reason}.`,
    'Ask a team admin to save the connection again; check who can write to the team database.',
  )
}

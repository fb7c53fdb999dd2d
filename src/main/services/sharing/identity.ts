import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { userInfo } from 'node:os'
import type { SharingIdentity } from '../../../shared/sharing'
import { isUnsafeCodePoint } from '../../../shared/text'
import { unwrapKey, wrapKey } from '../../security/envelope'
import { loadAge } from './age-file'
import { formatAddress, parseAddress, type ShareAddress } from './share-address'
import type { IdentityRow, SharingRepository } from './sharing-repository'

/**
 * The vault's sharing identity: an age X25519 key (what shares to this vault are encrypted to)
 * and an Ed25519 key (what this vault signs its shares with). Both private halves are stored
 * only wrapped with the data key, each bound to the vault id and its purpose, so neither can be
 * swapped for the other or moved to another vault.
 */
export interface UnlockedIdentity {
  name: string
  address: ShareAddress
  /** AGE-SECRET-KEY-1…: decrypts shares sent to this vault. */
  ageIdentity: string
  signingKey: KeyObject
}

export const AGE_PURPOSE = 'sharing/age-identity'
export const SIGNING_PURPOSE = 'sharing/signing-key'

export function purposeFor(purpose: string, vaultId: string): string {
  return `${purpose}:${vaultId}`
}

/** A new identity's row, its private halves wrapped with `dataKey`. */
export async function newIdentityRow(
  dataKey: Buffer,
  vaultId: string,
  name: string,
  at: string,
): Promise<IdentityRow> {
  const { generateX25519Identity, identityToRecipient } = await loadAge()
  const ageIdentity = await generateX25519Identity()
  const ageRecipient = await identityToRecipient(ageIdentity)
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const signingPublic = publicKey.export({ format: 'jwk' }).x
  if (!signingPublic) throw new Error('Ed25519 key export gave no public key.')
  const der = privateKey.export({ format: 'der', type: 'pkcs8' })
  const row: IdentityRow = {
    display_name: name,
    age_recipient: ageRecipient,
    age_identity: wrapKey(
      dataKey,
      Buffer.from(ageIdentity, 'utf8'),
      purposeFor(AGE_PURPOSE, vaultId),
    ),
    signing_public: signingPublic,
    signing_private: wrapKey(dataKey, der, purposeFor(SIGNING_PURPOSE, vaultId)),
    created_at: at,
    name_chosen: 0,
  }
  der.fill(0)
  return row
}

export function publicIdentity(row: IdentityRow): SharingIdentity {
  const address = parseAddress(formatAddress(row.age_recipient, row.signing_public))
  return {
    name: row.display_name,
    nameChosen: row.name_chosen === 1,
    address: address.address,
    fingerprint: address.fingerprint,
    ageRecipient: row.age_recipient,
    createdAt: row.created_at,
  }
}

export function unlockIdentity(
  row: IdentityRow,
  dataKey: Buffer,
  vaultId: string,
): UnlockedIdentity {
  const age = unwrapKey(dataKey, row.age_identity, purposeFor(AGE_PURPOSE, vaultId))
  const der = unwrapKey(dataKey, row.signing_private, purposeFor(SIGNING_PURPOSE, vaultId))
  try {
    return {
      name: row.display_name,
      address: parseAddress(formatAddress(row.age_recipient, row.signing_public)),
      ageIdentity: age.toString('utf8'),
      signingKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
    }
  } finally {
    age.fill(0)
    der.fill(0)
  }
}

/** Re-wraps both private halves under a new data key (inside the vault's re-encryption). */
export function rewrapIdentity(
  repo: SharingRepository,
  oldKey: Buffer,
  newKey: Buffer,
  vaultId: string,
): void {
  const row = repo.identity()
  if (!row) return
  const rewrap = (wrapped: Buffer, purpose: string) => {
    const key = unwrapKey(oldKey, wrapped, purposeFor(purpose, vaultId))
    try {
      return wrapKey(newKey, key, purposeFor(purpose, vaultId))
    } finally {
      key.fill(0)
    }
  }
  repo.rewrapIdentity(
    rewrap(row.age_identity, AGE_PURPOSE),
    rewrap(row.signing_private, SIGNING_PURPOSE),
  )
}

/**
 * The name a new identity starts with: the OS user, which the user can change. Characters a
 * recipient would refuse in a sender's name (src/shared/text.ts) are left out.
 */
export function defaultIdentityName(): string {
  try {
    const name = Array.from(userInfo().username)
      .filter((character) => !isUnsafeCodePoint(character.codePointAt(0)!))
      .join('')
      .trim()
    return name ? name.slice(0, 60) : 'Bridgekeep user'
  } catch {
    return 'Bridgekeep user'
  }
}

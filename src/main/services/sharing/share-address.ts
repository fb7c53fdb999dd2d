import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { encodeAad } from '../../security/aad'

/**
 * A share address carries a vault's two public keys in one line to paste into a chat:
 *
 *   bkshare1:<age X25519 recipient>:<Ed25519 public key, base64url>:<checksum>
 *
 * The age recipient (`age1…`, bech32 with its own checksum) is what shares are encrypted to; the
 * Ed25519 key checks the sender's signature. The checksum (8 hex digits: the first 4 bytes of
 * SHA-256 over everything before it) catches a mangled paste, which would otherwise pass as a
 * valid but wrong signing key. The fingerprint is what people compare aloud.
 */
export const ADDRESS_PREFIX = 'bkshare1'

const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/
const ED25519_B64URL = /^[A-Za-z0-9_-]{43}$/
const CHECKSUM = /^[0-9a-f]{8}$/
const FINGERPRINT_DOMAIN = 'bridgekeep/share-fingerprint/v1'

export interface ShareAddress {
  /** The whole address, normalised. */
  address: string
  ageRecipient: string
  /** Raw Ed25519 public key, base64url (43 characters). */
  signingKey: string
  fingerprint: string
}

export function formatAddress(ageRecipient: string, signingKey: string): string {
  const body = `${ADDRESS_PREFIX}:${ageRecipient}:${signingKey}`
  return `${body}:${checksum(body)}`
}

/** Parses a pasted address, or explains what is wrong with it (never echoing more than needed). */
export function parseAddress(text: string): ShareAddress {
  const trimmed = text.trim().replace(/\s+/g, '')
  const parts = trimmed.split(':')
  if (parts[0] !== ADDRESS_PREFIX) {
    throw invalidAddress(
      trimmed.startsWith('age1')
        ? 'That is an age recipient on its own, not a Bridgekeep share address.'
        : `A share address starts with "${ADDRESS_PREFIX}:".`,
    )
  }
  if (parts.length !== 4) {
    throw invalidAddress(
      `A share address has four parts separated by colons (${ADDRESS_PREFIX}, the age recipient, the signing key, a checksum); this one has ${parts.length}.`,
    )
  }
  const [, ageRecipient = '', signingKey = '', sum = ''] = parts
  if (!AGE_RECIPIENT.test(ageRecipient)) {
    throw invalidAddress('Its age recipient (the part starting with "age1") is not valid.')
  }
  if (!ED25519_B64URL.test(signingKey)) {
    throw invalidAddress('Its signing key (the third part) is not a valid Ed25519 key.')
  }
  if (!CHECKSUM.test(sum) || checksum(`${ADDRESS_PREFIX}:${ageRecipient}:${signingKey}`) !== sum) {
    throw invalidAddress('Its checksum does not match: part of the address was changed or cut off.')
  }
  try {
    signingPublicKey(signingKey)
  } catch {
    throw invalidAddress('Its signing key (the third part) is not a valid Ed25519 key.')
  }
  return {
    address: `${ADDRESS_PREFIX}:${ageRecipient}:${signingKey}:${sum}`,
    ageRecipient,
    signingKey,
    fingerprint: fingerprintOf(ageRecipient, signingKey),
  }
}

/** "3F9A 12C4 7B0E 55D1 A2F3": 80 bits over both keys, easy to read out and compare. */
export function fingerprintOf(ageRecipient: string, signingKey: string): string {
  const digest = createHash('sha256')
    .update(encodeAad([FINGERPRINT_DOMAIN, ageRecipient, signingKey]))
    .digest('hex')
    .slice(0, 20)
    .toUpperCase()
  return digest.match(/.{4}/g)!.join(' ')
}

/** The Ed25519 public key of an address, for signature checks. */
export function signingPublicKey(signingKey: string): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: signingKey },
    format: 'jwk',
  })
}

function checksum(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex').slice(0, 8)
}

function invalidAddress(reason: string): BridgekeepError {
  return new BridgekeepError(
    'VALIDATION',
    `That share address is not valid. ${reason}`,
    'Ask your teammate to copy their address again from Sharing → Your identity, and paste all of it.',
    [{ field: 'address', message: `Share address: ${reason}` }],
  )
}

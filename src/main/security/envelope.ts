import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { encodeAad } from './aad'

/**
 * Envelope encryption: a random data key (DEK) seals each secret field with AES-256-GCM, and the
 * DEK itself is only ever stored wrapped (sealed) by another key: the keychain's key-encryption
 * key, the recovery key, or a passphrase-derived key.
 *
 * Sealed layout, for fields and wrapped keys alike:
 *   1 version byte | 12-byte nonce | ciphertext | 16-byte GCM tag
 * The version byte is part of the associated data too, so it cannot be swapped on its own.
 */

export const DATA_KEY_BYTES = 32

const FORMAT_VERSION = 1
const NONCE_BYTES = 12
const TAG_BYTES = 16
const HEADER_BYTES = 1 + NONCE_BYTES
const CIPHER = 'aes-256-gcm'

// Distinct labels keep the two uses apart: a wrapped key never decrypts as a field or vice versa,
// even under the same key.
const FIELD_DOMAIN = 'bridgekeep/field/v1'
const WRAP_DOMAIN = 'bridgekeep/key-wrap/v1'
const BLOB_DOMAIN = 'bridgekeep/blob/v1'

/** 32 random bytes, for data keys and key-encryption keys alike. */
export function generateKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES)
}

/** Where a ciphertext belongs. Moving it to another vault, row, field or version breaks it. */
export interface FieldBinding {
  vaultId: string
  connectionId: string
  field: string
  secretVersion: number
}

/** A field did not decrypt: altered, moved, truncated, an unknown format, or the wrong key. */
export class IntegrityError extends Error {
  override readonly name = 'IntegrityError'
}

/** A wrapped key did not unwrap: the wrapping key or purpose is wrong, or the blob was altered. */
export class WrongKeyError extends Error {
  override readonly name = 'WrongKeyError'
}

export function encryptField(dataKey: Buffer, plaintext: string, binding: FieldBinding): Buffer {
  const bytes = Buffer.from(plaintext, 'utf8')
  try {
    return encryptFieldBytes(dataKey, bytes, binding)
  } finally {
    bytes.fill(0)
  }
}

/** encryptField for bytes that are not (only) text; decryptFieldBytes opens them. */
export function encryptFieldBytes(
  dataKey: Buffer,
  plaintext: Buffer,
  binding: FieldBinding,
): Buffer {
  assertKey(dataKey, 'data key')
  return seal(dataKey, plaintext, fieldAad(binding))
}

/** One decoder for every field: constructing one per call costs more than the decryption. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

export function decryptField(dataKey: Buffer, sealed: Buffer, binding: FieldBinding): string {
  const plaintext = decryptFieldBytes(dataKey, sealed, binding)
  try {
    return fieldText(plaintext)
  } finally {
    plaintext.fill(0)
  }
}

/** A field's plaintext bytes; the caller zeroes them when done. */
export function decryptFieldBytes(dataKey: Buffer, sealed: Buffer, binding: FieldBinding): Buffer {
  let aad: Buffer
  try {
    aad = fieldAad(binding)
  } catch {
    throw new IntegrityError('The field binding is malformed.')
  }
  const plaintext = open(dataKey, sealed, aad)
  if (plaintext === undefined) {
    // One message for every cause: which check failed is of no use to the user and of some use
    // to an attacker.
    throw new IntegrityError(
      'An encrypted field failed its integrity check (altered, moved, or the wrong key).',
    )
  }
  return plaintext
}

/**
 * Decrypted bytes as the text encryptField sealed. Strict: GCM already guarantees these are the
 * bytes we sealed, so invalid UTF-8 here would mean a bug, not a typo.
 */
export function fieldText(plaintext: Buffer): string {
  try {
    return strictUtf8.decode(plaintext)
  } catch {
    throw new IntegrityError('An encrypted field is not valid text.')
  }
}

/** Seals `key` under `wrappingKey`; `purpose` (e.g. `keychain:<vaultId>`) must match to unwrap. */
export function wrapKey(wrappingKey: Buffer, key: Buffer, purpose: string): Buffer {
  assertKey(wrappingKey, 'wrapping key')
  if (key.length === 0) throw new RangeError('Cannot wrap an empty key.')
  return seal(wrappingKey, key, encodeAad([WRAP_DOMAIN, purpose]))
}

export function unwrapKey(wrappingKey: Buffer, wrapped: Buffer, purpose: string): Buffer {
  const key = open(wrappingKey, wrapped, encodeAad([WRAP_DOMAIN, purpose]))
  if (key === undefined || key.length === 0) {
    throw new WrongKeyError('The key does not open this wrapped key (wrong key or purpose).')
  }
  return key
}

/**
 * Seals a whole file's bytes (a vault backup's database) under `key`, bound to `associated`
 * (the backup's header): changing either makes `openBlob` fail.
 */
export function sealBlob(key: Buffer, plaintext: Buffer, associated: Buffer): Buffer {
  assertKey(key, 'file key')
  return seal(key, plaintext, Buffer.concat([encodeAad([BLOB_DOMAIN]), associated]))
}

/** The bytes `sealBlob` sealed, or undefined when the key, the bytes or `associated` differ. */
export function openBlob(key: Buffer, sealed: Buffer, associated: Buffer): Buffer | undefined {
  return open(key, sealed, Buffer.concat([encodeAad([BLOB_DOMAIN]), associated]))
}

function fieldAad(binding: FieldBinding): Buffer {
  const { vaultId, connectionId, field, secretVersion } = binding
  if (!Number.isSafeInteger(secretVersion) || secretVersion < 0) {
    throw new RangeError('secretVersion must be a non-negative integer.')
  }
  return encodeAad([FIELD_DOMAIN, vaultId, connectionId, field, String(secretVersion)])
}

function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES)
  header[0] = FORMAT_VERSION
  // A fresh random 96-bit nonce per message: safe for far more encryptions than a vault makes
  // under one data key (the GCM random-nonce bound is about 2^32).
  randomBytes(NONCE_BYTES).copy(header, 1)
  const cipher = createCipheriv(CIPHER, key, header.subarray(1), { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.concat([header.subarray(0, 1), aad]))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return Buffer.concat([header, body, cipher.getAuthTag()])
}

/** The plaintext, or undefined when anything is wrong. Never throws. */
function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer | undefined {
  if (!Buffer.isBuffer(key) || key.length !== DATA_KEY_BYTES) return undefined
  if (!Buffer.isBuffer(sealed) || sealed.length < HEADER_BYTES + TAG_BYTES) return undefined
  if (sealed[0] !== FORMAT_VERSION) return undefined
  try {
    const nonce = sealed.subarray(1, HEADER_BYTES)
    const decipher = createDecipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.concat([sealed.subarray(0, 1), aad]))
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES))
    const body = sealed.subarray(HEADER_BYTES, sealed.length - TAG_BYTES)
    return Buffer.concat([decipher.update(body), decipher.final()])
  } catch {
    return undefined
  }
}

function assertKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== DATA_KEY_BYTES) {
    throw new RangeError(`The ${what} must be ${DATA_KEY_BYTES} bytes.`)
  }
}

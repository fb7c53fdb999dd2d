import { describe, expect, it } from 'vitest'
import {
  DATA_KEY_BYTES,
  IntegrityError,
  WrongKeyError,
  decryptField,
  encryptField,
  generateKey,
  unwrapKey,
  wrapKey,
  type FieldBinding,
} from './envelope'

const binding: FieldBinding = {
  vaultId: 'vault-1',
  connectionId: 'conn-1',
  field: 'password',
  secretVersion: 3,
}

describe('generateKey', () => {
  it('returns 32 fresh random bytes', () => {
    const a = generateKey()
    expect(a).toHaveLength(DATA_KEY_BYTES)
    expect(a.equals(generateKey())).toBe(false)
  })
})

describe('encryptField / decryptField', () => {
  const key = generateKey()

  it('round-trips text, including empty and non-ASCII', () => {
    for (const text of ['hunter2', '', 'pässwörd 🔑 密码', 'x'.repeat(10_000)]) {
      expect(decryptField(key, encryptField(key, text, binding), binding)).toBe(text)
    }
  })

  it('uses the documented layout: version 1 | 12-byte nonce | ciphertext | 16-byte tag', () => {
    const sealed = encryptField(key, 'abc', binding)
    expect(sealed[0]).toBe(1)
    expect(sealed).toHaveLength(1 + 12 + 3 + 16)
  })

  it('uses a fresh nonce for every encryption of the same text', () => {
    const sealed = Array.from({ length: 200 }, () => encryptField(key, 'same', binding))
    const nonces = new Set(sealed.map((s) => s.subarray(1, 13).toString('hex')))
    expect(nonces.size).toBe(sealed.length)
    expect(new Set(sealed.map((s) => s.toString('hex'))).size).toBe(sealed.length)
  })

  it.each([
    ['vaultId', { vaultId: 'vault-2' }],
    ['connectionId', { connectionId: 'conn-2' }],
    ['field', { field: 'token' }],
    ['secretVersion', { secretVersion: 4 }],
  ])('refuses a ciphertext moved to another %s', (_name, change) => {
    const sealed = encryptField(key, 'secret', binding)
    expect(() => decryptField(key, sealed, { ...binding, ...change })).toThrow(IntegrityError)
  })

  it('encodes the binding unambiguously (no separator collisions)', () => {
    const a = { ...binding, connectionId: 'a:b', field: 'c' }
    const b = { ...binding, connectionId: 'a', field: 'b:c' }
    expect(() => decryptField(key, encryptField(key, 'secret', a), b)).toThrow(IntegrityError)
    const c = { ...binding, vaultId: 'v\u0000', connectionId: 'x' }
    const d = { ...binding, vaultId: 'v', connectionId: '\u0000x' }
    expect(() => decryptField(key, encryptField(key, 'secret', c), d)).toThrow(IntegrityError)
  })

  it('detects one flipped bit anywhere', () => {
    const sealed = encryptField(key, 'secret', binding)
    for (let byte = 0; byte < sealed.length; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const tampered = Buffer.from(sealed)
        tampered[byte] = (tampered[byte] ?? 0) ^ (1 << bit)
        expect(() => decryptField(key, tampered, binding)).toThrow(IntegrityError)
      }
    }
  })

  it('refuses the wrong key', () => {
    const sealed = encryptField(key, 'secret', binding)
    expect(() => decryptField(generateKey(), sealed, binding)).toThrow(IntegrityError)
    expect(() => decryptField(Buffer.alloc(16), sealed, binding)).toThrow(IntegrityError)
  })

  it('refuses truncated input at every length, and appended bytes', () => {
    const sealed = encryptField(key, 'secret', binding)
    for (let length = 0; length < sealed.length; length++) {
      expect(() => decryptField(key, sealed.subarray(0, length), binding)).toThrow(IntegrityError)
    }
    const longer = Buffer.concat([sealed, Buffer.from([0])])
    expect(() => decryptField(key, longer, binding)).toThrow(IntegrityError)
  })

  it('refuses an unknown version byte', () => {
    for (const version of [0, 2, 255]) {
      const sealed = encryptField(key, 'secret', binding)
      sealed[0] = version
      expect(() => decryptField(key, sealed, binding)).toThrow(IntegrityError)
    }
  })

  it('refuses a malformed binding', () => {
    const sealed = encryptField(key, 'secret', binding)
    expect(() => decryptField(key, sealed, { ...binding, secretVersion: 1.5 })).toThrow(
      IntegrityError,
    )
    expect(() => encryptField(key, 'secret', { ...binding, secretVersion: -1 })).toThrow(RangeError)
  })

  it('never puts the plaintext in the error', () => {
    const sealed = encryptField(key, 'top-secret-value', binding)
    sealed[20] = (sealed[20] ?? 0) ^ 1
    const error = catchError(() => decryptField(key, sealed, binding))
    expect(error).toBeInstanceOf(IntegrityError)
    expect(String(error)).not.toContain('top-secret')
  })

  it('refuses to encrypt under a key of the wrong size', () => {
    expect(() => encryptField(Buffer.alloc(16), 'x', binding)).toThrow(RangeError)
  })
})

describe('wrapKey / unwrapKey', () => {
  const kek = generateKey()
  const dek = generateKey()
  const purpose = 'keychain:vault-1'

  it('round-trips a key', () => {
    expect(unwrapKey(kek, wrapKey(kek, dek, purpose), purpose).equals(dek)).toBe(true)
  })

  it('refuses the wrong wrapping key', () => {
    expect(() => unwrapKey(generateKey(), wrapKey(kek, dek, purpose), purpose)).toThrow(
      WrongKeyError,
    )
  })

  it('refuses the wrong purpose', () => {
    const wrapped = wrapKey(kek, dek, purpose)
    expect(() => unwrapKey(kek, wrapped, 'recovery:vault-1')).toThrow(WrongKeyError)
    expect(() => unwrapKey(kek, wrapped, 'keychain:vault-2')).toThrow(WrongKeyError)
  })

  it('refuses tampered, truncated or foreign input', () => {
    const wrapped = wrapKey(kek, dek, purpose)
    const tampered = Buffer.from(wrapped)
    tampered[15] = (tampered[15] ?? 0) ^ 0x80
    expect(() => unwrapKey(kek, tampered, purpose)).toThrow(WrongKeyError)
    expect(() => unwrapKey(kek, wrapped.subarray(0, 20), purpose)).toThrow(WrongKeyError)
    expect(() => unwrapKey(kek, Buffer.alloc(0), purpose)).toThrow(WrongKeyError)
  })

  it('keeps wrapped keys and fields apart even under the same key', () => {
    const wrapped = wrapKey(kek, dek, purpose)
    expect(() => decryptField(kek, wrapped, binding)).toThrow(IntegrityError)
    const sealed = encryptField(kek, 'secret', binding)
    expect(() => unwrapKey(kek, sealed, purpose)).toThrow(WrongKeyError)
  })
})

function catchError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

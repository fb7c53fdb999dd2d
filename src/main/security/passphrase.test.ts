import { describe, expect, it } from 'vitest'
import { BridgekeepError } from '../../shared/errors'
import { loadPassphraseEstimator } from '../../shared/passphrase-strength'
import { checkPassphrase, derivePassphraseKey, newKdfParams, type KdfParams } from './passphrase'

// Small N keeps these fast; the real parameters get one derivation below.
function fastParams(overrides: Partial<KdfParams> = {}): KdfParams {
  return { ...newKdfParams(), N: 2 ** 10, ...overrides }
}

describe('newKdfParams', () => {
  it('is scrypt N=2^17 r=8 p=1 for a 32-byte key with a fresh 16-byte salt', () => {
    const params = newKdfParams()
    expect(params).toEqual({
      algorithm: 'scrypt',
      N: 2 ** 17,
      r: 8,
      p: 1,
      keyLength: 32,
      salt: expect.any(String),
    })
    expect(Buffer.from(params.salt, 'base64')).toHaveLength(16)
    expect(newKdfParams().salt).not.toBe(params.salt)
  })

  it('derives with the real parameters (memory limit set high enough)', async () => {
    const key = await derivePassphraseKey('correct horse battery staple', newKdfParams())
    expect(key).toHaveLength(32)
  })
})

describe('derivePassphraseKey', () => {
  it('gives the same key for the same passphrase and parameters', async () => {
    const params = fastParams()
    const a = await derivePassphraseKey('correct horse battery staple', params)
    const b = await derivePassphraseKey('correct horse battery staple', { ...params })
    expect(a).toHaveLength(32)
    expect(a.equals(b)).toBe(true)
  })

  it('gives a different key for a different salt or passphrase', async () => {
    const params = fastParams()
    const a = await derivePassphraseKey('correct horse battery staple', params)
    const salted = await derivePassphraseKey('correct horse battery staple', fastParams())
    const other = await derivePassphraseKey('correct horse battery stapler', params)
    expect(a.equals(salted)).toBe(false)
    expect(a.equals(other)).toBe(false)
  })

  it('treats composed and decomposed Unicode the same (NFKC)', async () => {
    const params = fastParams()
    const composed = await derivePassphraseKey(
      'caf\u00e9 au lait, s\u2019il vous pla\u00eet',
      params,
    )
    const decomposed = await derivePassphraseKey(
      'cafe\u0301 au lait, s\u2019il vous plai\u0302t',
      params,
    )
    expect(composed.equals(decomposed)).toBe(true)
  })

  it.each<[string, Record<string, unknown>]>([
    ['N not a power of two', { N: 1000 }],
    ['N absurdly large', { N: 2 ** 30 }],
    ['N too small', { N: 2 }],
    ['N not a number', { N: '131072' }],
    ['r absurd', { r: 1000 }],
    ['r zero', { r: 0 }],
    ['p absurd', { p: 100 }],
    ['memory over 1 GiB', { N: 2 ** 20, r: 16 }],
    ['another algorithm', { algorithm: 'argon2id' }],
    ['another key length', { keyLength: 16 }],
    ['salt not base64', { salt: 'not base64!' }],
    ['salt too short', { salt: Buffer.alloc(4).toString('base64') }],
    ['an unknown field', { iterations: 1 }],
  ])('refuses tampered parameters: %s', async (_name, change) => {
    const params = { ...fastParams(), ...change } as unknown as KdfParams
    const error = await derivePassphraseKey('correct horse battery staple', params).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(BridgekeepError)
    expect((error as BridgekeepError).code).toBe('VAULT_INTEGRITY')
    expect((error as BridgekeepError).message).toMatch(/passphrase settings are damaged/)
    expect((error as BridgekeepError).message).not.toContain('correct horse')
  })

  it('refuses missing parameters', async () => {
    const { salt: _salt, ...rest } = fastParams()
    await expect(derivePassphraseKey('x', rest as KdfParams)).rejects.toMatchObject({
      code: 'VAULT_INTEGRITY',
    })
    await expect(derivePassphraseKey('x', null as unknown as KdfParams)).rejects.toMatchObject({
      code: 'VAULT_INTEGRITY',
    })
  })
})

describe('checkPassphrase', () => {
  it.each([
    'correct horse battery staple',
    'Tr0ub4dor&3xyz',
    'ümläuts und ß sind ok',
    'twelve chars',
  ])('accepts %j', async (passphrase) => {
    expect(await checkPassphrase(passphrase)).toBeNull()
  })

  it.each([
    ['', /at least 12 characters \(this one has 0\)/],
    ['short one', /at least 12 characters \(this one has 9\)/],
    ['🔑🔑🔑🔑🔑🔑', /this one has 6/], // counts characters, not UTF-16 units
    ['            ', /only spaces/],
    ['aaaaaaaaaaaaaaaa', /more than one character/],
    ['AaAaAaAaAaAa', /more than one character/],
    ['abcabcabcabc', /pattern/],
    ['121212121212', /pattern/],
    ['abcdefghijklmn', /run like/],
    ['123456789012', /run like/],
    ['987654321098', /run like/],
    ['aabbaabbccdd', /5 different characters/],
    ['x'.repeat(1025), /at most 1024/],
  ])('refuses %j', async (passphrase, message) => {
    expect(await checkPassphrase(passphrase)).toMatch(message)
  })

  // A length × pool-size meter would rate these "Good" and "Strong"; a real estimator (zxcvbn,
  // the same one as the meter) knows a common password with digits and a symbol appended.
  it.each(['Password1234', 'Password1234!', 'P@ssw0rd2024!', 'iloveyou12345', 'qwertyuiop123'])(
    'refuses the common password %j, saying why without repeating it',
    async (passphrase) => {
      const problem = await checkPassphrase(passphrase)
      expect(problem).toMatch(/commonly used password/)
      expect(problem).not.toContain(passphrase)
      expect(problem?.toLowerCase()).not.toContain('password1234')
    },
  )

  it('says exactly what the meter says: one rule on both sides', async () => {
    const meter = await loadPassphraseEstimator()
    for (const passphrase of ['Password1234!', 'short one', 'abcdefghijklmn', 'twelve chars']) {
      const strength = meter.rate(passphrase)
      expect(await checkPassphrase(passphrase)).toBe(strength.acceptable ? null : strength.advice)
    }
  })
})

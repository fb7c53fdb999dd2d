import { dictionary } from '@zxcvbn-ts/language-common'
import { describe, expect, it } from 'vitest'
import { loadPassphraseEstimator, MIN_PASSPHRASE_LENGTH } from './passphrase-strength'

const { rate: passphraseStrength } = await loadPassphraseEstimator()

/** Words drawn with a CSPRNG from the EFF's 7,776-word diceware list, as a user should. */
function randomWords(count: number): string {
  const words = dictionary['diceware-common']
  const picks = crypto.getRandomValues(new Uint32Array(count))
  return [...picks].map((n) => words[n % words.length]).join(' ')
}

describe('passphraseStrength (the meter and main’s minimum)', () => {
  // A length × pool-size estimate would rate these "Good" and "Strong"; they are common passwords.
  it.each(['Password1234', 'Password1234!'])('rates %j weak and refuses it', (passphrase) => {
    const strength = passphraseStrength(passphrase)
    expect(strength).toMatchObject({ acceptable: false, label: expect.stringMatching(/weak/i) })
    expect(strength.score).toBeLessThanOrEqual(2)
    expect(strength.advice).toMatch(/commonly used password/)
    expect(strength.advice).not.toContain(passphrase)
  })

  it('rates five random words strong', () => {
    for (let i = 0; i < 20; i++) {
      const passphrase = randomWords(5)
      expect(passphraseStrength(passphrase), passphrase).toEqual({
        score: 4,
        label: 'Strong',
        acceptable: true,
        advice: 'A strong passphrase.',
      })
    }
    expect(passphraseStrength('glimpse canyon velvet orbit mango')).toMatchObject({
      score: 4,
      label: 'Strong',
    })
  })

  it('accepts a modest passphrase as good, and nothing weaker than good', () => {
    expect(passphraseStrength('twelve chars')).toMatchObject({
      score: 3,
      label: 'Good',
      acceptable: true,
    })
    for (const passphrase of ['Password1234!@#', 'P@ssw0rd2024!', 'iloveyou12345']) {
      const strength = passphraseStrength(passphrase)
      expect(strength.acceptable, passphrase).toBe(false)
      expect(strength.score, passphrase).toBeLessThan(3)
    }
  })

  it('keeps the structural rules, with their own labels', () => {
    expect(passphraseStrength('short pass')).toMatchObject({
      score: 0,
      label: 'Too short',
      acceptable: false,
      advice: expect.stringMatching(
        new RegExp(`^Use at least ${MIN_PASSPHRASE_LENGTH} characters \\(this one has 10\\)`),
      ),
    })
    expect(passphraseStrength('abcdefghijklmnop')).toMatchObject({
      label: 'Too predictable',
      advice: 'A run like "abcdef…" or "123456…" is easy to guess.',
    })
    expect(passphraseStrength('abcabcabcabc')).toMatchObject({ label: 'Too repetitive' })
    expect(passphraseStrength('x'.repeat(1025))).toMatchObject({ label: 'Too long' })
  })

  it('answers quickly for a long pasted passphrase (only its start is estimated)', () => {
    passphraseStrength('warm up the estimator')
    const long = 'P@ssw0rd2024!'.repeat(10) + randomWords(40)
    const started = performance.now()
    expect(passphraseStrength(long).acceptable).toBe(true)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

/** Main refuses shorter passphrases too (WEAK_PASSPHRASE); the form says so before asking. */
export const MIN_PASSPHRASE_LENGTH = 12

export interface PassphraseStrength {
  /** 0 = refused, 1 weak … 4 strong: drives the meter. */
  score: 0 | 1 | 2 | 3 | 4
  label: 'Too short' | 'Too repetitive' | 'Fair' | 'Good' | 'Strong'
  /** Whether the form lets it through. */
  acceptable: boolean
  /** One sentence on what would make it better, or why it is refused. */
  advice: string
}

/**
 * A rough, local estimate: length times the size of the character pool, discounted for
 * repetition. It only guides the user; it is not a promise about a real attacker's cost.
 */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  const chars = [...passphrase.normalize('NFKC')]
  const length = chars.length
  if (length < MIN_PASSPHRASE_LENGTH) {
    const missing = MIN_PASSPHRASE_LENGTH - length
    return {
      score: 0,
      label: 'Too short',
      acceptable: false,
      advice: `Use at least ${MIN_PASSPHRASE_LENGTH} characters (${missing} more). Four or five unrelated words work well.`,
    }
  }
  // Main's rule (src/main/security/passphrase.ts): at least 5 different characters.
  const unique = new Set(chars.map((char) => char.toLowerCase())).size
  if (unique < 5) {
    return {
      score: 0,
      label: 'Too repetitive',
      acceptable: false,
      advice: 'It repeats the same few characters. Use unrelated words or a mix of characters.',
    }
  }
  const bits = length * Math.log2(poolSize(passphrase)) * Math.min(1, unique / (length * 0.6))
  if (bits < 60) {
    return {
      score: 2,
      label: 'Fair',
      acceptable: true,
      advice: 'Acceptable. A few more words or characters would make it much harder to guess.',
    }
  }
  if (bits < 85) {
    return { score: 3, label: 'Good', acceptable: true, advice: 'A good passphrase.' }
  }
  return { score: 4, label: 'Strong', acceptable: true, advice: 'A strong passphrase.' }
}

function poolSize(text: string): number {
  let pool = 0
  if (/[a-z]/.test(text)) pool += 26
  if (/[A-Z]/.test(text)) pool += 26
  if (/[0-9]/.test(text)) pool += 10
  if (/[^a-zA-Z0-9]/.test(text)) pool += 33
  return Math.max(pool, 2)
}

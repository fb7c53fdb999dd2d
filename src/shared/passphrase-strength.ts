import type { OptionsType, ZxcvbnFactory } from '@zxcvbn-ts/core'

/**
 * The one rule for a new passphrase: the meter under the field (renderer) and the check main
 * applies before it wraps the vault's key (`checkPassphrase` in src/main/security/passphrase.ts)
 * both rate it with `loadPassphraseEstimator()`, so what the meter accepts is exactly what main
 * accepts.
 *
 * A few structural rules first (length, one character repeated, a short pattern repeated, a run
 * like "abcdef…"), then zxcvbn (`@zxcvbn-ts/core` with the common-password and English
 * dictionaries), which knows that "Password1234!" is a common password with a suffix rather than
 * 13 characters from a pool of 95. Only for choosing a passphrase: unlocking never applies these
 * rules, so tightening them cannot lock anyone out.
 *
 * zxcvbn and its word lists (about 1.7 MB) are loaded by `loadPassphraseEstimator`, on demand:
 * importing this module costs nothing, so the CLI (credential_process runs on every AWS call)
 * and the window's first paint never pay for them. They are packages, imported dynamically,
 * which every host loads the same way: Node (the app's bundle, tsx, vitest, Playwright's test
 * process) and Vite (a chunk of its own in the renderer).
 */

export const MIN_PASSPHRASE_LENGTH = 12
export const MAX_PASSPHRASE_LENGTH = 1024
/**
 * zxcvbn's score a new passphrase needs: 3 is at least 10^8 guesses, each of which costs an
 * attacker a full scrypt (128 MiB, about 0.4 s; see passphrase.ts). 0–2 are refused.
 */
export const MIN_ACCEPTED_SCORE = 3
/**
 * Only the start of a longer passphrase is estimated: zxcvbn's matching grows quickly with
 * length (a pasted 600-character text took seconds), and 64 characters that are not one of the
 * patterns above rate "Strong" anyway.
 */
const ESTIMATED_LENGTH = 64

export interface PassphraseStrength {
  /** 0 = refused by a rule, 1 very weak, 2 weak, 3 good, 4 strong: drives the meter. */
  score: 0 | 1 | 2 | 3 | 4
  label:
    | 'Too short'
    | 'Too long'
    | 'Too repetitive'
    | 'Too predictable'
    | 'Very weak'
    | 'Weak'
    | 'Good'
    | 'Strong'
  /** Whether a new passphrase may be this one (the form and main agree). */
  acceptable: boolean
  /**
   * One or two sentences: why it is refused and what would be better, or that it will do. Fixed
   * text only, never any part of the passphrase (main puts it into an error message).
   */
  advice: string
}

const WORDS_ADVICE = 'Four or five unrelated words work well.'

export interface PassphraseEstimator {
  /** The verdict on a new passphrase: the meter's, and main's. */
  rate(passphrase: string): PassphraseStrength
}

let loading: Promise<PassphraseEstimator> | undefined

/** zxcvbn with its dictionaries, loaded and ranked once (the first call takes a moment). */
export function loadPassphraseEstimator(): Promise<PassphraseEstimator> {
  loading ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([core, common, english]) => {
      const options: OptionsType = {
        translations: english.translations,
        graphs: common.adjacencyGraphs,
        dictionary: { ...common.dictionary, ...english.dictionary },
        maxLength: ESTIMATED_LENGTH,
        // Caps the l33t variants tried per password: the default (100) made a 64-character
        // "P@ssw0rd…" take half a second per keystroke, with the same scores.
        l33tMaxSubstitutions: 10,
      }
      const zxcvbn = new core.ZxcvbnFactory(options)
      const noNeed = english.translations.suggestions.noNeed
      return { rate: (passphrase: string) => rate(passphrase, zxcvbn, noNeed) }
    },
    (error: unknown) => {
      loading = undefined // a later call may load it
      throw error
    },
  )
  return loading
}

function rate(passphrase: string, zxcvbn: ZxcvbnFactory, noNeed: string): PassphraseStrength {
  const text = passphrase.normalize('NFKC')
  const chars = [...text]
  const refused = (
    label: PassphraseStrength['label'],
    advice: string,
    score: PassphraseStrength['score'] = 0,
  ): PassphraseStrength => ({ score, label, acceptable: false, advice })

  if (chars.length < MIN_PASSPHRASE_LENGTH) {
    return refused(
      'Too short',
      `Use at least ${MIN_PASSPHRASE_LENGTH} characters (this one has ${chars.length}). ${WORDS_ADVICE}`,
    )
  }
  if (chars.length > MAX_PASSPHRASE_LENGTH) {
    return refused('Too long', `Use at most ${MAX_PASSPHRASE_LENGTH} characters.`)
  }
  if (text.trim().length === 0)
    return refused('Too repetitive', 'A passphrase cannot be only spaces.')
  const distinct = new Set(chars.map((char) => char.toLowerCase()))
  if (distinct.size === 1) {
    return refused('Too repetitive', 'Use more than one character, repeated.')
  }
  if (isRepeatedPattern(chars)) {
    return refused('Too repetitive', 'A short pattern repeated is easy to guess; use words.')
  }
  if (isSequence(chars)) {
    return refused('Too predictable', 'A run like "abcdef…" or "123456…" is easy to guess.')
  }
  if (distinct.size < 5) return refused('Too repetitive', 'Use at least 5 different characters.')

  const { score, feedback } = zxcvbn.check(chars.slice(0, ESTIMATED_LENGTH).join(''))
  if (score >= MIN_ACCEPTED_SCORE) {
    return score === 4
      ? { score: 4, label: 'Strong', acceptable: true, advice: 'A strong passphrase.' }
      : {
          score: 3,
          label: 'Good',
          acceptable: true,
          advice: 'A good passphrase. Another unrelated word would make it strong.',
        }
  }
  // zxcvbn's feedback is its own fixed sentences (translations), never the passphrase.
  const why = feedback.warning ?? 'It would be guessed quickly.'
  const better = feedback.suggestions.find((s) => s !== noNeed)
  const advice = [why, better, WORDS_ADVICE].filter(Boolean).join(' ')
  return score <= 1 ? refused('Very weak', advice, 1) : refused('Weak', advice, 2)
}

/** "abcabcabcabc", "12121212…": the whole thing is one short unit repeated. */
function isRepeatedPattern(chars: string[]): boolean {
  const text = chars.join('').toLowerCase()
  for (let unit = 1; unit <= chars.length / 3; unit++) {
    if (chars.length % unit === 0 && text === text.slice(0, unit).repeat(chars.length / unit)) {
      return true
    }
  }
  return false
}

/** "abcdefghijkl", "987654321098": every character one up (or down) from the last, wrapping 9→0. */
function isSequence(chars: string[]): boolean {
  const codes = chars.map((char) => char.toLowerCase().codePointAt(0) ?? 0)
  const step = (a: number, b: number) => {
    if (isDigit(a) && isDigit(b)) return (((b - a) % 10) + 10) % 10
    return b - a
  }
  const steps = codes.slice(1).map((code, i) => step(codes[i] ?? 0, code))
  return steps.every((s) => s === 1) || steps.every((s) => s === -1 || s === 9)
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

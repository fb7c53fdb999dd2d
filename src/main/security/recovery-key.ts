import { randomBytes } from 'node:crypto'
import { BridgekeepError } from '../../shared/errors'
import { checksumSymbols } from './recovery-checksum'

/**
 * The recovery key: 32 random bytes, shown once at vault creation for the user to write down.
 *
 * Display form: Crockford base32 (digits and A–Z without I, L, O, U, so nothing is ambiguous when
 * read back from paper): 52 characters for the key's 256 bits (4 zero padding bits at the end)
 * plus 4 checksum characters, in 14 dash-separated groups of 4:
 *   7KQ2-M9XD-...-TV3P
 * The checksum (see recovery-checksum.ts) catches every single-character typo and every swap of
 * two neighbouring characters, so a mistyped key is reported as a typo, not as a wrong key.
 */

const KEY_BYTES = 32
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const KEY_SYMBOLS = Math.ceil((KEY_BYTES * 8) / 5) // 52
const TOTAL_SYMBOLS = KEY_SYMBOLS + 4 // 56
const GROUP = 4

const HINT = 'Type it exactly as you wrote it down when the vault was created; dashes are optional.'

export function generateRecoveryKey(): { key: Buffer; display: string } {
  const key = randomBytes(KEY_BYTES)
  return { key, display: formatRecoveryKey(key) }
}

export function formatRecoveryKey(key: Buffer): string {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new RangeError(`A recovery key is ${KEY_BYTES} bytes.`)
  }
  const symbols = toSymbols(key)
  symbols.push(...checksumSymbols(symbols))
  const text = symbols.map((value) => ALPHABET[value]).join('')
  const groups: string[] = []
  for (let at = 0; at < text.length; at += GROUP) groups.push(text.slice(at, at + GROUP))
  return groups.join('-')
}

/**
 * Reads a recovery key as a person would type it: any case, with or without dashes, spaces or
 * line breaks, and with O/I/L read as 0/1/1 (Crockford's rule). Throws RECOVERY_KEY_INVALID that
 * says what is wrong, before anyone tries it against the vault.
 */
export function parseRecoveryKey(input: string): Buffer {
  const text = normalize(typeof input === 'string' ? input : '')

  const bad = [...new Set([...text].filter((char) => !ALPHABET.includes(char)))]
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map(describeChar)
    if (bad.length > 5) shown.push(`${bad.length - 5} other characters`)
    throw new BridgekeepError(
      'RECOVERY_KEY_INVALID',
      `A recovery key cannot contain ${joinOr(shown)}.`,
      'Recovery keys use only digits and the letters A–Z except I, L, O and U. ' + HINT,
    )
  }

  const length = text.length
  if (length !== TOTAL_SYMBOLS) {
    throw new BridgekeepError(
      'RECOVERY_KEY_INVALID',
      `This recovery key has ${length} ${length === 1 ? 'character' : 'characters'}, but a recovery key has ${TOTAL_SYMBOLS} (not counting dashes and spaces).`,
      length < TOTAL_SYMBOLS
        ? 'Part of it may be missing. ' + HINT
        : 'Something extra may have been typed or pasted. ' + HINT,
    )
  }

  const symbols = [...text].map((char) => ALPHABET.indexOf(char))
  const expected = checksumSymbols(symbols.slice(0, KEY_SYMBOLS))
  const key = fromSymbols(symbols.slice(0, KEY_SYMBOLS))
  // Non-zero padding bits cannot come from formatRecoveryKey; they only pass the checksum if the
  // text was made up, so they are reported like any other typo.
  if (!expected.every((value, i) => symbols[KEY_SYMBOLS + i] === value) || key === undefined) {
    throw new BridgekeepError(
      'RECOVERY_KEY_INVALID',
      'This recovery key has a typo: check it against what you wrote down.',
      HINT,
    )
  }
  return key
}

// Dash-like characters people paste from documents and chat apps, besides the ASCII hyphen.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u00ad]/gu

function normalize(input: string): string {
  return input.replace(SEPARATORS, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1')
}

function joinOr(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`
}

/** Names a character in a message: printable ones quoted, invisible ones by code point. */
function describeChar(char: string): string {
  const codePoint = char.codePointAt(0) ?? 0
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)) return `"${char}"`
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
}

/** Bytes to 5-bit values, most significant bit first, zero-padded at the end. */
function toSymbols(bytes: Buffer): number[] {
  const symbols: number[] = []
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      symbols.push((buffer >> bits) & 31)
    }
    buffer &= (1 << bits) - 1
  }
  if (bits > 0) symbols.push((buffer << (5 - bits)) & 31)
  return symbols
}

/** The inverse of toSymbols; undefined when the padding bits are not zero. */
function fromSymbols(symbols: number[]): Buffer | undefined {
  const bytes: number[] = []
  let buffer = 0
  let bits = 0
  for (const symbol of symbols) {
    buffer = (buffer << 5) | symbol
    bits += 5
    if (bits >= 8) {
      bits -= 8
      bytes.push((buffer >> bits) & 255)
    }
    buffer &= (1 << bits) - 1
  }
  if (buffer !== 0 || bytes.length !== KEY_BYTES) return undefined
  return Buffer.from(bytes)
}

import { describe, expect, it } from 'vitest'
import { BridgekeepError } from '../../shared/errors'
import { checksumSymbols } from './recovery-checksum'
import { formatRecoveryKey, generateRecoveryKey, parseRecoveryKey } from './recovery-key'

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const DISPLAY = /^(?:[0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/

function parseError(input: string): BridgekeepError {
  try {
    parseRecoveryKey(input)
  } catch (error) {
    if (error instanceof BridgekeepError) return error
    throw error
  }
  throw new Error(`expected ${input} to be refused`)
}

describe('generateRecoveryKey / formatRecoveryKey', () => {
  it('makes a 32-byte key shown as 14 groups of 4 Crockford characters', () => {
    const { key, display } = generateRecoveryKey()
    expect(key).toHaveLength(32)
    expect(display).toMatch(DISPLAY)
    expect(formatRecoveryKey(key)).toBe(display)
    expect(generateRecoveryKey().key.equals(key)).toBe(false)
  })

  it('keeps a stable format (keys written on paper must parse forever)', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i))
    expect(formatRecoveryKey(key)).toBe(
      '000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFG-8488',
    )
    expect(formatRecoveryKey(Buffer.alloc(32))).toBe(
      '0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-BKR1',
    )
  })

  it('refuses keys of the wrong size', () => {
    expect(() => formatRecoveryKey(Buffer.alloc(31))).toThrow(RangeError)
  })
})

describe('parseRecoveryKey', () => {
  it('round-trips through the display form', () => {
    for (let i = 0; i < 50; i++) {
      const { key, display } = generateRecoveryKey()
      expect(parseRecoveryKey(display).equals(key)).toBe(true)
    }
  })

  it('tolerates case, spacing, line breaks and O/I/L for 0/1/1', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i))
    const display = formatRecoveryKey(key)
    const plain = display.replace(/-/g, '')
    const variants = [
      display.toLowerCase(),
      display.replace(/-/g, ' '),
      plain,
      `  ${display.slice(0, 34)}\n${display.slice(34)}\r\n`,
      display.replace(/0/g, 'O'),
      display.replace(/0/g, 'o').replace(/1/g, 'I'),
      display.replace(/1/g, 'l'),
      display.replace(/1/g, 'L').replace(/-/g, '\u2013'), // en dashes from a word processor
      plain.match(/.{1,7}/g)?.join(' ') ?? '', // other grouping
    ]
    for (const variant of variants) expect(parseRecoveryKey(variant).equals(key)).toBe(true)
  })

  it('catches every single-character typo with the checksum', () => {
    const display = generateRecoveryKey().display
    const plain = display.replace(/-/g, '')
    let tried = 0
    for (let at = 0; at < plain.length; at++) {
      for (const replacement of ALPHABET) {
        if (replacement === plain[at]) continue
        const typo = plain.slice(0, at) + replacement + plain.slice(at + 1)
        const error = parseError(typo)
        expect(error.code).toBe('RECOVERY_KEY_INVALID')
        expect(error.message).toContain('check it against what you wrote down')
        tried++
      }
    }
    expect(tried).toBe(56 * 31)
  })

  it('catches swapped neighbouring characters', () => {
    const plain = generateRecoveryKey().display.replace(/-/g, '')
    for (let at = 0; at + 1 < plain.length; at++) {
      if (plain[at] === plain[at + 1]) continue
      const swapped = plain.slice(0, at) + plain[at + 1] + plain[at] + plain.slice(at + 2)
      expect(parseError(swapped).message).toContain('typo')
    }
  })

  it('says how many characters there are and how many are needed', () => {
    const display = generateRecoveryKey().display
    const short = parseError(display.slice(0, -1))
    expect(short.code).toBe('RECOVERY_KEY_INVALID')
    expect(short.message).toContain('has 55 characters')
    expect(short.message).toContain('56')
    expect(parseError(`${display}-7`).message).toContain('has 57 characters')
    expect(parseError('').message).toContain('has 0 characters')
  })

  it('names the characters that cannot be in a recovery key', () => {
    const display = generateRecoveryKey().display
    const error = parseError(
      `${display.slice(0, 10)}U${display.slice(11, 20)}#${display.slice(21)}`,
    )
    expect(error.code).toBe('RECOVERY_KEY_INVALID')
    expect(error.message).toBe('A recovery key cannot contain "U" or "#".')
    expect(parseError(`${display.slice(0, -1)}\u200b`).message).toContain('U+200B')
  })

  it('refuses text that passes the checksum but is not a formatted key (padding bits set)', () => {
    const symbols = Array.from({ length: 52 }, () => 0)
    symbols[51] = 1 // one of the 4 padding bits
    const text = [...symbols, ...checksumSymbols(symbols)].map((v) => ALPHABET[v]).join('')
    expect(parseError(text).message).toContain('typo')
  })
})

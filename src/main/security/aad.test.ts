import { describe, expect, it } from 'vitest'
import { encodeAad } from './aad'

/** The encoding as specified: each part's UTF-8 byte length (4 bytes, big-endian), then its bytes. */
function specified(parts: readonly string[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const bytes = Buffer.from(part, 'utf8')
      const length = Buffer.alloc(4)
      length.writeUInt32BE(bytes.length)
      return [length, bytes]
    }),
  )
}

describe('encodeAad', () => {
  it('writes each part as its byte length and its UTF-8 bytes', () => {
    const cases: string[][] = [
      [],
      [''],
      ['a:b', 'c'],
      ['a', 'b:c'],
      ['bridgekeep/team-change/v1', 'é', '😀 two-unit code point', '中文', 'x'.repeat(5000)],
    ]
    for (const parts of cases) expect(encodeAad(parts).equals(specified(parts))).toBe(true)
    expect(encodeAad(['a:b', 'c']).equals(encodeAad(['a', 'b:c']))).toBe(false)
    expect(encodeAad(['ab']).toString('hex')).toBe('000000026162')
  })

  it('matches the specification on random text, surrogate pairs included', () => {
    const pieces = ['a', 'é', '€', '😀', '𝄞', '\u0000', ' ', '\uFFFD']
    for (let i = 0; i < 500; i++) {
      const parts = Array.from({ length: 1 + (i % 7) }, (_, j) =>
        Array.from({ length: (i * 7 + j * 13) % 40 }, (_, k) => pieces[(i + j + k * k) % 8]).join(
          '',
        ),
      )
      expect(encodeAad(parts).equals(specified(parts))).toBe(true)
    }
  })

  it('refuses a lone surrogate (it would encode as U+FFFD) and a part that is not text', () => {
    for (const bad of ['\uD800', 'a\uDC00', '\uDC00\uD800', '😀'.slice(0, 1), `x${'😀'.slice(1)}`])
      expect(() => encodeAad(['ok', bad])).toThrow('Associated data must be valid text.')
    expect(() => encodeAad([1 as unknown as string])).toThrow('must be strings')
  })
})

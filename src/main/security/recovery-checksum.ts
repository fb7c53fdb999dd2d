/**
 * The recovery key's 4-character checksum: a polynomial (cyclic-code) check over GF(32), so each
 * base32 character is one field element.
 *
 * The checksum is the remainder of data(x) * x^4 divided by g(x) = (x - a)(x - a^2)(x - a^3)(x - a^4),
 * with a a primitive element of GF(32). An error confined to at most 4 neighbouring characters is
 * x^i * b(x) with b nonzero of degree < 4; since g(0) != 0, g cannot divide it, so every such typo
 * is detected: any single wrong character, and any swap of two neighbouring characters.
 * Other errors slip through with odds of about 1 in 2^20 (and then fail as a wrong key).
 * A truncated hash would catch single typos only with high probability, not always.
 */

const FIELD_SIZE = 32
// x^5 + x^2 + 1, a primitive polynomial for GF(2^5).
const PRIMITIVE = 0b100101

const EXP: number[] = []
const LOG: number[] = new Array<number>(FIELD_SIZE).fill(0)
{
  let value = 1
  for (let power = 0; power < FIELD_SIZE - 1; power++) {
    EXP[power] = value
    LOG[value] = power
    value <<= 1
    if (value & FIELD_SIZE) value ^= PRIMITIVE
  }
}

function multiply(a: number, b: number): number {
  if (a === 0 || b === 0) return 0
  return at(EXP, (at(LOG, a) + at(LOG, b)) % (FIELD_SIZE - 1))
}

/** g(x)'s coefficients below the leading 1, highest degree first: [g3, g2, g1, g0]. */
const GENERATOR: number[] = (() => {
  // Start from g(x) = 1 and multiply in (x + a^i); in GF(2^n) minus is plus.
  let poly = [1]
  for (let i = 1; i <= 4; i++) {
    const root = at(EXP, i)
    const next = new Array<number>(poly.length + 1).fill(0)
    poly.forEach((coefficient, k) => {
      next[k] = at(next, k) ^ coefficient
      next[k + 1] = at(next, k + 1) ^ multiply(coefficient, root)
    })
    poly = next
  }
  return poly.slice(1)
})()

// Added to every checksum, as a format tag: the checksum of all-zero data is not 0000, and a
// future format with another tag will not accept today's keys by accident. Adding a constant
// changes no detection guarantee (the difference of two texts is what g must divide).
const FORMAT_TAG = [11, 19, 24, 1] // "BKR1" in Crockford base32

/** The 4 checksum values (0–31) for a sequence of 5-bit values. */
export function checksumSymbols(symbols: readonly number[]): number[] {
  const remainder = [0, 0, 0, 0]
  for (const symbol of symbols) {
    const feedback = symbol ^ at(remainder, 0)
    for (let i = 0; i < 3; i++) {
      remainder[i] = at(remainder, i + 1) ^ multiply(feedback, at(GENERATOR, i))
    }
    remainder[3] = multiply(feedback, at(GENERATOR, 3))
  }
  return remainder.map((value, i) => value ^ at(FORMAT_TAG, i))
}

// Indexes here are always in range; this keeps noUncheckedIndexedAccess honest without `!`.
function at(values: readonly number[], index: number): number {
  const value = values[index]
  if (value === undefined) throw new RangeError('GF(32) table index out of range.')
  return value
}

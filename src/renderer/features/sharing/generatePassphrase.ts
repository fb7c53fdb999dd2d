/**
 * Letters and digits with no vowels (so no word, polite or not, can appear) and none of the
 * look-alikes 0/o, 1/l/i: 27 symbols, easy to read out and to type.
 */
const ALPHABET = '23456789bcdfghjkmnpqrstvwxz'
/** Five groups of four: 20 symbols, some 95 bits, rated "Strong". */
const GROUPS = 5
const GROUP_LENGTH = 4

/** A uniformly random index below `size` (rejection sampling: no modulo bias). */
function randomIndex(size: number): number {
  const limit = Math.floor(0x1_0000_0000 / size) * size
  const value = new Uint32Array(1)
  do crypto.getRandomValues(value)
  while (value[0]! >= limit)
  return value[0]! % size
}

/** A random passphrase from the browser's CSPRNG, in dash-separated groups, e.g. "k7qm-…". */
export function generatePassphrase(): string {
  const symbols = Array.from({ length: GROUPS * GROUP_LENGTH }, () =>
    ALPHABET.charAt(randomIndex(ALPHABET.length)),
  ).join('')
  return symbols.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-')
}

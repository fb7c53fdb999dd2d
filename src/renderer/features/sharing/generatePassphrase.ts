/** Words in a generated share passphrase: 5 from about 6,000 is some 63 bits, rated "Strong". */
const WORDS = 5
/** The most common words only, of plain letters: easy to spell out over the phone. */
const LIST_SIZE = 8000

let words: Promise<string[]> | undefined

/** English words from the strength checker's own dictionary (already a chunk of its own). */
function wordList(): Promise<string[]> {
  words ??= import('@zxcvbn-ts/language-en').then(({ dictionary }) =>
    (dictionary['commonWords-en'] as string[])
      .slice(0, LIST_SIZE)
      .filter((word) => /^[a-z]{4,8}$/.test(word)),
  )
  return words
}

/** A uniformly random index below `size` (rejection sampling: no modulo bias). */
function randomIndex(size: number): number {
  const limit = Math.floor(0x1_0000_0000 / size) * size
  const value = new Uint32Array(1)
  do crypto.getRandomValues(value)
  while (value[0]! >= limit)
  return value[0]! % size
}

/** Five random common words joined by dashes, from the browser's CSPRNG. */
export async function generatePassphrase(): Promise<string> {
  const list = await wordList()
  return Array.from({ length: WORDS }, () => list[randomIndex(list.length)]!).join('-')
}

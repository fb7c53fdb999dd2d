/**
 * Canonical associated data: each part as a 4-byte big-endian byte length followed by its UTF-8
 * bytes. Unlike joining with a separator, no two different part lists encode the same, so
 * ('a:b', 'c') and ('a', 'b:c') bind to different ciphertexts.
 */
export function encodeAad(parts: readonly string[]): Buffer {
  // Measured, then written into one buffer: every team row's hash is computed with this on each
  // read (tens of thousands at a first sync), and a buffer per part showed in the profile.
  let size = 0
  for (const part of parts) {
    if (typeof part !== 'string') throw new TypeError('Associated data parts must be strings.')
    // A lone surrogate would encode as U+FFFD and collide with a real U+FFFD: refuse it.
    if (LONE_SURROGATE.test(part)) throw new TypeError('Associated data must be valid text.')
    size += 4 + Buffer.byteLength(part, 'utf8')
  }
  const encoded = Buffer.allocUnsafe(size)
  let at = 0
  for (const part of parts) {
    const length = encoded.write(part, at + 4, 'utf8')
    encoded.writeUInt32BE(length, at)
    at += 4 + length
  }
  // Every byte written (allocUnsafe may hold old memory): a mismatch is a bug, never output.
  if (at !== size) throw new Error('Associated data was not encoded whole.')
  return encoded
}

/** With the `u` flag a surrogate pair is one code point: only an unpaired half matches. */
const LONE_SURROGATE = /\p{Surrogate}/u

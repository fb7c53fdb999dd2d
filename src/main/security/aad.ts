/**
 * Canonical associated data: each part as a 4-byte big-endian byte length followed by its UTF-8
 * bytes. Unlike joining with a separator, no two different part lists encode the same, so
 * ('a:b', 'c') and ('a', 'b:c') bind to different ciphertexts.
 */
export function encodeAad(parts: readonly string[]): Buffer {
  const chunks: Buffer[] = []
  for (const part of parts) {
    if (typeof part !== 'string') throw new TypeError('Associated data parts must be strings.')
    const bytes = Buffer.from(part, 'utf8')
    // A lone surrogate would encode as U+FFFD and collide with a real U+FFFD: refuse it.
    if (bytes.toString('utf8') !== part) throw new TypeError('Associated data must be valid text.')
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    chunks.push(length, bytes)
  }
  return Buffer.concat(chunks)
}

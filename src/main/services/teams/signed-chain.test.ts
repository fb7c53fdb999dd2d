import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  forgetVerifiedSignatures,
  preverifySignatures,
  rowIntegrityProblem,
  signRow,
  type SignedRow,
} from './signed-chain'

const DOMAIN = 'bridgekeep/test/v1'

function signer() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  return { author: publicKey.export({ format: 'jwk' }).x!, key: privateKey }
}

function rows(count: number, who = signer()): SignedRow[] {
  return Array.from({ length: count }, (_, i) =>
    signRow(
      DOMAIN,
      {
        teamId: 'team',
        seq: i + 1,
        author: who.author,
        kind: 'k',
        body: canonicalJson({ i }),
        prevHash: '0'.repeat(64),
      },
      who.key,
    ),
  )
}

describe('verified signatures remembered in the process', () => {
  it('accepts rows checked on the threadpool, and still refuses every altered copy of them', async () => {
    forgetVerifiedSignatures()
    const good = rows(300)
    const mallory = signer()
    await preverifySignatures(good)
    for (const row of good) expect(rowIntegrityProblem(DOMAIN, row)).toBeUndefined()
    const [first, second] = good as [SignedRow, SignedRow]
    // Content edited after it was remembered: the hash is recomputed every time.
    expect(rowIntegrityProblem(DOMAIN, { ...first, body: canonicalJson({ i: 99 }) })).toMatch(
      /does not match its hash/,
    )
    // Another row's signature, or another author, is a triple never verified.
    expect(rowIntegrityProblem(DOMAIN, { ...first, signature: second.signature })).toMatch(
      /signature does not match/,
    )
    expect(rowIntegrityProblem(DOMAIN, { ...first, author: mallory.author })).toMatch(
      /does not match its hash/,
    )
  })

  it('never remembers a forged signature, nor a malformed author, hash or signature', async () => {
    forgetVerifiedSignatures()
    const [row, other] = rows(2) as [SignedRow, SignedRow]
    const forged = { ...row, signature: other.signature }
    const noAuthor = { ...row, author: 'not-a-key' }
    const noHash = { ...row, hash: 'zz' }
    const noSignature = { ...row, signature: '' }
    await preverifySignatures([forged, noAuthor, noHash, noSignature])
    expect(rowIntegrityProblem(DOMAIN, forged)).toMatch(/signature does not match its author/)
    expect(rowIntegrityProblem(DOMAIN, noAuthor)).toMatch(/does not match its hash/)
    expect(rowIntegrityProblem(DOMAIN, noHash)).toMatch(/does not match its hash/)
    expect(rowIntegrityProblem(DOMAIN, noSignature)).toMatch(/signature does not match/)
    // The genuine row is still accepted (checked on the event loop this time).
    expect(rowIntegrityProblem(DOMAIN, row)).toBeUndefined()
  })
})

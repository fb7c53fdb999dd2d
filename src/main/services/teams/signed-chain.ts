import { createHash, sign, verify, type KeyObject } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { encodeAad } from '../../security/aad'
import { signingPublicKey } from '../sharing/share-address'

/**
 * The one shape of a signed, hash-chained row in a team space: the change log and the team's
 * audit trail are both made of them. Each row's hash covers its team, position, author, kind,
 * body and the previous row's hash (length-prefixed, so no two rows encode the same); the
 * author's Ed25519 key signs that hash. The database stores the hash and signature only so a
 * reader can name a broken row: readers always recompute both.
 */
export interface SignedRow {
  teamId: string
  seq: number
  /** The author's Ed25519 public key, raw, base64url (as in a share address). */
  author: string
  /** What the row is: a change kind (member.add…) or an audit action (team.invite…). */
  kind: string
  /** The row's content as exact canonical JSON text: what was signed, byte for byte. */
  body: string
  /** The hash of the row this one follows; GENESIS for a chain's first row. */
  prevHash: string
  hash: string
  /** Ed25519 signature of the hash, base64url. */
  signature: string
}

export const GENESIS = '0'.repeat(64)

export type RowContent = Omit<SignedRow, 'hash' | 'signature'>

export function rowHash(domain: string, row: RowContent): string {
  return createHash('sha256')
    .update(
      encodeAad([
        domain,
        row.teamId,
        String(row.seq),
        row.author,
        row.kind,
        row.body,
        row.prevHash,
      ]),
    )
    .digest('hex')
}

/** A row hashed and signed by `key` (whose public half must be `row.author`). */
export function signRow(domain: string, row: RowContent, key: KeyObject): SignedRow {
  const hash = rowHash(domain, row)
  const signature = sign(null, Buffer.from(hash, 'hex'), key).toString('base64url')
  return { ...row, hash, signature }
}

/**
 * Signatures this process already verified, by author, hash and signature. Every team command
 * replays the whole log, and an Ed25519 check costs 0.1-0.3 ms here (3 s for a log of 10,000
 * changes): a process that reads a team again (the app, the agent, a watch, the team runner)
 * then checks only the rows it has not seen. The hash is still recomputed from the content each
 * time; a triple that verified once always verifies. Bounded: forgotten when full.
 */
const verifiedSignatures = new Set<string>()
const VERIFIED_MAX = 500_000

/** Why a row cannot be trusted as written, or undefined when its hash and signature hold. */
export function rowIntegrityProblem(domain: string, row: SignedRow): string | undefined {
  if (row.hash !== rowHash(domain, row))
    return 'its content does not match its hash (it was edited after it was written)'
  const triple = `${row.author}.${row.hash}.${row.signature}`
  if (verifiedSignatures.has(triple)) return undefined
  let key: KeyObject
  try {
    key = signingPublicKey(row.author)
  } catch {
    return 'its author is not a valid Ed25519 key'
  }
  let good = false
  try {
    good = verify(null, Buffer.from(row.hash, 'hex'), key, Buffer.from(row.signature, 'base64url'))
  } catch {
    good = false
  }
  if (!good) return 'its signature does not match its author'
  remember(triple)
  return undefined
}

/** JSON with object keys sorted at every level: one text for one value, so it can be signed. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    )
  return value
}

/** A short, readable name for a key in warnings: its first 8 characters. */
export function shortKey(key: string): string {
  return `key ${key.slice(0, 8)}…`
}

/**
 * Checks the signatures of `rows` not verified yet on libuv's threadpool (every core, not only
 * the event loop's), remembering the good ones: the replay that follows then finds them checked.
 * A bad or malformed row is simply left for the replay, which names it.
 */
export async function preverifySignatures(rows: readonly SignedRow[]): Promise<void> {
  const keys = new Map<string, KeyObject | undefined>()
  const keyOf = (author: string) => {
    if (!keys.has(author)) {
      let key: KeyObject | undefined
      try {
        key = signingPublicKey(author)
      } catch {
        key = undefined
      }
      keys.set(author, key)
    }
    return keys.get(author)
  }
  const pending = rows.filter(
    (row) => !verifiedSignatures.has(`${row.author}.${row.hash}.${row.signature}`),
  )
  const check = (row: SignedRow) =>
    new Promise<void>((done) => {
      const key = keyOf(row.author)
      if (!key || !/^[0-9a-f]{64}$/.test(row.hash)) return done()
      try {
        verify(
          null,
          Buffer.from(row.hash, 'hex'),
          key,
          Buffer.from(row.signature, 'base64url'),
          (error, good) => {
            if (!error && good) remember(`${row.author}.${row.hash}.${row.signature}`)
            done()
          },
        )
      } catch {
        done()
      }
    })
  // A few batches in flight per core keep the threadpool busy without queueing thousands.
  const width = 64 * availableParallelism()
  for (let i = 0; i < pending.length; i += width)
    await Promise.all(pending.slice(i, i + width).map(check))
}

function remember(triple: string): void {
  if (verifiedSignatures.size >= VERIFIED_MAX) verifiedSignatures.clear()
  verifiedSignatures.add(triple)
}

/** Forgets the signatures verified so far: a process's first read, as the team bench measures it. */
export function forgetVerifiedSignatures(): void {
  verifiedSignatures.clear()
}

import type { KeyObject } from 'node:crypto'
import {
  canonicalJson,
  GENESIS,
  rowIntegrityProblem,
  shortKey,
  signRow,
  type SignedRow,
} from './signed-chain'

/**
 * The team's own audit trail: append-only in the database, hash-chained and signed per entry by
 * the member who acted. Unlike the change log it is strict: every entry must follow the one
 * before it, so verification names the first broken link (an entry edited, removed or forged).
 * It records who did what to the team (never a key or a secret).
 */
export const AUDIT_DOMAIN = 'bridgekeep/team-audit/v1'

export const teamAuditActions = [
  'team.found',
  'member.join',
  'member.add',
  'member.remove',
  'member.role',
  // A team runner's answers: short-lived credentials issued to a member, or a request refused.
  'runner.issue',
  'runner.refuse',
  'connection.put',
  'connection.remove',
  'connection.environments',
  'connection.use',
] as const
export type TeamAuditAction = (typeof teamAuditActions)[number]

/** The next audit entry after `last` (the newest row as stored, whatever it holds). */
export function teamAuditEntry(
  teamId: string,
  last: SignedRow | undefined,
  author: { signingKey: string; key: KeyObject },
  action: TeamAuditAction,
  detail: string,
  at: string,
): SignedRow {
  return signRow(
    AUDIT_DOMAIN,
    {
      teamId,
      seq: (last?.seq ?? 0) + 1,
      author: author.signingKey,
      kind: action,
      body: canonicalJson({ at, detail }),
      prevHash: last?.hash ?? GENESIS,
    },
    author.key,
  )
}

export interface TeamAuditCheck {
  ok: boolean
  entries: number
  /** The first entry that breaks the chain, and why. */
  firstBroken?: { seq: number; message: string }
  /** The last entry of the intact chain (where an incremental check continues from). */
  intactTo?: AuditMark
}

/** An audit entry a check found intact, with every entry before it. */
export interface AuditMark {
  seq: number
  hash: string
}

/**
 * Checks the trail: positions 1, 2, 3…, each entry following the previous one's hash, intact,
 * and signed by someone who was at some point a member (`everMembers`, from the verified change
 * log). With `from`, `rows` are only the entries after it (an entry an earlier check found
 * intact, with every entry before it, and still stored unchanged): the chain continues there.
 */
export function verifyTeamAudit(
  rows: readonly SignedRow[],
  everMembers: ReadonlySet<string>,
  from?: AuditMark,
): TeamAuditCheck {
  let prev = from?.hash ?? GENESIS
  const before = from?.seq ?? 0
  const entries = before + rows.length
  let intactTo = from
  for (const [index, row] of [...rows].sort((a, b) => a.seq - b.seq).entries()) {
    const problem =
      row.seq !== before + index + 1
        ? `entry #${before + index + 1} is missing`
        : row.prevHash !== prev
          ? 'it does not follow the entry before it'
          : (rowIntegrityProblem(AUDIT_DOMAIN, row) ??
            (everMembers.has(row.author)
              ? undefined
              : `its author ${shortKey(row.author)} was never a member`))
    if (problem)
      return {
        ok: false,
        entries,
        firstBroken: {
          seq: row.seq,
          message: `The team audit trail is broken at entry #${row.seq}: ${problem}.`,
        },
        ...(intactTo ? { intactTo } : {}),
      }
    prev = row.hash
    intactTo = { seq: row.seq, hash: row.hash }
  }
  return { ok: true, entries, ...(intactTo ? { intactTo } : {}) }
}

/** The detail of a push's `connection.put` entry: the version, and the environments it set. */
export function putDetail(name: string, version: number, environments?: string[]): string {
  const envs = environments ? `; environments ${environments.join(', ') || 'none'}` : ''
  return `${name} version ${version}${envs}`
}

/** Whether the trail holds the `connection.put` entry of a connection's version (putDetail's). */
export function hasPutEntry(rows: readonly SignedRow[], name: string, version: number): boolean {
  const detail = putDetail(name, version)
  return rows.some((row) => {
    if (row.kind !== 'connection.put') return false
    const written = (JSON.parse(row.body) as { detail?: unknown }).detail
    return typeof written === 'string' && (written === detail || written.startsWith(`${detail};`))
  })
}

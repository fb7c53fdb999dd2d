import { createHash } from 'node:crypto'

/** The hash the first entry chains from. */
export const GENESIS_HASH = '0'.repeat(64)

/** The stored columns, in canonical order; `hash` is last and is not part of the content. */
export const AUDIT_COLUMNS = [
  'id',
  'time',
  'actor_user',
  'actor_vault',
  'action',
  'target_type',
  'target_id',
  'target_name',
  'environment_id',
  'environment_name',
  'outcome',
  'detail',
  'hash',
] as const

/** A stored row as an array in `AUDIT_COLUMNS` order (better-sqlite3's raw mode). */
export type AuditRowValues = [
  id: number,
  time: string,
  actorUser: string,
  actorVault: string,
  action: string,
  targetType: string,
  targetId: string | null,
  targetName: string | null,
  environmentId: string | null,
  environmentName: string | null,
  outcome: string,
  detail: string,
  hash: string,
]

/**
 * An entry's canonical content: a JSON array of every column but the hash, in a fixed order.
 * The id is part of it, so moving or renumbering an entry breaks its link too.
 */
export function canonicalContent(row: readonly unknown[]): string {
  return JSON.stringify(row.slice(0, AUDIT_COLUMNS.length - 1))
}

/** SHA-256 (hex) over the previous entry's hash (64 hex digits) and this entry's content. */
export function chainHash(previousHash: string, row: readonly unknown[]): string {
  return createHash('sha256').update(previousHash).update(canonicalContent(row)).digest('hex')
}

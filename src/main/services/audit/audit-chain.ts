import { createHash, createHmac } from 'node:crypto'
import { encodeAad } from '../../security/aad'

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

/*
 * The keyed layer. The SHA-256 chain above shows an edit to one entry, but anyone who can write
 * the file can recompute it after editing, or cut entries off its end. So each entry also carries
 * a MAC of its hash under the audit key (HKDF of the vault's data key: `deriveAuditKey`), and the
 * `audit_head` row holds a sealed head: how many entries the vault vouches for and the last one's
 * hash, MAC'd under the same key and updated in the transaction of every keyed append. Without the
 * key a rebuilt chain carries no valid MAC (rewriting) and a shortened one no longer reaches the
 * head (truncation).
 */

/** The `audit_head` row: what the vault last vouched for under its audit key. */
export interface AuditHead {
  /** Entries #1..#entries are sealed (each carries a MAC); the rest were recorded while locked. */
  entries: number
  /** Entry #entries's hash (GENESIS_HASH for none). */
  lastHash: string
  /** Entries written before the chain was keyed (an earlier Bridgekeep), sealed at the first unlock after the upgrade. */
  beforeKeying: number
  /** Entries recorded while the vault was locked and sealed at a later unlock, in all. */
  whileLocked: number
  /** When the head was first sealed (creation, or the first unlock after the upgrade). */
  keyedAt: string | null
}

const ENTRY_DOMAIN = 'bridgekeep/audit-entry/v1\0'
const HEAD_DOMAIN = 'bridgekeep/audit-head/v1'

/** HMAC-SHA256 (hex) of an entry's chain hash: as the hash covers the entry and all before it, so does the MAC. */
export function entryMac(auditKey: Buffer, hash: string): string {
  return createHmac('sha256', auditKey).update(ENTRY_DOMAIN).update(hash).digest('hex')
}

/** HMAC-SHA256 (hex) of every field of the head, each length-prefixed. */
export function headMac(auditKey: Buffer, head: AuditHead): string {
  return createHmac('sha256', auditKey)
    .update(
      encodeAad([
        HEAD_DOMAIN,
        String(head.entries),
        head.lastHash,
        String(head.beforeKeying),
        String(head.whileLocked),
        head.keyedAt ?? '',
      ]),
    )
    .digest('hex')
}

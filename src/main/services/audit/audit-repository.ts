import type { Statement } from 'better-sqlite3'
import type { AuditEntry, AuditFilter } from '../../../shared/audit'
import type { Database } from '../../db/database'
import { AUDIT_COLUMNS, type AuditHead, type AuditRowValues } from './audit-chain'

/** The `audit_head` row, as an `AuditHead` and the MAC stored with it (null: never sealed). */
export interface StoredHead {
  head: AuditHead
  mac: string | null
}

/** A stored row (`AUDIT_COLUMNS` order) with its MAC at the end. */
export type AuditRowWithMac = [...AuditRowValues, mac: string | null]

/** The `audit_head` row as stored. */
export interface HeadRow {
  entries: number
  last_hash: string
  before_keying: number
  while_locked: number
  keyed_at: string | null
  mac: string | null
}

const COLUMNS = AUDIT_COLUMNS.join(', ')

/**
 * Audit writes made through each connection, by any AuditRepository: `PRAGMA data_version` shows
 * another connection's commits, not those made through the same connection.
 */
const auditWrites = new WeakMap<Database, { count: number }>()

/**
 * SQL of the audit trail (audit_log, audit_head). No hashing, no MACs: rows in, rows out. Every
 * write through it is counted per connection (`writeCount`), so a cached view of the chain can
 * tell whether anything was written since. Callers own the transactions.
 */
export class AuditRepository {
  private readonly s
  private readonly writes: { count: number }
  /** Statements prepared on first use: one per timeline filter shape, verification, re-keying. */
  private readonly lazy = new Map<string, Statement>()

  constructor(readonly db: Database) {
    let writes = auditWrites.get(db)
    if (!writes) auditWrites.set(db, (writes = { count: 0 }))
    this.writes = writes
    this.s = {
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      maxId: db.prepare('SELECT max(id) FROM audit_log').pluck(),
      lastHash: db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck(),
      insert: db.prepare(
        `INSERT INTO audit_log (${COLUMNS}, mac) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')}, ?)`,
      ),
      head: db.prepare(
        'SELECT entries, last_hash, before_keying, while_locked, keyed_at, mac FROM audit_head WHERE id = 1',
      ),
      hashOf: db.prepare('SELECT hash FROM audit_log WHERE id = ?').pluck(),
      after: db.prepare('SELECT id, hash, mac FROM audit_log WHERE id > ? ORDER BY id').raw(),
      anyMac: db.prepare('SELECT 1 FROM audit_log WHERE mac IS NOT NULL LIMIT 1'),
      setMac: db.prepare('UPDATE audit_log SET mac = ? WHERE id = ? AND mac IS NULL'),
      writeHead: db.prepare(
        `UPDATE audit_head SET entries = ?, last_hash = ?, before_keying = ?, while_locked = ?,
           keyed_at = ?, mac = ? WHERE id = 1`,
      ),
      advanceHead: db.prepare(
        'UPDATE audit_head SET entries = ?, last_hash = ?, mac = ? WHERE id = 1',
      ),
      connectionName: db.prepare('SELECT name FROM connections WHERE id = ?').pluck(),
    }
  }

  /** Changes when another connection commits (SQLite's `PRAGMA data_version`). */
  dataVersion(): number {
    return this.s.dataVersion.get() as number
  }
  /** Audit writes made through this connection so far, by any repository. */
  writeCount(): number {
    return this.writes.count
  }
  /** The newest entry's id; 0 for an empty trail. */
  maxId(): number {
    return (this.s.maxId.get() as number | null) ?? 0
  }
  /** The newest entry's hash, if there is one. */
  lastHash(): string | undefined {
    return this.s.lastHash.get() as string | undefined
  }
  hashOf(id: number): string | undefined {
    return this.s.hashOf.get(id) as string | undefined
  }
  insert(row: AuditRowValues, mac: string | null): void {
    this.s.insert.run(...row, mac)
    this.writes.count++
  }
  /** Entries after `id`, oldest first: [id, hash, mac]. */
  after(id: number): [id: number, hash: string, mac: string | null][] {
    return this.s.after.all(id) as [id: number, hash: string, mac: string | null][]
  }
  anyMac(): boolean {
    return this.s.anyMac.get() !== undefined
  }
  /** Gives an entry recorded without a MAC its MAC (one that has one keeps it). */
  setMac(id: number, mac: string): void {
    this.s.setMac.run(mac, id)
    this.writes.count++
  }
  /**
   * Replaces an entry's MAC. The append-only trigger allows it only while rekeying is on (see
   * `setRekeying`).
   */
  replaceMac(id: number, mac: string): void {
    this.statement('UPDATE audit_log SET mac = ? WHERE id = ?').run(mac, id)
    this.writes.count++
  }
  setRekeying(on: boolean): void {
    this.statement('UPDATE audit_head SET rekeying = ? WHERE id = 1').run(on ? 1 : 0)
    this.writes.count++
  }

  head(): StoredHead | undefined {
    const row = this.s.head.get() as HeadRow | undefined
    if (!row) return undefined
    return {
      head: {
        entries: row.entries,
        lastHash: row.last_hash,
        beforeKeying: row.before_keying,
        whileLocked: row.while_locked,
        keyedAt: row.keyed_at,
      },
      mac: row.mac,
    }
  }
  /** Writes every field of the sealed head (sealing, rekeying). */
  writeHead(head: AuditHead, mac: string): void {
    this.s.writeHead.run(
      head.entries,
      head.lastHash,
      head.beforeKeying,
      head.whileLocked,
      head.keyedAt,
      mac,
    )
    this.writes.count++
  }
  /** Moves the head to a new last entry; false when there is no head row to move. */
  advanceHead(entries: number, lastHash: string, mac: string): boolean {
    const moved = this.s.advanceHead.run(entries, lastHash, mac).changes === 1
    this.writes.count++
    return moved
  }

  connectionName(id: string): string | undefined {
    return this.s.connectionName.get(id) as string | undefined
  }

  /** Every entry with its MAC, oldest first, read as it goes. */
  iterateWithMacs(): IterableIterator<AuditRowWithMac> {
    return this.statement(`SELECT ${COLUMNS}, mac FROM audit_log ORDER BY id`)
      .raw()
      .iterate() as IterableIterator<AuditRowWithMac>
  }
  entryAt(id: number): { time: string; action: string } | undefined {
    return this.statement('SELECT time, action FROM audit_log WHERE id = ?').get(id) as
      { time: string; action: string } | undefined
  }

  /** Up to `limit` filtered entries before the cursor `before` (an id), newest first. */
  page(filter: AuditFilter, before: number | undefined, limit: number): AuditEntry[] {
    const where = whereClause(filter)
    const pageWhere = before === undefined ? where : and(where, 'id < ?', [before])
    const rows = this.statement(
      `SELECT ${COLUMNS} FROM audit_log${pageWhere.sql} ORDER BY id DESC LIMIT ?`,
    )
      .raw()
      .all(...pageWhere.params, limit) as AuditRowValues[]
    return rows.map(toEntry)
  }
  count(filter: AuditFilter): number {
    const where = whereClause(filter)
    const counted = this.statement(`SELECT count(*) AS n FROM audit_log${where.sql}`).get(
      ...where.params,
    ) as { n: number }
    return counted.n
  }
  /** The filtered entries, oldest first, read as it goes. */
  *filtered(filter: AuditFilter): Generator<AuditEntry> {
    const where = whereClause(filter)
    const rows = this.statement(`SELECT ${COLUMNS} FROM audit_log${where.sql} ORDER BY id`)
      .raw()
      .iterate(...where.params) as IterableIterator<AuditRowValues>
    for (const row of rows) yield toEntry(row)
  }

  private statement(sql: string): Statement {
    let statement = this.lazy.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.lazy.set(sql, statement)
    }
    return statement
  }
}

interface Where {
  sql: string
  params: (string | number)[]
}

function and(where: Where, condition: string, params: (string | number)[]): Where {
  return {
    sql: where.sql ? `${where.sql} AND ${condition}` : ` WHERE ${condition}`,
    params: [...where.params, ...params],
  }
}

function whereClause(filter: AuditFilter): Where {
  let where: Where = { sql: '', params: [] }
  if (filter.connectionId !== undefined)
    where = and(where, "target_type = 'connection' AND target_id = ?", [filter.connectionId])
  if (filter.environmentId !== undefined)
    where = and(where, 'environment_id = ?', [filter.environmentId])
  if (filter.actions !== undefined && filter.actions.length > 0)
    where = and(where, `action IN (${filter.actions.map(() => '?').join(', ')})`, filter.actions)
  if (filter.outcome !== undefined) where = and(where, 'outcome = ?', [filter.outcome])
  // Stored times are UTC ISO strings; normalise the bounds so string order is time order.
  if (filter.from !== undefined)
    where = and(where, 'time >= ?', [new Date(filter.from).toISOString()])
  if (filter.to !== undefined) where = and(where, 'time < ?', [new Date(filter.to).toISOString()])
  return where
}

function toEntry(row: AuditRowValues): AuditEntry {
  return {
    id: row[0],
    time: row[1],
    actorUser: row[2],
    actorVault: row[3],
    action: row[4],
    targetType: row[5],
    targetId: row[6],
    targetName: row[7],
    environmentId: row[8],
    environmentName: row[9],
    outcome: row[10] === 'failure' ? 'failure' : 'success',
    detail: row[11],
    hash: row[12],
  }
}

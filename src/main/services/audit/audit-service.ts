import { userInfo } from 'node:os'
import type { Statement, Transaction } from 'better-sqlite3'
import {
  auditExportSchema,
  auditQuerySchema,
  type AuditAction,
  type AuditEntry,
  type AuditExport,
  type AuditExportFormat,
  type AuditFilter,
  type AuditOutcome,
  type AuditPage,
  type AuditQuery,
  type AuditTargetType,
  type AuditVerification,
} from '../../../shared/audit'
import { isBridgekeepError } from '../../../shared/errors'
import type { Database } from '../../db/database'
import type { Logger } from '../../log'
import type { Vault } from '../vault/vault'
import { AUDIT_COLUMNS, chainHash, GENESIS_HASH, type AuditRowValues } from './audit-chain'
import { csvHeader, csvLine, jsonLine } from './audit-export'

/** Longest detail kept; longer ones are cut with an ellipsis. */
export const AUDIT_DETAIL_MAX = 500

/**
 * What a caller records. Details are written by Bridgekeep's own code from names, ids, counts and
 * field keys: never from a value the user typed into a secret field.
 */
export interface AuditRecord {
  action: AuditAction
  outcome?: AuditOutcome
  /** For a connection target the name is looked up when left out. */
  target?: { type: AuditTargetType; id?: string | null; name?: string | null }
  environment?: { id: string; name: string } | null
  detail?: string
}

/** The part other services use: append one entry (inside their transaction, if they have one). */
export interface AuditRecorder {
  record(entry: AuditRecord): number
}

export interface AuditOptions {
  vault: Vault
  log: Logger
  now?: () => Date
  /** The OS user name; `os.userInfo()` by default. */
  user?: string
}

interface Prepared {
  db: Database
  append: Transaction<(entry: AuditRecord) => number>
  vaultId: string | undefined
  maxId: Statement
  last: Statement
  insert: Statement
  connectionName: Statement
  byFilter: Map<string, Statement>
}

const COLUMNS = AUDIT_COLUMNS.join(', ')

/**
 * The audit trail: append-only (SQLite triggers refuse UPDATE and DELETE), hash-chained, and
 * queryable for the timeline. Appending needs no data key (a failed unlock is recorded while
 * locked); reading does.
 */
export class AuditService implements AuditRecorder {
  private readonly now: () => Date
  private readonly user: string
  private prepared: Prepared | undefined
  /** The newest entry, once read: appending chains from it without reading it back. */
  private head: { id: number; hash: string; tentative: boolean } | undefined

  constructor(private readonly options: AuditOptions) {
    this.now = options.now ?? (() => new Date())
    this.user = options.user ?? osUser()
  }

  /**
   * Appends one entry and returns its id. Inside a caller's transaction it commits (or rolls
   * back) with the change it describes. Throws if it cannot be written: an action that must be
   * audited does not happen unaudited.
   */
  record(entry: AuditRecord): number {
    const s = this.statements()
    // Inside the caller's transaction the append is one more statement of it; on its own it
    // takes the write lock first (IMMEDIATE), so no other writer can slip in between the read
    // of the chain's head and the insert.
    return s.db.inTransaction ? this.append(s, entry, true) : s.append.immediate(entry)
  }

  /**
   * `tentative`: inside a caller's transaction, which may still roll back; the head is then read
   * again next time rather than trusted from memory.
   */
  private append(s: Prepared, entry: AuditRecord, tentative: boolean): number {
    const vaultId = this.vaultIdOf(s)
    const { id: maxId } = s.maxId.get() as { id: number | null }
    let previous: string
    if (this.head && !this.head.tentative && this.head.id === maxId) {
      previous = this.head.hash
    } else {
      // First append, after an append inside a transaction, or another writer (the CLI) appended.
      const last = s.last.get() as { hash: string } | undefined
      previous = last?.hash ?? GENESIS_HASH
    }
    const id = (maxId ?? 0) + 1
    const target = entry.target
    const targetName =
      target?.name ??
      (target?.type === 'connection' && target.id
        ? ((s.connectionName.get(target.id) as { name: string } | undefined)?.name ?? null)
        : null)
    const row: AuditRowValues = [
      id,
      this.now().toISOString(),
      this.user,
      vaultId,
      entry.action,
      target?.type ?? 'vault',
      target?.id ?? (target ? null : vaultId),
      targetName,
      entry.environment?.id ?? null,
      entry.environment?.name ?? null,
      entry.outcome ?? 'success',
      shorten(entry.detail ?? ''),
      '',
    ]
    const hash = chainHash(previous, row)
    row[12] = hash
    s.insert.run(row)
    this.head = { id, hash, tentative }
    return id
  }

  /**
   * Records a failure, after the failed action was rolled back. Never throws: a failure to audit
   * a failure must not replace the error the user needs to see (it is logged instead).
   */
  recordFailure(entry: Omit<AuditRecord, 'outcome'>, error: unknown): void {
    const code = isBridgekeepError(error) ? error.code : 'INTERNAL'
    try {
      if (!this.options.vault.exists()) return
      this.record({
        ...entry,
        outcome: 'failure',
        detail: entry.detail ? `${entry.detail}; ${code}` : code,
      })
    } catch (cause) {
      this.options.log.warn('audit.record-failed', {
        action: entry.action,
        code: isBridgekeepError(cause) ? cause.code : 'INTERNAL',
      })
    }
  }

  /** One page of the timeline, newest first. */
  query(raw?: AuditQuery): AuditPage {
    this.options.vault.requireKey()
    const input = auditQuerySchema.parse(raw) ?? { filter: {}, limit: 200 }
    const s = this.statements()
    const where = whereClause(input.filter)
    const pageWhere = input.before === undefined ? where : and(where, 'id < ?', [input.before])
    const rows = this.statement(
      s,
      `SELECT ${COLUMNS} FROM audit_log${pageWhere.sql} ORDER BY id DESC LIMIT ?`,
    )
      .raw()
      .all(...pageWhere.params, input.limit + 1) as AuditRowValues[]
    const more = rows.length > input.limit
    const entries = rows.slice(0, input.limit).map(toEntry)
    const page: AuditPage = {
      entries,
      nextCursor: more ? (entries.at(-1)?.id ?? null) : null,
    }
    if (input.before === undefined) {
      const counted = this.statement(s, `SELECT count(*) AS n FROM audit_log${where.sql}`).get(
        ...where.params,
      ) as { n: number }
      page.total = counted.n
    }
    return page
  }

  /** The filtered trail, oldest first, as JSON Lines or CSV text. */
  export(raw: { format: AuditExportFormat; filter?: AuditFilter }): AuditExport {
    this.options.vault.requireKey()
    const input = auditExportSchema.parse(raw)
    const s = this.statements()
    const where = whereClause(input.filter)
    const rows = this.statement(s, `SELECT ${COLUMNS} FROM audit_log${where.sql} ORDER BY id`)
      .raw()
      .iterate(...where.params) as IterableIterator<AuditRowValues>
    const parts: string[] = input.format === 'csv' ? [csvHeader()] : []
    const line = input.format === 'csv' ? csvLine : jsonLine
    let count = 0
    for (const row of rows) {
      parts.push(line(toEntry(row)))
      count++
    }
    const stamp = this.now()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')
    this.options.log.info('audit.exported', { format: input.format, count })
    return {
      format: input.format,
      filename: `bridgekeep-audit-${stamp}.${input.format}`,
      mediaType: input.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
      content: parts.join(''),
      count,
    }
  }

  /**
   * Walks the chain from the first entry. Each entry must hash (with its stored predecessor's
   * hash) to its own stored hash, and ids must follow each other: an altered entry breaks its
   * own link only; removed entries break the link of the entry after the gap.
   */
  verify(): AuditVerification {
    this.options.vault.requireKey()
    const s = this.statements()
    const rows = this.statement(s, `SELECT ${COLUMNS} FROM audit_log ORDER BY id`)
      .raw()
      .iterate() as IterableIterator<AuditRowValues>
    let previousHash = GENESIS_HASH
    let previousId = 0
    let checked = 0
    let brokenCount = 0
    let firstBroken: AuditVerification['firstBroken'] = null
    for (const row of rows) {
      checked++
      const [id, time, , , action] = row
      const gap = id !== previousId + 1
      if (gap || chainHash(previousHash, row) !== row[12]) {
        brokenCount++
        firstBroken ??= { id, time, action, reason: gap ? 'gap' : 'altered' }
      }
      previousHash = row[12]
      previousId = id
    }
    this.options.log.info('audit.verified', { checked, brokenCount })
    return {
      ok: brokenCount === 0,
      checked,
      brokenCount,
      firstBroken,
      message: verificationMessage(checked, brokenCount, firstBroken),
    }
  }

  private statements(): Prepared {
    const db = this.options.vault.database()
    if (this.prepared?.db === db) return this.prepared
    this.head = undefined
    const prepared: Prepared = {
      db,
      append: db.transaction((entry: AuditRecord) => this.append(prepared, entry, false)),
      vaultId: undefined,
      maxId: db.prepare('SELECT max(id) AS id FROM audit_log'),
      last: db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO audit_log (${COLUMNS}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
      ),
      connectionName: db.prepare('SELECT name FROM connections WHERE id = ?'),
      byFilter: new Map(),
    }
    this.prepared = prepared
    return prepared
  }

  private vaultIdOf(s: Prepared): string {
    s.vaultId ??= this.options.vault.vaultId()
    return s.vaultId
  }

  private statement(s: Prepared, sql: string): Statement {
    let statement = s.byFilter.get(sql)
    if (!statement) {
      statement = s.db.prepare(sql)
      s.byFilter.set(sql, statement)
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

function shorten(detail: string): string {
  return detail.length <= AUDIT_DETAIL_MAX ? detail : `${detail.slice(0, AUDIT_DETAIL_MAX - 1)}…`
}

function verificationMessage(
  checked: number,
  brokenCount: number,
  first: AuditVerification['firstBroken'],
): string {
  if (!first) {
    return checked === 0
      ? 'The audit trail is empty.'
      : `All ${checked.toLocaleString('en-US')} entries verify.`
  }
  const why =
    first.reason === 'gap'
      ? 'entries before it were removed'
      : 'it was altered after it was written'
  const more = brokenCount > 1 ? ` (${brokenCount - 1} more broken after it)` : ''
  return `The audit trail was tampered with: entry #${first.id} (${first.time}, ${first.action}) does not match the chain — ${why}${more}.`
}

/** The OS user name; some containers have no passwd entry, so fall back to the environment. */
function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
}

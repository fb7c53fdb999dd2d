import { userInfo } from 'node:os'
import type { Statement, Transaction } from 'better-sqlite3'
import {
  auditExportSchema,
  auditQuerySchema,
  type AuditAction,
  type AuditDamageKind,
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
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { writeTransaction, type Database } from '../../db/database'
import type { Logger } from '../../log'
import { deriveAuditKey } from '../../security/audit-key'
import type { Vault } from '../vault/vault'
import {
  AUDIT_COLUMNS,
  chainHash,
  entryMac,
  GENESIS_HASH,
  headMac,
  type AuditHead,
  type AuditRowValues,
} from './audit-chain'
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
  seal: Transaction<(key: Buffer) => void>
  vaultId: string | undefined
  writes: { count: number }
  dataVersion: Statement
  maxId: Statement
  last: Statement
  insert: Statement
  head: Statement
  hashOf: Statement
  after: Statement
  anyMac: Statement
  setMac: Statement
  writeHead: Statement
  advanceHead: Statement
  connectionName: Statement
  byFilter: Map<string, Statement>
}

/** The `audit_head` row as stored. */
interface HeadRow {
  entries: number
  last_hash: string
  before_keying: number
  while_locked: number
  keyed_at: string | null
  mac: string | null
}

/** A head this service checked (or wrote) under the current audit key, with its MAC. */
interface SealedHead {
  head: AuditHead
  mac: string
}

/**
 * The newest entry as this service last wrote or read it, and the sealed head when it checked
 * out. `tentative`: written inside a caller's transaction, which may still roll back; `stamp`
 * says what else had written by then, so the next append can tell whether anything did since.
 */
interface Tip {
  id: number
  hash: string
  tentative: boolean
  stamp?: { dataVersion: number; writes: number }
  sealed?: SealedHead
}

/**
 * Appends (and seals) made through each connection, by any AuditService: `PRAGMA data_version`
 * shows another connection's commits, not those made through the same connection.
 */
const auditWrites = new WeakMap<Database, { count: number }>()

/** Why the head cannot be built on: sealing stops rather than paper over the evidence. */
type HeadDamage = 'missing' | 'forged' | 'truncated' | 'rewritten' | 'stale'

const COLUMNS = AUDIT_COLUMNS.join(', ')

/**
 * The audit trail: append-only (SQLite triggers refuse UPDATE and DELETE), hash-chained, keyed,
 * and queryable for the timeline. Reading needs the data key; appending does not (a failed unlock
 * is recorded while locked).
 *
 * Keying (see `audit-chain.ts`): while unlocked, each entry is appended with a MAC under the audit
 * key and the sealed head moves to it in the same transaction. While locked there is no key: the
 * entry is appended with its plain hash only and the head stays where it was. The next unlock (or
 * the next keyed append, whichever comes first) seals such entries in one transaction: MACs them
 * and moves the head over them, counting them as "recorded while locked". Entries written by an
 * earlier Bridgekeep, before the trail was keyed, are sealed the same way at the first unlock after
 * the upgrade.
 *
 * Limitation, by construction: until it is sealed, an entry recorded while locked is protected by
 * the hash chain only, so whoever can write the file can remove (or rewrite) such entries at the
 * end before the next unlock without a trace. Likewise anyone can make a vault look like one that
 * was never sealed (as if upgraded from an earlier version); the next unlock then seals what it
 * holds, and verification reports every entry as written before keying, with that date.
 */
export class AuditService implements AuditRecorder {
  private readonly now: () => Date
  private readonly user: string
  private prepared: Prepared | undefined
  /**
   * The newest entry, once read, and the sealed head when it checked out: appending chains (and
   * seals) from them without reading them back.
   */
  private tip: Tip | undefined
  /** The last reason sealing stopped, so the log says it once rather than on every append. */
  private damage: HeadDamage | undefined

  constructor(private readonly options: AuditOptions) {
    this.now = options.now ?? (() => new Date())
    this.user = options.user ?? osUser()
    options.vault.onUnlocked(() => this.sealQuietly())
    options.vault.onDataKeyReplaced((oldKey, newKey) => this.rekey(oldKey, newKey))
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
   * Seals what was recorded while the vault was locked (and, once after an upgrade, every entry
   * written before the trail was keyed). Runs at each unlock; a no-op when all is sealed.
   */
  seal(): void {
    const key = this.options.vault.auditKey()
    if (!key) return
    const s = this.statements()
    if (s.db.inTransaction) this.sync(s, key, true)
    else s.seal.immediate(key)
  }

  /** The unlock hook: unlocking must not fail because sealing could not run (the next keyed append retries). */
  private sealQuietly(): void {
    try {
      this.seal()
    } catch (cause) {
      this.options.log.warn('audit.seal-failed', {
        code: isBridgekeepError(cause) ? cause.code : 'INTERNAL',
      })
    }
  }

  /**
   * `tentative`: inside a caller's transaction, which may still roll back; the tip is then
   * trusted next time only if nothing else has written since (a rollback shows in max(id)).
   */
  private append(s: Prepared, entry: AuditRecord, tentative: boolean): number {
    const vaultId = this.vaultIdOf(s)
    const key = this.options.vault.auditKey()
    const { id: maxId } = s.maxId.get() as { id: number | null }
    let tip = this.tip
    const dataVersion = tip?.tentative ? (s.dataVersion.get() as number) : undefined
    if (
      !tip ||
      tip.id !== (maxId ?? 0) ||
      (tip.tentative &&
        (tip.stamp?.dataVersion !== dataVersion || tip.stamp?.writes !== s.writes.count)) ||
      // Keyed, with entries recorded while locked (or a head not checked yet): seal them first.
      (key && tip.sealed?.head.entries !== tip.id)
    ) {
      // First append, a rollback, another writer (the CLI) appended, or the vault was unlocked
      // since.
      tip = this.sync(s, key, tentative, maxId ?? 0)
    }
    const id = tip.id + 1
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
    const hash = chainHash(tip.hash, row)
    row[12] = hash
    // Keyed only on top of a sealed head that reaches the tip; otherwise (locked, or a damaged
    // head that must stay as evidence) the entry is appended with its plain hash only.
    let sealed = tip.sealed
    const keyed = key !== undefined && sealed?.head.entries === tip.id
    s.insert.run(...row, keyed ? entryMac(key, hash) : null)
    if (keyed && sealed) {
      const head: AuditHead = { ...sealed.head, entries: id, lastHash: hash }
      const mac = headMac(key, head)
      sealed = s.advanceHead.run(id, hash, mac).changes === 1 ? { head, mac } : undefined
    }
    s.writes.count++
    this.tip = { id, hash, tentative, ...(sealed ? { sealed } : {}) }
    if (tentative) {
      // No other connection can commit while this transaction holds the write lock.
      this.tip.stamp = {
        dataVersion: dataVersion ?? (s.dataVersion.get() as number),
        writes: s.writes.count,
      }
    }
    return id
  }

  /**
   * Reads the newest entry and, with the key, checks the sealed head and seals the entries after
   * it. A head that does not check out is left alone: sealing over it would erase the evidence.
   */
  private sync(
    s: Prepared,
    key: Buffer | undefined,
    tentative: boolean,
    maxId = (s.maxId.get() as { id: number | null }).id ?? 0,
  ): Tip {
    const last = s.last.get() as { hash: string } | undefined
    const tip = { id: maxId, hash: last?.hash ?? GENESIS_HASH, tentative }
    const sealed = key ? this.sealTail(s, key, tip) : undefined
    this.tip = { ...tip, ...(sealed ? { sealed } : {}) }
    return this.tip
  }

  private sealTail(
    s: Prepared,
    key: Buffer,
    tip: { id: number; hash: string },
  ): SealedHead | undefined {
    const row = s.head.get() as HeadRow | undefined
    if (!row) return this.damaged('missing')
    let head: AuditHead = {
      entries: row.entries,
      lastHash: row.last_hash,
      beforeKeying: row.before_keying,
      whileLocked: row.while_locked,
      keyedAt: row.keyed_at,
    }
    // Inside one transaction (appends in a batch), the head is the one this service just wrote.
    const known = this.tip?.sealed
    if (
      known &&
      known.mac === row.mac &&
      sameHead(known.head, head) &&
      known.head.entries === tip.id &&
      known.head.lastHash === tip.hash
    )
      return known
    const pristine = row.mac === null
    if (pristine) {
      // Never sealed: a vault just created or upgraded. Unless some entry has a MAC, which means
      // the head's was stripped.
      if (s.anyMac.get()) return this.damaged('missing')
      head = {
        entries: 0,
        lastHash: GENESIS_HASH,
        beforeKeying: Math.min(row.before_keying, tip.id),
        whileLocked: 0,
        keyedAt: this.now().toISOString(),
      }
    } else {
      if (row.mac !== headMac(key, head)) return this.damaged('forged')
      if (head.entries > tip.id) return this.damaged('truncated')
      const at = head.entries === 0 ? undefined : (s.hashOf.get(head.entries) as { hash: string })
      if ((at?.hash ?? GENESIS_HASH) !== head.lastHash) return this.damaged('rewritten')
    }
    this.damage = undefined
    if (head.entries === tip.id && row.mac !== null) return { head, mac: row.mac }
    const rows = s.after.raw().all(head.entries) as [id: number, hash: string, mac: string | null][]
    // A MAC after the head: it was put back from an earlier state. Not ours to seal over.
    if (rows.some(([, , mac]) => mac !== null)) return this.damaged('stale')
    for (const [id, hash] of rows) s.setMac.run(entryMac(key, hash), id)
    s.writes.count++
    const lastRow = rows.at(-1)
    const sealedNow = pristine ? Math.max(0, rows.length - head.beforeKeying) : rows.length
    head = {
      ...head,
      entries: lastRow?.[0] ?? head.entries,
      lastHash: lastRow?.[1] ?? head.lastHash,
      whileLocked: head.whileLocked + sealedNow,
    }
    const mac = headMac(key, head)
    s.writeHead.run(
      head.entries,
      head.lastHash,
      head.beforeKeying,
      head.whileLocked,
      head.keyedAt,
      mac,
    )
    if (rows.length > 0 || pristine) {
      this.options.log.info('audit.sealed', {
        whileLocked: sealedNow,
        ...(pristine ? { beforeKeying: head.beforeKeying } : {}),
      })
    }
    return { head, mac }
  }

  private damaged(reason: HeadDamage): undefined {
    if (this.damage !== reason) this.options.log.warn('audit.seal-refused', { reason })
    this.damage = reason
    return undefined
  }

  /**
   * Re-keys the trail under a new data key, in the re-encryption's transaction (the vault calls
   * it after the caller's `reencrypt`, so the entry recording it is re-keyed too): every MAC that verifies under the old key is recomputed under the new one. One
   * that does not verify is left as it is, so it fails under the new key too; a damaged head
   * likewise stays damaged. The append-only trigger lets MACs change only while
   * `audit_head.rekeying` is set, which this transaction clears again before it commits.
   */
  rekey(oldDataKey: Buffer, newDataKey: Buffer): void {
    const s = this.statements()
    const vaultId = this.vaultIdOf(s)
    const oldKey = deriveAuditKey(oldDataKey, vaultId)
    const newKey = deriveAuditKey(newDataKey, vaultId)
    const run = () => {
      s.db.prepare('UPDATE audit_head SET rekeying = 1 WHERE id = 1').run()
      const rows = s.after.raw().all(0) as [id: number, hash: string, mac: string | null][]
      const remac = s.db.prepare('UPDATE audit_log SET mac = ? WHERE id = ?')
      let carried = 0
      for (const [id, hash, mac] of rows) {
        if (mac === null || mac !== entryMac(oldKey, hash)) continue
        remac.run(entryMac(newKey, hash), id)
        carried++
      }
      const row = s.head.get() as HeadRow | undefined
      if (row?.mac) {
        const head: AuditHead = {
          entries: row.entries,
          lastHash: row.last_hash,
          beforeKeying: row.before_keying,
          whileLocked: row.while_locked,
          keyedAt: row.keyed_at,
        }
        if (row.mac === headMac(oldKey, head)) {
          s.writeHead.run(
            head.entries,
            head.lastHash,
            head.beforeKeying,
            head.whileLocked,
            head.keyedAt,
            headMac(newKey, head),
          )
        }
      }
      s.db.prepare('UPDATE audit_head SET rekeying = 0 WHERE id = 1').run()
      s.writes.count++
      this.options.log.info('audit.rekeyed', { entries: carried })
    }
    try {
      if (s.db.inTransaction) run()
      else writeTransaction(s.db, run)
    } finally {
      oldKey.fill(0)
      newKey.fill(0)
    }
    // Read again next time, under whichever key is then current (the transaction may roll back).
    if (this.tip) this.tip = { id: this.tip.id, hash: this.tip.hash, tentative: true }
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
   * Walks the chain from the first entry, checking three things:
   * - links: each entry must hash (with its stored predecessor's hash) to its own stored hash, and
   *   ids must follow each other: an altered entry breaks its own link only; removed entries
   *   break the link of the entry after the gap;
   * - MACs: each entry the head vouches for must carry a MAC of its hash under the audit key: a
   *   chain rebuilt without the key links up but carries none that verifies (rewritten);
   * - the head: its MAC must verify, the trail must reach as far as it says (truncated) and pass
   *   through the hash it names, and no entry after it may carry a MAC (an older head put back).
   * MACs are compared as plain strings: they are not secret, and nothing here is an oracle.
   */
  verify(): AuditVerification {
    this.options.vault.requireKey()
    const key = this.options.vault.auditKey()
    if (!key) throw new BridgekeepError('VAULT_LOCKED', 'The vault is locked.')
    const s = this.statements()
    const row = s.head.get() as HeadRow | undefined
    const head: AuditHead | undefined = row && {
      entries: row.entries,
      lastHash: row.last_hash,
      beforeKeying: row.before_keying,
      whileLocked: row.while_locked,
      keyedAt: row.keyed_at,
    }
    let status: AuditVerification['seal']['status'] = !row
      ? 'missing'
      : row.mac === null
        ? 'unsealed'
        : row.mac === headMac(key, head!)
          ? 'valid'
          : 'forged'
    const vouched = status === 'valid' ? head!.entries : 0
    const rows = this.statement(s, `SELECT ${COLUMNS}, mac FROM audit_log ORDER BY id`)
      .raw()
      .iterate() as IterableIterator<[...AuditRowValues, mac: string | null]>
    let previousHash = GENESIS_HASH
    let previousId = 0
    let checked = 0
    let brokenCount = 0
    let firstBroken: AuditVerification['firstBroken'] = null
    type Found = { id: number; time: string; action: string; count: number }
    const note = (found: Found | null, id: number, time: string, action: string): Found => {
      if (!found) return { id, time, action, count: 1 }
      found.count++
      return found
    }
    /** Entries that link up but carry a MAC that does not verify. */
    let badMac: Found | null = null
    /** Entries the head vouches for that carry no MAC at all. */
    let noMac: Found | null = null
    /** The last entry the head vouches for whose MAC verifies. */
    let lastSealed = 0
    let hashAtHead: string | undefined
    let anyMac = false
    let macAfterHead = false
    let pending = 0
    for (const entry of rows) {
      checked++
      const [id, time, , , action] = entry
      const hash = entry[12]
      const mac = entry[13]
      const gap = id !== previousId + 1
      // chainHash hashes the content columns only, so the MAC at the end is left out.
      const linked = !gap && chainHash(previousHash, entry) === hash
      if (!linked) {
        brokenCount++
        firstBroken ??= { id, time, action, reason: gap ? 'gap' : 'altered' }
      }
      if (mac !== null) anyMac = true
      const macOk = mac !== null && mac === entryMac(key, hash)
      if (macOk && id <= vouched) lastSealed = id
      if (id === vouched) hashAtHead = hash
      if (mac === null) {
        if (id <= vouched) noMac = note(noMac, id, time, action)
        else pending++
      } else if (macOk) {
        if (id > vouched && status === 'valid') macAfterHead = true
        // An entry that does not link is reported as altered already; one that links up but
        // carries a MAC that fails was rebuilt by someone without the key.
      } else if (linked) {
        badMac = note(badMac, id, time, action)
      }
      previousHash = hash
      previousId = id
    }
    if (status === 'unsealed' && anyMac) status = 'missing'
    if (macAfterHead) status = 'stale'
    // Truncated: the head vouches for more sealed entries than remain. Entries without a MAC
    // after the last sealed one are not the sealed ones: they were recorded after the cut (the
    // app keeps recording, unsealed, once the head no longer checks out).
    const unsealedTail = noMac !== null && noMac.id > lastSealed
    const remaining = unsealedTail ? noMac!.id - 1 : Math.min(previousId, vouched)
    const truncated =
      status === 'valid' && remaining < vouched
        ? { sealed: vouched, found: remaining, missing: vouched - remaining }
        : null
    // Otherwise an entry without its MAC had it stripped: part of a rewrite.
    let rewritten: AuditVerification['rewritten'] = badMac
    if (noMac && !unsealedTail) {
      rewritten =
        badMac && badMac.id < noMac.id
          ? { ...badMac, count: badMac.count + noMac.count }
          : { ...noMac, count: noMac.count + (badMac?.count ?? 0) }
    }
    if (
      status === 'valid' &&
      !truncated &&
      !rewritten &&
      brokenCount === 0 &&
      hashAtHead !== undefined &&
      hashAtHead !== head!.lastHash
    ) {
      // The trail no longer passes through the point the head vouches for.
      const at = this.statement(s, 'SELECT time, action FROM audit_log WHERE id = ?').get(
        vouched,
      ) as { time: string; action: string }
      rewritten = { id: vouched, ...at, count: 1 }
    }
    const damage: AuditDamageKind[] = []
    if (brokenCount > 0) damage.push('altered')
    if (truncated) damage.push('truncated')
    if (rewritten) damage.push('rewritten')
    if (status === 'missing') damage.push('head-missing')
    if (status === 'forged' || status === 'stale') damage.push('head-forged')
    const seal: AuditVerification['seal'] = {
      status,
      entries: status === 'valid' ? vouched : 0,
      beforeKeying: status === 'valid' ? head!.beforeKeying : 0,
      keyedAt: status === 'valid' ? head!.keyedAt : null,
      whileLocked: status === 'valid' ? head!.whileLocked : 0,
      pending: status === 'valid' || status === 'unsealed' ? pending : 0,
    }
    this.options.log.info('audit.verified', { checked, brokenCount, damage: damage.join(',') })
    const result = { checked, brokenCount, firstBroken, truncated, rewritten, seal, damage }
    return { ok: damage.length === 0, ...result, message: verificationMessage(result) }
  }

  private statements(): Prepared {
    const db = this.options.vault.database()
    if (this.prepared?.db === db) return this.prepared
    this.tip = undefined
    const prepared: Prepared = {
      db,
      append: db.transaction((entry: AuditRecord) => this.append(prepared, entry, false)),
      seal: db.transaction((key: Buffer) => {
        this.sync(prepared, key, false)
      }),
      vaultId: undefined,
      writes: writesThrough(db),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      maxId: db.prepare('SELECT max(id) AS id FROM audit_log'),
      last: db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1'),
      insert: db.prepare(
        `INSERT INTO audit_log (${COLUMNS}, mac) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')}, ?)`,
      ),
      head: db.prepare(
        'SELECT entries, last_hash, before_keying, while_locked, keyed_at, mac FROM audit_head WHERE id = 1',
      ),
      hashOf: db.prepare('SELECT hash FROM audit_log WHERE id = ?'),
      after: db.prepare('SELECT id, hash, mac FROM audit_log WHERE id > ? ORDER BY id'),
      anyMac: db.prepare('SELECT 1 FROM audit_log WHERE mac IS NOT NULL LIMIT 1'),
      setMac: db.prepare('UPDATE audit_log SET mac = ? WHERE id = ? AND mac IS NULL'),
      writeHead: db.prepare(
        `UPDATE audit_head SET entries = ?, last_hash = ?, before_keying = ?, while_locked = ?,
           keyed_at = ?, mac = ? WHERE id = 1`,
      ),
      advanceHead: db.prepare(
        'UPDATE audit_head SET entries = ?, last_hash = ?, mac = ? WHERE id = 1',
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

function writesThrough(db: Database): { count: number } {
  let writes = auditWrites.get(db)
  if (!writes) auditWrites.set(db, (writes = { count: 0 }))
  return writes
}

function sameHead(a: AuditHead, b: AuditHead): boolean {
  return (
    a.entries === b.entries &&
    a.lastHash === b.lastHash &&
    a.beforeKeying === b.beforeKeying &&
    a.whileLocked === b.whileLocked &&
    a.keyedAt === b.keyedAt
  )
}

const count = (n: number) => n.toLocaleString('en-US')
const entries = (n: number) => `${count(n)} ${n === 1 ? 'entry' : 'entries'}`
const at = (entry: { id: number; time: string; action: string }) =>
  `entry #${entry.id} (${entry.time}, ${entry.action})`

function verificationMessage(result: Omit<AuditVerification, 'ok' | 'message'>): string {
  const { checked, brokenCount, firstBroken, truncated, rewritten, seal } = result
  const sentences: string[] = []
  if (firstBroken) {
    const why =
      firstBroken.reason === 'gap'
        ? 'entries before it were removed'
        : 'it was altered after it was written'
    const more = brokenCount > 1 ? ` (${brokenCount - 1} more broken after it)` : ''
    sentences.push(
      `The audit trail was tampered with: ${at(firstBroken)} does not match the chain — ${why}${more}.`,
    )
  }
  if (truncated) {
    const { sealed, found, missing } = truncated
    const after = checked - found
    sentences.push(
      `The audit trail was truncated: its seal vouches for ${entries(sealed)} but only the first ${count(found)} remain — the last ${missing === 1 ? 'entry was' : `${count(missing)} were`} removed.` +
        (after > 0
          ? ` The ${entries(after)} after #${found} carry no seal: recorded after the cut, or rewritten without the vault key.`
          : ''),
    )
  }
  if (rewritten) {
    const more = rewritten.count > 1 ? ` and ${count(rewritten.count - 1)} more after it` : ''
    sentences.push(
      `The audit trail was rewritten: ${at(rewritten)}${more} ${rewritten.count > 1 ? 'link' : 'links'} up but ${rewritten.count > 1 ? 'do' : 'does'} not carry the vault's seal — the chain was rebuilt without the vault key.`,
    )
  }
  if (seal.status === 'missing') {
    sentences.push(
      "The audit trail's seal is missing: it was removed, so entries cut from the end would not show.",
    )
  } else if (seal.status === 'forged') {
    sentences.push("The audit trail's seal does not verify: it was forged or altered.")
  } else if (seal.status === 'stale') {
    sentences.push(
      "The audit trail's seal was replaced with an older one: entries after it carry the vault's seal.",
    )
  }
  if (sentences.length > 0) return sentences.join(' ')

  if (checked === 0) return 'The audit trail is empty.'
  if (seal.status === 'unsealed') {
    return `All ${count(checked)} entries link up, but the trail is not sealed yet: the next unlock seals it.`
  }
  const notes = [`All ${count(checked)} entries verify.`]
  if (seal.beforeKeying > 0) {
    notes.push(
      `${count(seal.beforeKeying)} of them ${seal.beforeKeying === 1 ? 'was' : 'were'} written by an earlier version before the trail was keyed, and sealed at the first unlock after the upgrade${seal.keyedAt ? ` (${seal.keyedAt})` : ''}: until then the hash chain alone protected them.`,
    )
  }
  if (seal.whileLocked > 0) {
    notes.push(
      `${entries(seal.whileLocked)} recorded while the vault was locked ${seal.whileLocked === 1 ? 'was' : 'were'} sealed at the next unlock.`,
    )
  }
  if (seal.pending > 0) {
    notes.push(
      `${entries(seal.pending)} recorded while the vault was locked ${seal.pending === 1 ? 'is' : 'are'} not sealed yet: the next entry recorded while unlocked, or the next unlock, seals ${seal.pending === 1 ? 'it' : 'them'}.`,
    )
  }
  if (seal.whileLocked > 0 || seal.pending > 0) {
    notes.push(
      'Until sealed, entries recorded while locked are protected by the hash chain only: any removed from the end before that unlock would not show.',
    )
  }
  return notes.join(' ')
}

/** The OS user name; some containers have no passwd entry, so fall back to the environment. */
function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
}

import { userInfo } from 'node:os'
import type { Transaction } from 'better-sqlite3'
import {
  auditExportSchema,
  auditQuerySchema,
  type AuditAction,
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
import { csvHeader, csvLine, jsonLine } from './audit-export'
import { rekeyTrail } from './audit-rekey'
import { AuditRepository } from './audit-repository'
import { verifyTrail } from './audit-verify'
import { AuditWriter } from './audit-writer'

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

/** What is built once per database connection. */
interface Prepared {
  db: Database
  repo: AuditRepository
  append: Transaction<(entry: AuditRecord) => number>
  seal: Transaction<(key: Buffer) => void>
  vaultId: string | undefined
}

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
  /** Keeps the chain and its seal: see `audit-writer.ts`. */
  private readonly writer: AuditWriter

  constructor(private readonly options: AuditOptions) {
    this.now = options.now ?? (() => new Date())
    this.user = options.user ?? osUser()
    // Read at each call: a test may replace `now` on the service.
    this.writer = new AuditWriter({ log: options.log, now: () => this.now() })
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
    if (s.db.inTransaction) this.writer.sync(s.repo, key, true)
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

  /** Builds the entry's row once the writer knows its id (the hash is filled in by the writer). */
  private append(s: Prepared, entry: AuditRecord, tentative: boolean): number {
    const vaultId = this.vaultIdOf(s)
    const key = this.options.vault.auditKey()
    return this.writer.append(s.repo, key, tentative, (id) => {
      const target = entry.target
      const targetName =
        target?.name ??
        (target?.type === 'connection' && target.id
          ? (s.repo.connectionName(target.id) ?? null)
          : null)
      return [
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
    })
  }

  /**
   * Re-keys the trail under a new data key, in the re-encryption's transaction (the vault calls
   * it after the caller's `reencrypt`, so the entry recording it is re-keyed too): see
   * `rekeyTrail`.
   */
  rekey(oldDataKey: Buffer, newDataKey: Buffer): void {
    const s = this.statements()
    const vaultId = this.vaultIdOf(s)
    const oldKey = deriveAuditKey(oldDataKey, vaultId)
    const newKey = deriveAuditKey(newDataKey, vaultId)
    const run = () => {
      const carried = rekeyTrail(s.repo, oldKey, newKey)
      this.options.log.info('audit.rekeyed', { entries: carried })
    }
    try {
      if (s.db.inTransaction) run()
      else writeTransaction(s.db, run)
    } finally {
      oldKey.fill(0)
      newKey.fill(0)
    }
    this.writer.forgetSeal()
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
    const { repo } = this.statements()
    const rows = repo.page(input.filter, input.before, input.limit + 1)
    const more = rows.length > input.limit
    const entries = rows.slice(0, input.limit)
    const page: AuditPage = {
      entries,
      nextCursor: more ? (entries.at(-1)?.id ?? null) : null,
    }
    if (input.before === undefined) page.total = repo.count(input.filter)
    return page
  }

  /** The filtered trail, oldest first, as JSON Lines or CSV text. */
  export(raw: { format: AuditExportFormat; filter?: AuditFilter }): AuditExport {
    this.options.vault.requireKey()
    const input = auditExportSchema.parse(raw)
    const { repo } = this.statements()
    const parts: string[] = input.format === 'csv' ? [csvHeader()] : []
    const line = input.format === 'csv' ? csvLine : jsonLine
    let count = 0
    for (const entry of repo.filtered(input.filter)) {
      parts.push(line(entry))
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

  /** Checks the chain, the MACs and the sealed head: see `verifyTrail`. */
  verify(): AuditVerification {
    this.options.vault.requireKey()
    const key = this.options.vault.auditKey()
    if (!key) throw new BridgekeepError('VAULT_LOCKED', 'The vault is locked.')
    const result = verifyTrail(this.statements().repo, key)
    const { checked, brokenCount, damage } = result
    this.options.log.info('audit.verified', { checked, brokenCount, damage: damage.join(',') })
    return result
  }

  private statements(): Prepared {
    const db = this.options.vault.database()
    if (this.prepared?.db === db) return this.prepared
    this.writer.reset()
    const prepared: Prepared = {
      db,
      repo: new AuditRepository(db),
      append: db.transaction((entry: AuditRecord) => this.append(prepared, entry, false)),
      seal: db.transaction((key: Buffer) => {
        this.writer.sync(prepared.repo, key, false)
      }),
      vaultId: undefined,
    }
    this.prepared = prepared
    return prepared
  }

  private vaultIdOf(s: Prepared): string {
    s.vaultId ??= this.options.vault.vaultId()
    return s.vaultId
  }
}

function shorten(detail: string): string {
  return detail.length <= AUDIT_DETAIL_MAX ? detail : `${detail.slice(0, AUDIT_DETAIL_MAX - 1)}…`
}

/** The OS user name; some containers have no passwd entry, so fall back to the environment. */
function osUser(): string {
  try {
    return userInfo().username
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown'
  }
}

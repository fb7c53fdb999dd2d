import BetterSqlite3 from 'better-sqlite3'
import { memoryLogger } from '../src/main/log'
import type { KeyStore } from '../src/main/security/keystore'
import { createServices } from '../src/main/services'
import {
  AUDIT_COLUMNS,
  chainHash,
  GENESIS_HASH,
  type AuditRowValues,
} from '../src/main/services/audit/audit-chain'
import type { HeadRow } from '../src/main/services/audit/audit-repository'
import { unlockedServices } from './services'

/*
 * The audit tests' view of a vault file: read and edited behind the app's back, as an attacker
 * with the file (but not the vault key) would.
 */

/** Edits the vault file behind the app's back, dropping every trigger first, as an attacker would. */
export function tamper(path: string, edit: (db: BetterSqlite3.Database) => void): void {
  const raw = new BetterSqlite3(path)
  const triggers = raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
    .all() as { name: string }[]
  for (const { name } of triggers) raw.exec(`DROP TRIGGER "${name}"`)
  edit(raw)
  raw.close()
}

/** Reads the file as it is, without the service. */
export function peek<T>(path: string, read: (db: BetterSqlite3.Database) => T): T {
  const raw = new BetterSqlite3(path, { readonly: true })
  try {
    return read(raw)
  } finally {
    raw.close()
  }
}

/** Every row of every table of a vault file but the audit trail's, read as they are stored. */
export function contentsBesidesAudit(path: string): Record<string, unknown[]> {
  return peek(path, (db) => {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'audit_%'")
      .pluck()
      .all() as string[]
    return Object.fromEntries(
      tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all()]),
    )
  })
}

export const unsealed = (path: string) =>
  peek(path, (db) =>
    (
      db.prepare('SELECT id FROM audit_log WHERE mac IS NULL ORDER BY id').all() as { id: number }[]
    ).map((row) => row.id),
  )

export const headRow = (path: string) =>
  peek(path, (db) =>
    db
      .prepare(
        'SELECT entries, last_hash, before_keying, while_locked, keyed_at, mac FROM audit_head',
      )
      .get(),
  ) as HeadRow

/** Recomputes every hash from the first entry: what anyone with the file can do, no key needed. */
export function rebuildChain(db: BetterSqlite3.Database): void {
  const rows = db
    .prepare(`SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit_log ORDER BY id`)
    .raw()
    .all() as AuditRowValues[]
  const update = db.prepare('UPDATE audit_log SET hash = ? WHERE id = ?')
  let previous = GENESIS_HASH
  for (const row of rows) {
    previous = chainHash(previous, row)
    update.run(previous, row[0])
  }
}

export async function withEntries(count: number) {
  const setup = await unlockedServices()
  for (let i = 0; i < count; i++) {
    setup.services.audit.record({
      action: 'environment.describe',
      target: { type: 'environment', id: `env-${i}`, name: `env ${i}` },
      detail: `entry ${i}`,
    })
  }
  return setup
}

export function servicesAt(dataDir: string, keyStore: KeyStore) {
  const log = memoryLogger()
  const services = createServices({
    dataDir,
    appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
    log,
    keyStore,
  })
  return { services, log }
}

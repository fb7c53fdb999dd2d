import { closeSync, existsSync, openSync } from 'node:fs'
import { ensurePrivateFile } from '../fs/private-folder'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { BridgekeepError } from '../../shared/errors'
import { LATEST_SCHEMA_VERSION, migrations } from './migrations'
import type { Migration } from './migrations/types'

export type { Database }

export interface OpenOptions {
  /** Where the compiled better-sqlite3 addon lives, when it is not the one in node_modules (Electron). */
  nativeBinding?: string
  /** Migrations to apply; tests pass their own lists. */
  migrations?: readonly Migration[]
}

/**
 * Opens (creating if needed) the vault database: WAL, foreign keys, a busy timeout, full fsync on
 * commit, an integrity check, and forward-only migrations. A database written by a newer
 * Bridgekeep is refused before anything in it is touched.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  const steps = options.migrations ?? migrations
  const latest = steps.at(-1)?.version ?? 0
  const existed = existsSync(path)
  // SQLite creates the database 0644 under umask 022, and its -wal and -shm files with the
  // database's own mode: a new database is created 0600 first, an older one tightened.
  if (!existed) closeSync(openSync(path, 'a', 0o600))
  for (const file of [path, `${path}-wal`, `${path}-shm`]) ensurePrivateFile(file)
  let db: Database
  try {
    db = new BetterSqlite3(
      path,
      options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
    )
  } catch (error) {
    throw corrupt(path, error)
  }
  try {
    // Read the version before any pragma that could write (journal_mode rewrites the header).
    const version = readUserVersion(db, path)
    if (version > latest) {
      throw new BridgekeepError(
        'DATABASE_TOO_NEW',
        `The vault ${path} was written by a newer version of Bridgekeep (schema ${version}; this version knows up to ${latest}). It has not been changed.`,
        'Update Bridgekeep to open this vault.',
      )
    }
    if (existed) checkIntegrity(db, path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    // Waits for another process's write lock; see writeTransaction for why that is not enough.
    db.pragma('busy_timeout = 5000')
    // FULL: a committed change to a credential survives a power cut, not just a crash.
    db.pragma('synchronous = FULL')
    migrate(db, steps, version)
    return db
  } catch (error) {
    db.close()
    if (error instanceof BridgekeepError) throw error
    throw corrupt(path, error)
  }
}

function readUserVersion(db: Database, path: string): number {
  try {
    return db.pragma('user_version', { simple: true }) as number
  } catch (error) {
    throw corrupt(path, error)
  }
}

function checkIntegrity(db: Database, path: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[]
  const problems = rows.map((row) => row.quick_check).filter((result) => result !== 'ok')
  if (problems.length > 0) {
    throw new BridgekeepError(
      'DATABASE_CORRUPT',
      `The vault ${path} is damaged: ${problems.slice(0, 3).join('; ')}.`,
      'Restore the vault from a backup with your recovery key (Restore from a backup… in the app, or with the app closed: bridgekeep backup restore <file> --force). Bridgekeep has not changed the file.',
    )
  }
}

function migrate(db: Database, steps: readonly Migration[], from: number): void {
  for (const step of steps) {
    if (step.version <= from) continue
    writeTransaction(db, () => {
      step.up(db)
      db.pragma(`user_version = ${step.version}`)
    })
  }
}

function corrupt(path: string, error: unknown): BridgekeepError {
  const reason = error instanceof Error ? error.message : String(error)
  return new BridgekeepError(
    'DATABASE_CORRUPT',
    `The vault ${path} cannot be opened: ${reason}.`,
    'If the file was damaged, restore the vault from a backup with your recovery key (Restore from a backup… in the app, or with the app closed: bridgekeep backup restore <file> --force). Bridgekeep has not changed it.',
  )
}

export { LATEST_SCHEMA_VERSION }

/**
 * Runs `fn` in a transaction that takes the write lock before its first read (BEGIN IMMEDIATE):
 * the one way to write. The app and the CLI share the file; a deferred transaction that has read
 * and then writes after another process committed fails at once with SQLITE_BUSY, which
 * busy_timeout cannot wait out. Read-only snapshots keep `db.transaction(fn)()`.
 */
export function writeTransaction<T>(db: Database, fn: () => T): T {
  return db.transaction(fn).immediate()
}

/**
 * SQLite's count of commits made by other connections (other processes) since this one opened:
 * it changes exactly when someone else wrote the file, and costs one pragma to read.
 */
export function dataVersion(db: Database): number {
  return db.pragma('data_version', { simple: true }) as number
}

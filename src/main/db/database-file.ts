import BetterSqlite3, { type Database } from 'better-sqlite3'

/**
 * Whole-file operations on a vault database, for backups: a consistent copy of a database in
 * use, the WAL folded back into the main file before that file is moved, and a look inside a
 * file before it is trusted.
 */

/**
 * Copies the open database into `path` with SQLite's online backup API: a consistent snapshot
 * while the app, the agent or the CLI go on reading and writing (a write in between makes the
 * copy start over, so what lands in `path` is one committed state).
 */
export async function snapshotDatabase(db: Database, path: string): Promise<void> {
  await db.backup(path)
}

/** Folds the write-ahead log into the main file and empties it: the main file alone is whole. */
export function checkpointDatabase(db: Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)')
}

export interface DatabaseFileCheck {
  /** `PRAGMA integrity_check`'s findings; empty when the file is sound. */
  problems: string[]
  schemaVersion: number
}

/**
 * A full integrity check and the schema version of a database file that is not the vault (yet),
 * opened read-only: nothing in it is changed, and a file that is not a database throws.
 */
export function checkDatabaseFile(path: string, nativeBinding?: string): DatabaseFileCheck {
  const db = new BetterSqlite3(path, {
    readonly: true,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[]
    return {
      problems: rows.map((row) => row.integrity_check).filter((result) => result !== 'ok'),
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
    }
  } finally {
    db.close()
  }
}

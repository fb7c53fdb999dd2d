import { writeTransaction, type Database } from '../../db/database'
import type { SignedRow } from './signed-chain'
import type { StoredVersion } from './team-database-repository'

/**
 * SQL for the local copy of team connections (migration 014): the team's change log as the
 * database gave it, and sealed versions with the key wrapped to this vault. Rows in, rows out;
 * ciphertext only.
 */
export class TeamCacheRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      clearChanges: db.prepare('DELETE FROM team_change_cache WHERE team_id = ? AND seq > ?'),
      count: db.prepare('SELECT count(*) AS n FROM team_change_cache WHERE team_id = ?'),
      hashAt: db.prepare('SELECT hash FROM team_change_cache WHERE team_id = ? AND seq = ?'),
      clearSealed: db.prepare('DELETE FROM team_sealed_cache WHERE team_id = ?'),
      insertChange: db.prepare(
        `INSERT INTO team_change_cache (team_id, seq, author, kind, body, prev_hash, hash, signature)
         VALUES (@teamId, @seq, @author, @kind, @body, @prevHash, @hash, @signature)`,
      ),
      insertSealed: db.prepare(
        `INSERT INTO team_sealed_cache (team_id, connection_id, version, ciphertext, wrapped_key)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      synced: db.prepare('UPDATE team_spaces SET synced_at = ? WHERE team_id = ?'),
      syncedAt: db.prepare('SELECT synced_at FROM team_spaces WHERE team_id = ?'),
      changes: db.prepare(
        `SELECT team_id AS teamId, seq, author, kind, body, prev_hash AS prevHash, hash, signature
           FROM team_change_cache WHERE team_id = ? ORDER BY seq`,
      ),
      sealed: db.prepare(
        `SELECT connection_id AS connectionId, version, ciphertext, wrapped_key AS wrapped
           FROM team_sealed_cache WHERE team_id = ? AND connection_id = ? AND version = ?`,
      ),
    }
  }

  /**
   * Replaces what this vault keeps of a team with what the database holds now. `keptUpTo`: the
   * change rows up to that position are kept (they are the same), `changes` are those after it.
   */
  replace(
    teamId: string,
    changes: readonly SignedRow[],
    versions: readonly StoredVersion[],
    at: string,
    keptUpTo = 0,
  ): void {
    writeTransaction(this.db, () => {
      this.s.clearChanges.run(teamId, keptUpTo)
      this.s.clearSealed.run(teamId)
      for (const change of changes) this.s.insertChange.run(change)
      for (const v of versions)
        this.s.insertSealed.run(teamId, v.connectionId, v.version, v.ciphertext, v.wrapped ?? null)
      this.s.synced.run(at, teamId)
    })
  }

  /** Keeps a team's change log only (a join's): its sealed rows come with the first sync. */
  keepChanges(teamId: string, changes: readonly SignedRow[]): void {
    writeTransaction(this.db, () => {
      this.s.clearChanges.run(teamId, 0)
      this.s.clearSealed.run(teamId)
      for (const change of changes) this.s.insertChange.run(change)
    })
  }

  /** The hash of the change kept at `seq`, if any. */
  hashAt(teamId: string, seq: number): string | undefined {
    return (this.s.hashAt.get(teamId, seq) as { hash: string } | undefined)?.hash
  }

  changeCount(teamId: string): number {
    return (this.s.count.get(teamId) as { n: number }).n
  }

  changes(teamId: string): SignedRow[] {
    return this.s.changes.all(teamId) as SignedRow[]
  }

  sealed(teamId: string, connectionId: string, version: number): StoredVersion | undefined {
    const row = this.s.sealed.get(teamId, connectionId, version) as
      | { connectionId: string; version: number; ciphertext: Buffer; wrapped: Buffer | null }
      | undefined
    return row && { ...row, wrapped: row.wrapped ?? undefined }
  }

  syncedAt(teamId: string): string | undefined {
    return (
      (this.s.syncedAt.get(teamId) as { synced_at: string | null } | undefined)?.synced_at ??
      undefined
    )
  }
}

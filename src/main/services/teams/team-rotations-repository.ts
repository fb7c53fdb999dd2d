import { writeTransaction, type Database } from '../../db/database'

export interface TeamRotationRow {
  team_id: string
  connection_id: string
  connection_name: string
  member_key: string
  member_name: string
  left_at: string
}

/** SQL for the team secrets still to rotate (migration 015). Rows in, rows out. */
export class TeamRotationsRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO team_rotations (team_id, connection_id, connection_name, member_key, member_name, left_at)
         VALUES (@team_id, @connection_id, @connection_name, @member_key, @member_name, @left_at)
         ON CONFLICT (team_id, connection_id, member_key) DO NOTHING`,
      ),
      ofTeam: db.prepare(
        'SELECT * FROM team_rotations WHERE team_id = ? ORDER BY connection_name COLLATE NOCASE, left_at',
      ),
      clear: db.prepare('DELETE FROM team_rotations WHERE team_id = ? AND connection_id = ?'),
    }
  }

  insert(rows: readonly TeamRotationRow[]): void {
    writeTransaction(this.db, () => {
      for (const row of rows) this.s.insert.run(row)
    })
  }

  ofTeam(teamId: string): TeamRotationRow[] {
    return this.s.ofTeam.all(teamId) as TeamRotationRow[]
  }

  /** Deletes a connection's rows; the number deleted (0: nothing was left to rotate). */
  clear(teamId: string, connectionId: string): number {
    return this.s.clear.run(teamId, connectionId).changes
  }
}

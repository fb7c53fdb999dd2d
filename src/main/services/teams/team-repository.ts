import type { Database } from '../../db/database'

export interface TeamSpaceRow {
  team_id: string
  name: string
  connection_id: string
  environment_id: string
  founder_key: string
  seen_seq: number
  seen_hash: string
  joined_at: string
}

const COLUMNS =
  'team_id, name, connection_id, environment_id, founder_key, seen_seq, seen_hash, joined_at'

/** SQL for the local record of team spaces (migration 014). Rows in, rows out. */
export class TeamRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      all: db.prepare(`SELECT ${COLUMNS} FROM team_spaces ORDER BY name COLLATE NOCASE`),
      byName: db.prepare(`SELECT ${COLUMNS} FROM team_spaces WHERE name = ? COLLATE NOCASE`),
      byId: db.prepare(`SELECT ${COLUMNS} FROM team_spaces WHERE team_id = ?`),
      insert: db.prepare(
        `INSERT INTO team_spaces (${COLUMNS}) VALUES (@team_id, @name, @connection_id, @environment_id, @founder_key, @seen_seq, @seen_hash, @joined_at)`,
      ),
      seen: db.prepare('UPDATE team_spaces SET seen_seq = ?, seen_hash = ? WHERE team_id = ?'),
    }
  }

  all(): TeamSpaceRow[] {
    return this.s.all.all() as TeamSpaceRow[]
  }

  byName(name: string): TeamSpaceRow | undefined {
    return this.s.byName.get(name) as TeamSpaceRow | undefined
  }

  byId(id: string): TeamSpaceRow | undefined {
    return this.s.byId.get(id) as TeamSpaceRow | undefined
  }

  insert(row: TeamSpaceRow): void {
    this.s.insert.run(row)
  }

  markSeen(teamId: string, seq: number, hash: string): void {
    this.s.seen.run(seq, hash, teamId)
  }
}

import type { Database } from '../../db/database'

/** A team's checkpoint as stored (migration 016): the head in clear, the state and mark sealed. */
export interface TeamCheckpointRow {
  team_id: string
  founder_key: string
  head_seq: number
  head_hash: string
  state: Buffer
  audit: Buffer | null
}

/** What deciding whether to write a checkpoint needs: everything but the (large) state. */
export type TeamCheckpointHead = Omit<TeamCheckpointRow, 'state'>

/** SQL for the vault's team checkpoints (migration 016). Rows in, rows out; sealed blobs only. */
export class TeamCheckpointRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      get: db.prepare(
        'SELECT team_id, founder_key, head_seq, head_hash, state, audit FROM team_checkpoints WHERE team_id = ?',
      ),
      head: db.prepare(
        'SELECT team_id, founder_key, head_seq, head_hash, audit FROM team_checkpoints WHERE team_id = ?',
      ),
      put: db.prepare(
        `INSERT INTO team_checkpoints (team_id, founder_key, head_seq, head_hash, state, audit)
         VALUES (@team_id, @founder_key, @head_seq, @head_hash, @state, @audit)
         ON CONFLICT (team_id) DO UPDATE SET founder_key = excluded.founder_key,
           head_seq = excluded.head_seq, head_hash = excluded.head_hash,
           state = excluded.state, audit = excluded.audit`,
      ),
      audit: db.prepare('UPDATE team_checkpoints SET audit = ? WHERE team_id = ?'),
      remove: db.prepare('DELETE FROM team_checkpoints WHERE team_id = ?'),
    }
  }

  get(teamId: string): TeamCheckpointRow | undefined {
    return this.s.get.get(teamId) as TeamCheckpointRow | undefined
  }

  head(teamId: string): TeamCheckpointHead | undefined {
    return this.s.head.get(teamId) as TeamCheckpointHead | undefined
  }

  put(row: TeamCheckpointRow): void {
    this.s.put.run(row)
  }

  setAudit(teamId: string, audit: Buffer | null): void {
    this.s.audit.run(audit, teamId)
  }

  remove(teamId: string): void {
    this.s.remove.run(teamId)
  }
}

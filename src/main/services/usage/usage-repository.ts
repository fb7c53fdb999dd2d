import type { Database } from '../../db/database'

/** One (environment, operation) count of a connection, with the environment's current name. */
export interface UsageRow {
  environment_id: string
  environment_name: string | null
  operation: string
  count: number
  first_used_at: string
  last_used_at: string
}

/** SQL of usage history (usage_last, usage_counts); callers own the transactions. */
export class UsageRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      exists: db.prepare('SELECT 1 FROM connections WHERE id = ?'),
      touch: db.prepare(
        `INSERT INTO usage_last (connection_id, last_used_at) VALUES (?, ?)
           ON CONFLICT (connection_id) DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`,
      ),
      count: db.prepare(
        `INSERT INTO usage_counts (connection_id, environment_id, operation, count, first_used_at, last_used_at)
           VALUES (@connection, @environment, @operation, 1, @at, @at)
           ON CONFLICT (connection_id, environment_id, operation) DO UPDATE
             SET count = count + 1, last_used_at = max(last_used_at, excluded.last_used_at)`,
      ),
      last: db.prepare('SELECT last_used_at FROM usage_last WHERE connection_id = ?'),
      history: db.prepare(
        `SELECT u.environment_id, e.name AS environment_name, u.operation, u.count,
           u.first_used_at, u.last_used_at
         FROM usage_counts u LEFT JOIN environments e ON e.id = u.environment_id
         WHERE u.connection_id = ? ORDER BY u.last_used_at DESC`,
      ),
    }
  }

  connectionExists(connectionId: string): boolean {
    return this.s.exists.get(connectionId) !== undefined
  }
  /** Counts one use at `at`: the last use moves forward, never back. */
  recordUse(connectionId: string, environmentId: string, operation: string, at: string): void {
    this.s.touch.run(connectionId, at)
    this.s.count.run({ connection: connectionId, environment: environmentId, operation, at })
  }
  lastUsedAt(connectionId: string): string | undefined {
    const row = this.s.last.get(connectionId) as { last_used_at: string } | undefined
    return row?.last_used_at
  }
  /** Most recently used first. */
  history(connectionId: string): UsageRow[] {
    return this.s.history.all(connectionId) as UsageRow[]
  }
}

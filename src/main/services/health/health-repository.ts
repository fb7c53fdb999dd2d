import type { Database } from '../../db/database'

/** A live connection with its stored health (absent columns: never checked). */
export interface HealthRow {
  connection_id: string
  name: string
  provider: string
  secret_created_at: string | null
  has_secret: number
  status: 'unchecked' | 'healthy' | 'failing' | null
  checked_at: string | null
  latency_ms: number | null
  environment_id: string | null
  environment_name: string | null
  secret_version: number | null
  current_version: number
  identity: string | null
  error: string | null
  expires_at: string | null
  notes: string | null
  check_warnings: string | null
  consecutive_failures: number | null
  /** Undefined in the row when there is no health row: the default interval applies. */
  has_row: number
  interval_minutes: number | null
  next_check_at: string | null
  /** The name of the runner that made the last check. */
  checked_by: string | null
}

export interface StoredResult {
  connectionId: string
  status: 'healthy' | 'failing'
  checkedAt: string
  latencyMs: number
  environmentId: string
  environmentName: string
  secretVersion: number
  identity: string | null
  error: string | null
  expiresAt: string | null
  notes: string | null
  checkWarnings: string | null
  checkedBy: string | null
  consecutiveFailures: number
  intervalMinutes: number | null
  nextCheckAt: string | null
}

const SELECT = `
  SELECT c.id AS connection_id, c.name, c.provider,
         sv.created_at AS secret_created_at, c.current_version,
         EXISTS (SELECT 1 FROM secret_fields f
                  WHERE f.connection_id = c.id AND f.version = c.current_version) AS has_secret,
         h.status, h.checked_at, h.latency_ms, h.environment_id, h.environment_name,
         h.secret_version, h.identity, h.error, h.expires_at, h.notes, h.check_warnings,
         h.consecutive_failures,
         h.connection_id IS NOT NULL AS has_row, h.interval_minutes, h.next_check_at,
         h.checked_by
    FROM connections c
    LEFT JOIN connection_health h ON h.connection_id = c.id
    LEFT JOIN secret_versions sv ON sv.connection_id = c.id AND sv.version = c.current_version
   WHERE c.deleted_at IS NULL`

/** SQL of connection health; callers own the transactions. */
export class HealthRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      all: db.prepare(`${SELECT} ORDER BY c.name COLLATE NOCASE, c.id`),
      one: db.prepare(`${SELECT} AND c.id = ?`),
      liveIds: db.prepare(
        'SELECT id FROM connections WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id',
      ),
      // Where a verify resolves a connection by default: unprotected environments first, then
      // in column order, so a routine check is not made in production when it need not be.
      preferredEnvironment: db.prepare(
        `SELECT e.id, e.name, e.slug FROM authorizations a
           JOIN environments e ON e.id = a.environment_id
          WHERE a.connection_id = ? ORDER BY e.protected, e.position LIMIT 1`,
      ),
      environment: db.prepare('SELECT id, name, slug FROM environments WHERE id = ?'),
      save: db.prepare(
        `INSERT INTO connection_health (connection_id, status, checked_at, latency_ms, environment_id,
           environment_name, secret_version, identity, error, expires_at, notes, check_warnings,
           consecutive_failures,
           interval_minutes, next_check_at, checked_by)
         VALUES (@connectionId, @status, @checkedAt, @latencyMs, @environmentId, @environmentName,
           @secretVersion, @identity, @error, @expiresAt, @notes, @checkWarnings, @consecutiveFailures,
           @intervalMinutes, @nextCheckAt, @checkedBy)
         ON CONFLICT (connection_id) DO UPDATE SET status = excluded.status,
           checked_at = excluded.checked_at, latency_ms = excluded.latency_ms,
           environment_id = excluded.environment_id, environment_name = excluded.environment_name,
           secret_version = excluded.secret_version, identity = excluded.identity,
           error = excluded.error, expires_at = excluded.expires_at, notes = excluded.notes,
           check_warnings = excluded.check_warnings,
           consecutive_failures = excluded.consecutive_failures,
           interval_minutes = excluded.interval_minutes, next_check_at = excluded.next_check_at,
           checked_by = excluded.checked_by`,
      ),
      schedule: db.prepare(
        `INSERT INTO connection_health (connection_id, status, interval_minutes, next_check_at)
         VALUES (?, 'unchecked', ?, ?)
         ON CONFLICT (connection_id) DO UPDATE SET interval_minutes = excluded.interval_minutes,
           next_check_at = excluded.next_check_at`,
      ),
      postpone: db.prepare(
        'UPDATE connection_health SET next_check_at = ? WHERE connection_id = ?',
      ),
      unscheduled: db.prepare(
        `SELECT c.id FROM connections c WHERE c.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM connection_health h WHERE h.connection_id = c.id)`,
      ),
      due: db.prepare(
        `SELECT h.connection_id AS id FROM connection_health h
           JOIN connections c ON c.id = h.connection_id
          WHERE c.deleted_at IS NULL AND h.interval_minutes IS NOT NULL AND h.next_check_at <= ?
          ORDER BY h.next_check_at LIMIT ?`,
      ),
      nextDue: db.prepare(
        `SELECT min(h.next_check_at) AS at FROM connection_health h
           JOIN connections c ON c.id = h.connection_id
          WHERE c.deleted_at IS NULL AND h.interval_minutes IS NOT NULL`,
      ),
    }
  }

  all(): HealthRow[] {
    return this.s.all.all() as HealthRow[]
  }

  one(connectionId: string): HealthRow | undefined {
    return this.s.one.get(connectionId) as HealthRow | undefined
  }

  liveIds(): string[] {
    return (this.s.liveIds.all() as { id: string }[]).map((row) => row.id)
  }

  preferredEnvironment(
    connectionId: string,
  ): { id: string; name: string; slug: string } | undefined {
    return this.s.preferredEnvironment.get(connectionId) as
      { id: string; name: string; slug: string } | undefined
  }

  environment(id: string): { id: string; name: string; slug: string } | undefined {
    return this.s.environment.get(id) as { id: string; name: string; slug: string } | undefined
  }

  save(result: StoredResult): void {
    this.s.save.run(result)
  }

  schedule(connectionId: string, intervalMinutes: number | null, nextCheckAt: string | null): void {
    this.s.schedule.run(connectionId, intervalMinutes, nextCheckAt)
  }

  postpone(connectionId: string, nextCheckAt: string): void {
    this.s.postpone.run(nextCheckAt, connectionId)
  }

  unscheduled(): string[] {
    return (this.s.unscheduled.all() as { id: string }[]).map((row) => row.id)
  }

  due(nowIso: string, limit: number): string[] {
    return (this.s.due.all(nowIso, limit) as { id: string }[]).map((row) => row.id)
  }

  nextDue(): string | undefined {
    return (this.s.nextDue.get() as { at: string | null }).at ?? undefined
  }
}

import { OPERATION_PATTERN, type ConnectionUsage } from '../../../shared/environments'
import { BridgekeepError } from '../../../shared/errors'
import { writeTransaction, type Database } from '../../db/database'
import type { Vault } from '../vault/vault'

export interface UsageOptions {
  vault: Vault
  now?: () => Date
}

interface UsageRow {
  environment_id: string
  environment_name: string | null
  operation: string
  count: number
  first_used_at: string
  last_used_at: string
}

/**
 * Usage history: when each connection was last used (shown as "Last used" in the list) and how
 * often, per environment and operation. Recorded by whoever uses a connection after resolving it
 * (`ResolutionService.use`). A health check is not a use: it is stored as the connection's "last
 * verified" (`HealthService`), so a connection nobody uses still looks unused however often it is
 * checked.
 */
export class UsageService {
  private readonly now: () => Date
  private prepared: ReturnType<typeof prepare> | undefined

  constructor(private readonly options: UsageOptions) {
    this.now = options.now ?? (() => new Date())
  }

  private statements() {
    const db = this.options.vault.database()
    if (this.prepared?.db !== db) this.prepared = prepare(db)
    return this.prepared
  }

  /** One use of a connection in an environment for an operation ("exec", "credential-process"...). */
  recordUse(connectionId: string, environmentId: string, operation: string): void {
    if (!OPERATION_PATTERN.test(operation)) {
      throw new BridgekeepError(
        'VALIDATION',
        `"${operation.slice(0, 40)}" is not an operation name (lowercase letters, digits, dots and hyphens).`,
      )
    }
    const s = this.statements()
    const at = this.now().toISOString()
    writeTransaction(s.db, () => {
      if (!s.exists.get(connectionId)) {
        throw new BridgekeepError(
          'NOT_FOUND',
          'That connection does not exist (it may have been purged).',
        )
      }
      s.touch.run(connectionId, at)
      s.count.run({ connection: connectionId, environment: environmentId, operation, at })
    })
  }

  usageFor(connectionId: string): ConnectionUsage {
    this.options.vault.requireKey()
    const s = this.statements()
    if (!s.exists.get(connectionId)) {
      throw new BridgekeepError(
        'NOT_FOUND',
        'That connection does not exist (it may have been purged).',
      )
    }
    const rows = s.history.all(connectionId) as UsageRow[]
    const last = s.last.get(connectionId) as { last_used_at: string } | undefined
    const byEnvironment = new Map<string, ConnectionUsage['byEnvironment'][number]>()
    const byOperation = new Map<string, ConnectionUsage['byOperation'][number]>()
    let total = 0
    for (const row of rows) {
      total += row.count
      const env = byEnvironment.get(row.environment_id)
      if (env) {
        env.count += row.count
        if (row.last_used_at > env.lastUsedAt) env.lastUsedAt = row.last_used_at
      } else {
        byEnvironment.set(row.environment_id, {
          environmentId: row.environment_id,
          environmentName: row.environment_name,
          count: row.count,
          lastUsedAt: row.last_used_at,
        })
      }
      const op = byOperation.get(row.operation)
      if (op) {
        op.count += row.count
        if (row.last_used_at > op.lastUsedAt) op.lastUsedAt = row.last_used_at
      } else {
        byOperation.set(row.operation, {
          operation: row.operation,
          count: row.count,
          lastUsedAt: row.last_used_at,
        })
      }
    }
    const recentFirst = <T extends { lastUsedAt: string }>(a: T, b: T) =>
      b.lastUsedAt.localeCompare(a.lastUsedAt)
    return {
      connectionId,
      lastUsedAt: last?.last_used_at ?? null,
      total,
      byEnvironment: [...byEnvironment.values()].sort(recentFirst),
      byOperation: [...byOperation.values()].sort(recentFirst),
      entries: rows.map((row) => ({
        environmentId: row.environment_id,
        environmentName: row.environment_name,
        operation: row.operation,
        count: row.count,
        firstUsedAt: row.first_used_at,
        lastUsedAt: row.last_used_at,
      })),
    }
  }
}

function prepare(db: Database) {
  return {
    db,
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

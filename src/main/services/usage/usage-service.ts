import { OPERATION_PATTERN, type ConnectionUsage } from '../../../shared/environments'
import { BridgekeepError } from '../../../shared/errors'
import { writeTransaction } from '../../db/database'
import type { Vault } from '../vault/vault'
import { UsageRepository } from './usage-repository'

export interface UsageOptions {
  vault: Vault
  now?: () => Date
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
  private repository: UsageRepository | undefined

  constructor(private readonly options: UsageOptions) {
    this.now = options.now ?? (() => new Date())
  }

  private repo(): UsageRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new UsageRepository(db)
    return this.repository
  }

  /** One use of a connection in an environment for an operation ("exec", "credential-process"...). */
  recordUse(connectionId: string, environmentId: string, operation: string): void {
    if (!OPERATION_PATTERN.test(operation)) {
      throw new BridgekeepError(
        'VALIDATION',
        `"${operation.slice(0, 40)}" is not an operation name (lowercase letters, digits, dots and hyphens).`,
      )
    }
    const repo = this.repo()
    const at = this.now().toISOString()
    writeTransaction(repo.db, () => {
      if (!repo.connectionExists(connectionId)) {
        throw new BridgekeepError(
          'NOT_FOUND',
          'That connection does not exist (it may have been purged).',
        )
      }
      repo.recordUse(connectionId, environmentId, operation, at)
    })
  }

  usageFor(connectionId: string): ConnectionUsage {
    this.options.vault.requireKey()
    const repo = this.repo()
    if (!repo.connectionExists(connectionId)) {
      throw new BridgekeepError(
        'NOT_FOUND',
        'That connection does not exist (it may have been purged).',
      )
    }
    const rows = repo.history(connectionId)
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
      lastUsedAt: repo.lastUsedAt(connectionId) ?? null,
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

import { BridgekeepError } from '../../../shared/errors'
import {
  DEFAULT_CHECK_INTERVAL_MINUTES,
  connectionHealthSchema,
  type ConnectionHealth,
} from '../../../shared/health'
import type { VerifyResult } from '../../../shared/operations'
import { writeTransaction } from '../../db/database'
import type { AuditRecord } from '../audit/audit-service'
import type { EventBus } from '../events/event-bus'
import type { Vault } from '../vault/vault'
import { HealthRepository, type HealthRow } from './health-repository'
import { firstCheckAt, nextCheckAt } from './schedule'
import { healthWarnings } from './warnings'

export interface HealthAudit {
  record(entry: AuditRecord): number
  recordFailure(entry: Omit<AuditRecord, 'outcome'>, error: unknown): void
}

export interface HealthStatusOptions {
  vault: Vault
  audit: HealthAudit
  events: Pick<EventBus, 'emit'>
  now?: () => Date
  /** Jitter of the next check's time (tests fix it). */
  random?: () => number
}

/**
 * What is known of each connection's health: the last check's result with its warnings (secret
 * age, expiry, a version changed since), and when the next scheduled check is due (jittered,
 * backing off while it fails). HealthService's verify records here; the scheduler reads here.
 */
export class HealthStatus {
  private repository: HealthRepository | undefined
  private readonly now: () => Date
  private readonly random: () => number

  constructor(private readonly options: HealthStatusOptions) {
    this.now = options.now ?? (() => new Date())
    this.random = options.random ?? Math.random
  }

  private repo(): HealthRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new HealthRepository(db)
    return this.repository
  }

  list(): ConnectionHealth[] {
    this.options.vault.requireKey()
    const now = this.now()
    return this.repo()
      .all()
      .map((row) => toHealth(row, now))
  }

  get(connectionId: string): ConnectionHealth {
    this.options.vault.requireKey()
    const row = this.repo().one(connectionId)
    if (!row) throw notFound(connectionId)
    return toHealth(row, this.now())
  }

  /** Sets (or, with null, switches off) a connection's scheduled checks. */
  setInterval(connectionId: string, intervalMinutes: number | null): ConnectionHealth {
    this.options.vault.requireKey()
    const row = this.repo().one(connectionId)
    if (!row) throw notFound(connectionId)
    const now = this.now()
    const next =
      intervalMinutes === null
        ? null
        : nextCheckAt(
            intervalMinutes,
            row.consecutive_failures ?? 0,
            row.checked_at ? new Date(row.checked_at) : now,
            this.random,
          )
    // A check overdue under the new interval is due now, not in the past.
    const due = next && next < now ? now : next
    writeTransaction(this.repo().db, () => {
      this.repo().schedule(connectionId, intervalMinutes, due?.toISOString() ?? null)
      this.options.audit.record({
        action: 'connection.schedule',
        target: { type: 'connection', id: connectionId, name: row.name },
        detail:
          intervalMinutes === null
            ? 'Scheduled checks off'
            : `Check every ${describeMinutes(intervalMinutes)}`,
      })
    })
    this.options.events.emit('health:changed', { connectionIds: [connectionId] })
    return this.get(connectionId)
  }

  /** Scheduler: gives every connection without a schedule its first, spread-out check. */
  scheduleNew(): void {
    const ids = this.repo().unscheduled()
    if (ids.length === 0) return
    const now = this.now()
    writeTransaction(this.repo().db, () => {
      for (const id of ids)
        this.repo().schedule(
          id,
          DEFAULT_CHECK_INTERVAL_MINUTES,
          firstCheckAt(now, this.random).toISOString(),
        )
    })
  }

  /** Scheduler: connections whose check is due, oldest first. */
  due(limit: number): string[] {
    return this.repo().due(this.now().toISOString(), limit)
  }

  /** Scheduler: when the next check is due, if any is scheduled. */
  nextDue(): Date | undefined {
    const at = this.repo().nextDue()
    return at ? new Date(at) : undefined
  }

  /** Scheduler: a check that could not run (not authorized anywhere, runner down) waits a turn. */
  postpone(connectionId: string): void {
    const row = this.repo().one(connectionId)
    if (!row || row.interval_minutes === null) return
    const at = nextCheckAt(row.interval_minutes, 0, this.now(), this.random)
    writeTransaction(this.repo().db, () => this.repo().postpone(connectionId, at.toISOString()))
  }

  /**
   * Stores a check's result (and so when the next is due); tells the app when the connection
   * turns failing or recovers.
   */
  record(
    connectionId: string,
    name: string,
    check: {
      result: VerifyResult
      environment: { id: string; name: string }
      secretVersion: number
      /** The name of the runner that checked. */
      checkedBy: string
    },
  ): ConnectionHealth {
    const now = this.now()
    const { result } = check
    const repo = this.repo()
    const health = writeTransaction(repo.db, () => {
      const before = repo.one(connectionId)
      if (!before) throw notFound(connectionId)
      const failures = result.status === 'healthy' ? 0 : (before.consecutive_failures ?? 0) + 1
      const interval = before.has_row ? before.interval_minutes : DEFAULT_CHECK_INTERVAL_MINUTES
      repo.save({
        connectionId,
        status: result.status,
        checkedAt: now.toISOString(),
        latencyMs: result.latencyMs,
        environmentId: check.environment.id,
        environmentName: check.environment.name,
        secretVersion: check.secretVersion,
        identity: result.identity ? JSON.stringify(result.identity) : null,
        error: result.error ? JSON.stringify(result.error) : null,
        expiresAt: result.expiresAt ?? null,
        notes: result.notes?.length ? JSON.stringify(result.notes) : null,
        checkWarnings: result.warnings?.length ? JSON.stringify(result.warnings) : null,
        checkedBy: check.checkedBy,
        consecutiveFailures: failures,
        intervalMinutes: interval,
        nextCheckAt:
          interval === null
            ? null
            : nextCheckAt(interval, failures, now, this.random).toISOString(),
      })
      return { from: before.status ?? 'unchecked', after: toHealth(repo.one(connectionId)!, now) }
    })
    const to = result.status
    if (health.from !== to && (to === 'failing' || health.from === 'failing')) {
      this.options.events.emit('health:transition', {
        connectionId,
        connectionName: name,
        from: health.from,
        to,
        message:
          to === 'failing'
            ? (result.error?.message ?? 'The check failed.')
            : `Healthy again as ${result.identity?.label ?? 'its identity'}.`,
      })
    }
    return health.after
  }
}

function toHealth(row: HealthRow, now: Date): ConnectionHealth {
  const expiresAt = row.expires_at ?? undefined
  const { warnings, secretAgeDays } = healthWarnings(
    {
      hasSecret: row.has_secret === 1,
      ...(row.secret_version === null
        ? {}
        : { checkedVersion: row.secret_version, currentVersion: row.current_version }),
      ...(row.secret_created_at ? { secretCreatedAt: row.secret_created_at } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(row.check_warnings ? { checkWarnings: JSON.parse(row.check_warnings) } : {}),
    },
    now,
  )
  const optional = <K extends string, V>(key: K, value: V | null | undefined) =>
    value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>)
  return connectionHealthSchema.parse({
    connectionId: row.connection_id,
    status: row.status ?? 'unchecked',
    ...optional('checkedAt', row.checked_at),
    ...optional('latencyMs', row.latency_ms),
    ...optional('environmentId', row.environment_id),
    ...optional('environmentName', row.environment_name),
    ...optional('secretVersion', row.secret_version),
    ...optional('identity', row.identity ? JSON.parse(row.identity) : null),
    ...optional('error', row.error ? JSON.parse(row.error) : null),
    ...optional('expiresAt', expiresAt),
    ...optional('notes', row.notes ? JSON.parse(row.notes) : null),
    ...optional('checkedBy', row.checked_by),
    consecutiveFailures: row.consecutive_failures ?? 0,
    intervalMinutes: row.has_row ? row.interval_minutes : DEFAULT_CHECK_INTERVAL_MINUTES,
    ...optional('nextCheckAt', row.next_check_at),
    ...optional('secretAgeDays', secretAgeDays),
    warnings,
  })
}

function notFound(connectionId: string): BridgekeepError {
  return new BridgekeepError(
    'NOT_FOUND',
    `Connection ${connectionId} does not exist (or is in the trash).`,
    'Refresh the list.',
  )
}

function describeMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day(s)`
  if (minutes % 60 === 0) return `${minutes / 60} hour(s)`
  return `${minutes} minutes`
}

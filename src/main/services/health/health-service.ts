import { randomUUID } from 'node:crypto'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { withoutSecretVariables } from '../../../shared/secret-variables'
import type {
  ConnectionHealth,
  VerifyAllInput,
  VerifyInput,
  VerifyJob,
  VerifyProgress,
} from '../../../shared/health'
import {
  verifyResultSchema,
  type LinkedConnection,
  type OperationInput,
  type VerifyResult,
} from '../../../shared/operations'
import { borrowingOf } from '../../../shared/providers'
import { RUNNER_FIELD } from '../../../shared/providers/runner-field'
import { LOCAL_RUNNER_NAME } from '../../../shared/runner-protocol/status'
import type { Logger } from '../../log'
import type { RunnerService } from '../../runner-host/runner-service'
import type { AwsSsoService } from '../aws-sso/aws-sso-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { EventBus } from '../events/event-bus'
import type { ResolutionService } from '../resolution/resolution-service'
import type { Vault } from '../vault/vault'
import { HealthRepository } from './health-repository'
import type { HealthAudit, HealthStatus } from './health-status'
import { parseMfaCode, type MfaCodeSource } from '../issued-sessions/mfa-code'
import { roleBehindMfa, type CheckedConnection } from './verify-mfa'
import type { SecretsUse, UseSecrets } from '../references/secrets-for-use'

export interface HealthServiceOptions {
  vault: Vault
  connections: ConnectionsService
  resolution: ResolutionService
  runner: Pick<RunnerService, 'requestOn' | 'ensureReady'>
  /** Where results are stored and read back. */
  status: Pick<HealthStatus, 'record'>
  audit: HealthAudit
  events: EventBus
  log: Logger
  /** Verifies in flight at once during a Verify all. */
  concurrency?: number
  /** IAM Identity Center sign-ins, for verifying `sso` connections with their role credentials. */
  awsSso?: Pick<AwsSsoService, 'verifyInput'>
  /** A connection's secrets for a check, its references read like for any use. */
  useSecrets: UseSecrets
}

export interface VerifyOptions {
  signal?: AbortSignal
  /** A scheduled check (audited as such). */
  scheduled?: boolean
  /** Leave `health:changed` to the caller (Verify all batches them with its progress). */
  quiet?: boolean
  /**
   * Someone started this check and can type an MFA code (the app's dialog): a role behind MFA,
   * the connection's own or one it borrows, is then assumed with the code. Without it (scheduled
   * checks, Verify all, the CLI without --mfa-code) the check proves the base key and its result
   * says why.
   */
  askMfa?: MfaCodeSource
  /**
   * Whose environment `env:` references read: the CLI's (sent to the agent); the app's own when
   * absent (a check from its window or its schedule).
   */
  callerEnv?: SecretsUse['env']
}

/** Verifies in flight at once during a Verify all: enough to hide network latency, few enough
 * not to trip providers' rate limits. */
export const DEFAULT_VERIFY_CONCURRENCY = 8
const PROGRESS_EVERY_MS = 100

interface Job {
  progress: VerifyProgress
  controller: AbortController
  finished: Promise<VerifyProgress>
}

/**
 * Verifying connections: one, or all in the background (Verify all), through the runner
 * (resolution first, with the secret version it pinned; the runner uses the secret and drops
 * it). It stores what a check proved in HealthStatus (its "last verified", which also tells the
 * app when a connection turns failing or recovers) and records the audit entry. A check is not a
 * use: it leaves "Last used" and the usage counts alone.
 */
export class HealthService {
  private repository: HealthRepository | undefined
  private readonly jobs = new Map<string, Job>()

  constructor(private readonly options: HealthServiceOptions) {}

  private repo(): HealthRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new HealthRepository(db)
    return this.repository
  }

  /**
   * Verifies one connection and returns its stored health. A failing credential is a result;
   * a refusal (not authorized, runner unavailable, cancelled) is thrown, audited, and stored
   * nowhere else, so the last real result stays.
   */
  async verify(input: VerifyInput, options: VerifyOptions = {}): Promise<ConnectionHealth> {
    this.options.vault.requireKey()
    const connection = this.options.connections.get(input.connectionId)
    const target = { type: 'connection' as const, id: connection.id, name: connection.name }
    const detail = options.scheduled ? 'Scheduled check' : 'Verify'
    // A command: reference may prompt (op's sign-in, a hardware key) or cost something: the
    // schedule never runs one behind the user's back. Postponed by the scheduler, not audited.
    if (options.scheduled && connection.secrets.some((s) => s.reference?.startsWith('command:')))
      throw new BridgekeepError(
        'NOT_SUPPORTED',
        `Connection "${connection.name}" reads a secret by running a command, which scheduled checks never do.`,
        'Verify it yourself (Verify in the app, or bridgekeep verify) to run the command.',
      )
    let environment: { id: string; name: string } | null = null
    try {
      const env = this.environmentFor(connection.id, connection.name, input.environmentId)
      environment = { id: env.id, name: env.name }
      // Authorized like a use, but not counted as one: "Last used" is for real uses (exec,
      // credential_process, shares...), so that a scheduled check every 6 hours cannot make a
      // stale credential look used. The check is stored as "last verified" and audited.
      const resolved = this.options.resolution.resolve(
        connection.provider,
        env.slug,
        connection.slug,
      )
      // A reference reads the caller's environment, or this process's without what unlocks
      // the vault (a command: reference is never handed the passphrase).
      const use = {
        environment: env,
        env: options.callerEnv ?? withoutSecretVariables(process.env),
      }
      const { version, secrets } = await this.options.useSecrets(connection.id, use)
      const own: CheckedConnection = {
        id: connection.id,
        name: connection.name,
        provider: connection.provider as OperationInput['provider'],
        authMode: connection.authMode as OperationInput['authMode'],
        config: connection.config,
        secrets,
      }
      const linked = await this.linkedInput(connection.provider, connection.config, use)
      const runnerName = runnerOf(connection)
      await this.options.runner.ensureReady(runnerName)
      // Asked once the runner is ready, so the code reaches STS within its 30 seconds.
      const { askMfa } = options
      const need = askMfa ? roleBehindMfa(own, linked) : undefined
      const mfaCode = askMfa && need ? parseMfaCode(await askMfa(need), 'as typed') : undefined
      const operationInput: OperationInput =
        connection.authMode === 'sso' && this.options.awsSso
          ? await this.options.awsSso.verifyInput(connection.config)
          : {
              ...operationValues(own),
              ...(linked ? { linked: operationValues(linked) } : {}),
              ...(mfaCode ? { options: { mfaCode } } : {}),
            }
      const answer = await this.options.runner.requestOn(
        runnerName,
        { type: 'verify', connectionId: connection.id, input: operationInput },
        options.signal ? { signal: options.signal } : {},
      )
      const result = parseResult(answer.result)
      // A remote runner's identity and network did the check: the audit entry names it.
      const by = answer.runner === LOCAL_RUNNER_NAME ? '' : ` by runner ${answer.runner}`
      const health = this.options.status.record(connection.id, connection.name, {
        result,
        environment: resolved.environment,
        secretVersion: version,
        checkedBy: answer.runner,
      })
      this.options.audit.record({
        action: 'connection.verify',
        outcome: result.status === 'healthy' ? 'success' : 'failure',
        target,
        environment,
        detail:
          result.status === 'healthy'
            ? `${detail}${by}: healthy as ${result.identity?.label ?? 'unknown identity'}`
            : `${detail}${by}: ${result.error?.message ?? 'failing'}`,
      })
      if (!options.quiet)
        this.options.events.emit('health:changed', { connectionIds: [connection.id] })
      return health
    } catch (error) {
      this.options.audit.recordFailure(
        { action: 'connection.verify', target, environment, detail: `${detail} refused` },
        error,
      )
      throw error
    }
  }

  /** Starts a Verify all in the background; progress arrives as `health:progress` events. */
  verifyAll(input: VerifyAllInput = {}): VerifyJob {
    this.options.vault.requireKey()
    const live = this.repo().liveIds()
    const ids = input.connectionIds ? input.connectionIds.filter((id) => live.includes(id)) : live
    const jobId = randomUUID()
    const progress: VerifyProgress = {
      jobId,
      total: ids.length,
      done: 0,
      healthy: 0,
      failing: 0,
      skipped: 0,
      state: 'running',
    }
    const controller = new AbortController()
    const finished = this.runJob(progress, ids, controller.signal)
    this.jobs.set(jobId, { progress, controller, finished })
    void finished.finally(() => this.jobs.delete(jobId))
    return { jobId, total: ids.length }
  }

  /** Resolves with a job's last progress once it finished or was cancelled. */
  async whenFinished(jobId: string): Promise<VerifyProgress> {
    const job = this.jobs.get(jobId)
    if (!job) throw new BridgekeepError('NOT_FOUND', 'That Verify all is no longer running.')
    return job.finished
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId)
    if (!job || job.progress.state !== 'running') return { cancelled: false }
    job.controller.abort()
    return { cancelled: true }
  }

  private async runJob(
    progress: VerifyProgress,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<VerifyProgress> {
    const changed: string[] = []
    let lastEmit = 0
    let trailing: NodeJS.Timeout | undefined
    const emit = () => {
      clearTimeout(trailing)
      trailing = undefined
      lastEmit = Date.now()
      if (changed.length > 0)
        this.options.events.emit('health:changed', { connectionIds: changed.splice(0) })
      this.options.events.emit('health:progress', { ...progress })
    }
    // At most one progress event per PROGRESS_EVERY_MS, and never a stale last one.
    const advanced = () => {
      const wait = PROGRESS_EVERY_MS - (Date.now() - lastEmit)
      if (wait <= 0) emit()
      else trailing ??= setTimeout(emit, wait)
    }
    emit()
    let next = 0
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++]!
        if (signal.aborted) {
          progress.skipped++
        } else {
          try {
            const health = await this.verify({ connectionId: id }, { signal, quiet: true })
            changed.push(id)
            if (health.status === 'healthy') progress.healthy++
            else progress.failing++
          } catch (error) {
            progress.skipped++
            if (!signal.aborted && !isRefusal(error)) {
              progress.problem ??= describeProblem(error)
              this.options.log.warn('health.verify-all-skipped', {
                code: isBridgekeepError(error) ? error.code : 'INTERNAL',
              })
            }
          }
        }
        progress.done++
        advanced()
      }
    }
    const concurrency = Math.max(1, this.options.concurrency ?? DEFAULT_VERIFY_CONCURRENCY)
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker))
    progress.state = signal.aborted ? 'cancelled' : 'finished'
    emit()
    return { ...progress }
  }

  /**
   * The environment a verify resolves in: the one asked for, else the preferred authorized one
   * (also where "Open console" is used when no environment is named).
   */
  environmentFor(
    connectionId: string,
    name: string,
    environmentId: string | undefined,
  ): { id: string; name: string; slug: string } {
    if (environmentId) {
      const env = this.repo().environment(environmentId)
      if (!env)
        throw new BridgekeepError(
          'NOT_FOUND',
          'That environment does not exist any more.',
          'Pick another environment.',
        )
      return env
    }
    const env = this.repo().preferredEnvironment(connectionId)
    if (!env) {
      throw new BridgekeepError(
        'NOT_AUTHORIZED',
        `Connection ${name} is not authorized for any environment, so it cannot be used or verified.`,
        'Authorize it for an environment in the matrix, then verify it.',
      )
    }
    return env
  }

  /** The connection a borrowing field names, resolved in the same environment (not a use either). */
  private async linkedInput(
    provider: string,
    config: Record<string, string>,
    use: SecretsUse & { environment: { slug: string } },
  ): Promise<CheckedConnection | undefined> {
    const borrowing = borrowingOf(provider)
    const slug = borrowing ? config[borrowing.field] : undefined
    if (!borrowing || !slug) return undefined
    const other = this.options.resolution.resolve(borrowing.provider, use.environment.slug, slug)
    const detail = this.options.connections.get(other.connection.id)
    return {
      id: detail.id,
      name: detail.name,
      provider: detail.provider as LinkedConnection['provider'],
      authMode: detail.authMode as LinkedConnection['authMode'],
      config: detail.config,
      secrets: (await this.options.useSecrets(other.connection.id, use)).secrets,
    }
  }
}

/** A connection's values as the runner takes them: without the id and name. */
function operationValues({ id: _id, name: _name, ...values }: CheckedConnection): LinkedConnection {
  return values
}

/**
 * The runner a connection's operations go to: in the modes that use a runner's own identity or
 * network, the one its Runner field names (empty: the local one); otherwise any runner will do.
 * Started on demand (`ensureReady`) by every service that asks a runner for a connection.
 */
export function runnerOf(connection: { authMode: string; config: Record<string, string> }) {
  if (connection.authMode !== 'runner-delegated' && connection.authMode !== 'cross-account')
    return undefined
  return connection.config[RUNNER_FIELD] || LOCAL_RUNNER_NAME
}

function parseResult(answer: unknown): VerifyResult {
  const parsed = verifyResultSchema.safeParse(answer)
  if (!parsed.success) {
    throw new BridgekeepError(
      'RUNNER_REFUSED',
      'The runner answered the verify with something that is not a verify result.',
      'Update the runner to the version of the app, then verify again.',
    )
  }
  return parsed.data
}

/** Refusals a Verify all counts as skipped without comment: the matrix or a share said no. */
function isRefusal(error: unknown): boolean {
  return (
    isBridgekeepError(error) &&
    ['NOT_AUTHORIZED', 'SHARE_EXPIRED', 'NO_CONNECTION'].includes(error.code)
  )
}

function describeProblem(error: unknown): string {
  if (!isBridgekeepError(error)) return 'Some connections could not be verified (internal error).'
  return error.hint ? `${error.message} ${error.hint}` : error.message
}

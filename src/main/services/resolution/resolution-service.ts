import type { Resolved } from '../../../shared/environments'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { getProvider } from '../../../shared/providers'
import type { Logger } from '../../log'
import type { AuditService } from '../audit/audit-service'
import {
  ambiguousConnection,
  connectionInTrash,
  connectionNotFound,
  environmentNotFound,
} from '../find-by-ref'
import type { UsageService } from '../usage/usage-service'
import type { Vault } from '../vault/vault'
import { ResolutionRepository, type CandidateRow, type EnvRow } from './resolution-repository'

export interface ResolutionOptions {
  vault: Vault
  usage: UsageService
  audit: AuditService
  log: Logger
  now?: () => Date
}

/** A use audited as one entry by `useAudited`. */
export interface AuditedUse {
  provider: string
  environment: string
  name?: string | undefined
  /** The connection meant, when known before resolving: named by a refusal's audit entry. */
  connectionId?: string | undefined
  /** The audit action and usage operation. */
  operation:
    | 'exec'
    | 'credential-process'
    | 'credential-helper'
    | 'aws-console'
    | 'reference.read'
    | 'team.connect'
  /** The audit entry's detail when refused ("Refused to run terraform"); never holds a secret. */
  refusedDetail: string
  /**
   * The caller asks for a missing MFA code itself and tries the use again with it: running out
   * of a code (MFA_CODE_REQUIRED) then ends this try only, and is not audited as a refused use.
   */
  retriedWithMfaCode?: boolean | undefined
}

/** Names listed in a message before "and N more". */
const LISTED = 10

/**
 * Resolution, the one place where authorization is enforced: (provider, environment[, name]) ->
 * the connection to use, or an error users recognise. Trashed connections never resolve.
 * Everything that uses a connection (runner operations a user asks for, CLI exec and
 * credential_process, sharing) goes through `use`; a health check goes through `resolve`, so it
 * is authorized the same way but never counts as a use ("Last used" finds stale credentials).
 */
export class ResolutionService {
  private repository: ResolutionRepository | undefined

  constructor(private readonly options: ResolutionOptions) {}

  private repo(): ResolutionRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new ResolutionRepository(db)
    return this.repository
  }

  /**
   * The connection to use. `environment` is an environment's name (any case) or slug; `name` a
   * connection's slug or name (any case). Records nothing: see `use`.
   */
  resolve(provider: string, environment: string, name?: string): Resolved {
    this.options.vault.requireKey()
    const repo = this.repo()
    const spec = getProvider(provider)
    if (!spec) {
      throw new BridgekeepError(
        'VALIDATION',
        `"${provider}" is not a provider Bridgekeep knows.`,
        'Use a provider id such as aws, gcp, azure, github or kubernetes.',
      )
    }
    const env = this.environment(environment)
    const result = (connection: CandidateRow, via: Resolved['via']): Resolved => {
      this.requireWithinShare(connection, env)
      return found(connection, via)
    }
    const found = (connection: CandidateRow, via: Resolved['via']): Resolved => ({
      connection: {
        id: connection.id,
        name: connection.name,
        slug: connection.slug,
        provider: connection.provider,
      },
      environment: { id: env.id, name: env.name, slug: env.slug },
      via,
    })
    const authorized = (limit?: number) => repo.authorized(env.id, spec.id, limit)

    if (name !== undefined) {
      const connection = this.named(name, spec.id)
      if (connection.provider !== spec.id) {
        const label = getProvider(connection.provider)?.label ?? connection.provider
        throw new BridgekeepError(
          'VALIDATION',
          `Connection ${connection.name} is a ${label} connection, not ${spec.label}.`,
          `Name a ${spec.label} connection, or ask for provider ${connection.provider}.`,
        )
      }
      // A share's scope says more than the matrix does: the sender decided it, not this vault.
      this.requireWithinShare(connection, env)
      if (!repo.isAuthorized(connection.id, env.id)) {
        const others = authorized(LISTED + 1)
        throw new BridgekeepError(
          'NOT_AUTHORIZED',
          `Connection ${connection.name} is not authorized for environment ${env.name}`,
          others.length > 0
            ? `${spec.label} connections authorized for ${env.name}: ${names(others)}. Or authorize ${connection.name} for ${env.name} in the matrix.`
            : `Authorize it for ${env.name} in the matrix.`,
        )
      }
      return found(connection, 'name')
    }

    // The default first: a point lookup, however many connections are authorized.
    const preferred = repo.defaultFor(env.id, spec.id)
    if (preferred) return result(preferred, 'default')
    const candidates = authorized(LISTED + 1)
    if (candidates.length === 1) return result(candidates[0]!, 'only')
    if (candidates.length === 0) {
      const elsewhere = repo.unauthorized(env.id, spec.id, LISTED + 1)
      throw new BridgekeepError(
        'NO_CONNECTION',
        `No connection available for provider ${spec.id} in environment ${env.name}`,
        elsewhere.length > 0
          ? `Not authorized for ${env.name}: ${names(elsewhere)}. Authorize one in the matrix.`
          : `There is no ${spec.label} connection yet. Create one, then authorize it for ${env.name}.`,
      )
    }
    throw new BridgekeepError(
      'AMBIGUOUS_CONNECTION',
      `Several ${spec.id} connections are authorized for environment ${env.name}: ${names(authorized(), true)}`,
      `Name the one to use, or set a default ${spec.label} connection for ${env.name}.`,
    )
  }

  /**
   * Resolves and records the use (last used, counts by environment and operation): what runner
   * operations, CLI exec and sharing call before touching a connection's secrets.
   */
  use(
    provider: string,
    environment: string,
    name: string | undefined,
    operation: string,
  ): Resolved {
    const resolved = this.resolve(provider, environment, name)
    this.recordUse(resolved, operation)
    return resolved
  }

  /** Records a use of a resolved connection: last used, counts by environment and operation. */
  recordUse(resolved: Resolved, operation: string): void {
    this.options.usage.recordUse(resolved.connection.id, resolved.environment.id, operation)
    this.options.log.info('connection.used', { provider: resolved.connection.provider, operation })
  }

  /**
   * A use that continues outside this service (CLI exec and credential_process issue credentials
   * themselves): resolves it, runs `work` with the connection, and records the whole once, as
   * `use` does, and as one audit entry, with the detail `work` returns or, when anything on the
   * way fails, as a failure with `refusedDetail`, which is then thrown on. A try the caller makes
   * again with an MFA code (retriedWithMfaCode) is neither: the next try is the use.
   */
  async useAudited<T>(
    request: AuditedUse,
    work: (resolved: Resolved) => Promise<{ value: T; detail: string }>,
  ): Promise<T> {
    const { audit } = this.options
    const action = request.operation
    let resolved: Resolved | undefined
    try {
      resolved = this.resolve(request.provider, request.environment, request.name)
      const { value, detail } = await work(resolved)
      this.recordUse(resolved, action)
      audit.record({
        action,
        target: { type: 'connection', id: resolved.connection.id, name: resolved.connection.name },
        environment: { id: resolved.environment.id, name: resolved.environment.name },
        detail,
      })
      return value
    } catch (error) {
      if (
        request.retriedWithMfaCode &&
        isBridgekeepError(error) &&
        error.code === 'MFA_CODE_REQUIRED'
      )
        throw error
      if (resolved) this.recordUse(resolved, action)
      audit.recordFailure(
        {
          action,
          target: resolved
            ? { type: 'connection', id: resolved.connection.id, name: resolved.connection.name }
            : { type: 'connection', id: request.connectionId ?? null, name: request.name ?? null },
          environment: resolved
            ? { id: resolved.environment.id, name: resolved.environment.name }
            : this.requestedEnvironment(request.environment),
          detail: request.refusedDetail,
        },
        error,
      )
      throw error
    }
  }

  /** The environment a refused use asked for, when it exists: the trail says where it was refused. */
  private requestedEnvironment(ref: string): { id: string; name: string } | null {
    try {
      const env = this.environment(ref)
      return { id: env.id, name: env.name }
    } catch {
      return null
    }
  }

  /**
   * A use-only connection imported from a share works only within the share's scope and until
   * it expires; after that it is disabled, whatever the matrix says.
   */
  private requireWithinShare(connection: CandidateRow, env: EnvRow): void {
    const share = this.repo().useOnlyShare(connection.id)
    if (!share) return
    const now = (this.options.now ?? (() => new Date()))()
    if (Date.parse(share.expires_at) <= now.getTime()) {
      throw new BridgekeepError(
        'SHARE_EXPIRED',
        `Connection ${connection.name} (shared by ${share.sender_name}) expired on ${share.expires_at} and is disabled.`,
        `Ask ${share.sender_name} for a new share, or move it to the trash.`,
      )
    }
    const scope = JSON.parse(share.scope) as string[]
    const inScope = scope.some(
      (name) => name.toLowerCase() === env.name.toLowerCase() || name.toLowerCase() === env.slug,
    )
    if (!inScope) {
      throw new BridgekeepError(
        'NOT_AUTHORIZED',
        `Connection ${connection.name} is not authorized for environment ${env.name}: ${share.sender_name} shared it for ${scope.join(', ')} only.`,
        `Use it in ${scope.join(', ')}, or ask ${share.sender_name} for a share that includes ${env.name}.`,
      )
    }
  }

  private environment(ref: string): EnvRow {
    const repo = this.repo()
    const env =
      repo.environmentBySlug(ref.trim().toLowerCase()) ?? repo.environmentByName(ref.trim())
    if (env) return env
    throw environmentNotFound(ref, repo.environmentNames())
  }

  /**
   * A live connection by slug, or by name (any case); several with that name must be told apart.
   * The rule and messages of find-by-ref.ts, read with indexed queries (resolution is hot).
   */
  private named(ref: string, provider: string): CandidateRow {
    const repo = this.repo()
    const bySlug = repo.connectionBySlug(ref.trim().toLowerCase())
    let matches = bySlug ? [bySlug] : repo.connectionsByName(ref.trim())
    const live = matches.filter((c) => c.deleted_at === null)
    if (live.length === 0) {
      const trashed = matches[0]
      if (trashed) throw connectionInTrash(trashed.name)
      throw connectionNotFound(ref)
    }
    matches = live
    if (matches.length > 1) {
      const ofProvider = matches.filter((c) => c.provider === provider)
      if (ofProvider.length === 1) return ofProvider[0]!
      throw ambiguousConnection(ref, ofProvider.length > 1 ? ofProvider : matches)
    }
    return matches[0]!
  }
}

/**
 * Up to LISTED names. Most queries ask for LISTED + 1 rows, enough to know there are more;
 * with `complete` the rows are all of them and the rest is counted.
 */
function names(rows: CandidateRow[], complete = false): string {
  const listed = rows.slice(0, LISTED).map((row) => row.name)
  if (rows.length <= LISTED) return listed.join(', ')
  return `${listed.join(', ')} and ${complete ? `${rows.length - LISTED} ` : ''}more`
}

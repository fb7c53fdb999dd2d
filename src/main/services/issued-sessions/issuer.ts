import { BridgekeepError } from '../../../shared/errors'
import { authModeLabels, getProvider, type AuthMode } from '../../../shared/providers'
import { remoteRunnerOf } from '../../runner-host/named-runner'

/** A resolved connection (authorization already checked) with the secrets of one version. */
export interface CredentialSubject {
  connection: { id: string; name: string; slug: string; provider: string; authMode: string }
  environment: { id: string; name: string }
  config: Record<string, string>
  secrets: Record<string, string>
  secretVersion: number
  /**
   * Tools may get short-lived credentials only: a use-only imported connection (its recipient
   * uses it without seeing the secret), or one whose owner asked for it. Where the provider has
   * an exchange (AWS STS, GCP and Azure access tokens) the stored secret then never reaches the
   * tool; where it has none the secret goes through, and the audit detail says "inline".
   */
  shortLivedOnly: boolean
}

/**
 * What a tool gets: values under the provider's own field keys (for AWS: access_key_id,
 * secret_access_key, session_token), so one mapping to environment variables serves long-lived
 * keys and issued sessions alike.
 */
export interface IssuedCredentials {
  config: Record<string, string>
  secrets: Record<string, string>
  /** ISO time after which short-lived credentials stop working; absent for long-lived keys. */
  expiresAt?: string
  /** How they were obtained, for audit details: "inline", "ambient", "sts:assume-role"... */
  source: string
  /** The runner that issued them, when a runner did (for audit details). */
  issuedBy?: string
}

/**
 * Turns a connection into credentials a tool can use. The inline issuer hands stored keys through;
 * the exchanging issuers (aws-sts-issuer.ts, access-token-issuer.ts) are listed before it, and
 * their expiring results are cached by `CredentialIssuers` (see session-cache.ts).
 */
export interface CredentialIssuer {
  /** Stable id, part of the cache key: "inline", "aws-sts"... */
  readonly id: string
  /**
   * The cache key when one connection yields different credentials (an Azure token per
   * resource, an AWS session per duration and MFA device); the id otherwise.
   */
  cacheKey?(subject: CredentialSubject): string
  handles(subject: CredentialSubject): boolean
  issue(subject: CredentialSubject): Promise<IssuedCredentials>
}

/** Where issued sessions are kept between CLI runs (encrypted; see SessionCache). */
export interface IssuedCache {
  get(issuerId: string, subject: CredentialSubject): IssuedCredentials | undefined
  put(issuerId: string, subject: CredentialSubject, issued: IssuedCredentials): void
}

/**
 * Long-lived stored credentials, handed through unchanged ("inline" mode), and the runner's own
 * identity ("runner-delegated": nothing is stored, the tool uses the ambient identity of the
 * machine it runs on). Cross-account needs STS and is not handled here; neither is a short-lived
 * only connection whose provider has an exchange (its issuer comes first).
 */
export class InlineIssuer implements CredentialIssuer {
  readonly id = 'inline'

  handles(subject: CredentialSubject): boolean {
    return (
      subject.connection.authMode === 'inline' || subject.connection.authMode === 'runner-delegated'
    )
  }

  async issue(subject: CredentialSubject): Promise<IssuedCredentials> {
    if (subject.connection.authMode === 'runner-delegated') {
      // The identity that matters is the named runner's: this machine's must never stand in.
      const runner = remoteRunnerOf({ authMode: 'runner-delegated', config: subject.config })
      if (runner) throw notFromRemoteRunner(subject, runner)
      return { config: { ...subject.config }, secrets: {}, source: 'ambient' }
    }
    return { config: { ...subject.config }, secrets: { ...subject.secrets }, source: 'inline' }
  }
}

/** The issuers in order of preference; the first that handles a connection issues for it. */
export class CredentialIssuers {
  constructor(
    private readonly issuers: readonly CredentialIssuer[],
    private readonly cache?: IssuedCache,
  ) {}

  async issue(subject: CredentialSubject): Promise<IssuedCredentials> {
    const issuer = this.issuers.find((candidate) => candidate.handles(subject))
    if (!issuer) throw unsupported(subject)
    const key = issuer.cacheKey?.(subject) ?? issuer.id
    const cached = this.cache?.get(key, subject)
    if (cached) return cached
    const issued = await issuer.issue(subject)
    // Only expiring credentials are worth caching: long-lived ones are in the vault already.
    if (issued.expiresAt) this.cache?.put(key, subject, issued)
    return issued
  }
}

function unsupported(subject: CredentialSubject): BridgekeepError {
  const provider = getProvider(subject.connection.provider)?.label ?? subject.connection.provider
  const mode =
    authModeLabels[subject.connection.authMode as AuthMode]?.label ?? subject.connection.authMode
  return new BridgekeepError(
    'NOT_SUPPORTED',
    `Connection ${subject.connection.name} (${provider}, "${mode}") needs short-lived credentials that this version of Bridgekeep cannot issue from the CLI yet.`,
    'Use a connection with stored credentials (inline) for now.',
  )
}

/** A runner-delegated connection of a remote runner whose provider has no exchange to hand over. */
function notFromRemoteRunner(subject: CredentialSubject, runner: string): BridgekeepError {
  const provider = getProvider(subject.connection.provider)?.label ?? subject.connection.provider
  return new BridgekeepError(
    'NOT_SUPPORTED',
    `Connection ${subject.connection.name} uses runner ${runner}'s own ${provider} identity, and Bridgekeep cannot issue credentials from it for a command on this machine.`,
    'Run the command where that runner runs, or use a connection with stored credentials for exec.',
  )
}

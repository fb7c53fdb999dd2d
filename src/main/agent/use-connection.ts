import { join } from 'node:path'
import {
  CredentialIssuers,
  InlineIssuer,
  type CredentialSubject,
  type IssuedCredentials,
} from '../services/issued-sessions/issuer'
import { SessionCache } from '../services/issued-sessions/session-cache'
import type { VaultCore } from '../services/vault-core'
import {
  ambiguousConnection,
  connectionInTrash,
  connectionNotFound,
  connectionsNamed,
} from '../services/find-by-ref'
import type { AuditedUse } from '../services/resolution/resolution-service'
import type { CredentialSet } from '../../shared/agent-answers'
import type { Resolved } from '../../shared/environments'
import { borrowingOf, getProvider } from '../../shared/providers'
import { AwsStsIssuer } from '../services/issued-sessions/aws-sts-issuer'
import { AccessTokenIssuer } from '../services/issued-sessions/access-token-issuer'
import { refuseMfaCode, type MfaCodeSource } from '../services/issued-sessions/mfa-code'

/**
 * The issuers the CLI uses, most specific first: AWS STS (cross-account, and short-lived-only
 * stored keys), GCP and Azure access tokens (short-lived-only), then stored keys as they are.
 * SessionCache keeps what expires, sealed with the vault key in the data folder, until shortly
 * before it expires. `mfa` gives the code when an AWS session needs one.
 */
export function cliIssuers(services: VaultCore, mfa: MfaCodeSource): CredentialIssuers {
  return new CredentialIssuers(
    [
      new AwsStsIssuer(undefined, undefined, mfa),
      new AccessTokenIssuer('gcp'),
      new AccessTokenIssuer('azure'),
      new InlineIssuer(),
    ],
    new SessionCache({
      path: join(services.appInfo.dataDir, 'credential-cache.json'),
      vault: services.vault,
    }),
  )
}

/** What exec and credential-process ask for; the detail is the audit entry's on success. */
export interface UseRequest extends AuditedUse {
  /** The audit entry's detail on success ("Ran terraform"); never holds a secret. */
  detail: string
  /** Who gives an MFA device's code when a new AWS session needs one; refused when absent. */
  mfa?: MfaCodeSource
}

export interface Used {
  resolved: Resolved
  issued: IssuedCredentials
  credentials: CredentialSet
  /** Names of the borrowed connections, if any. */
  borrowed: string[]
}

/**
 * Everything exec and credential-process do before a secret leaves the vault, in order:
 * resolution (ResolutionService.useAudited: the one place authorization is enforced; records
 * usage and the audit entry, a refusal as a failure thrown with resolution's own message), the
 * same for a borrowed connection (it must be authorized for the environment too), reading the
 * secrets and issuing credentials.
 */
export async function useConnection(services: VaultCore, request: UseRequest): Promise<Used> {
  const action = request.operation
  return services.resolution.useAudited(request, async (resolved) => {
    const mfa = request.mfa ?? refuseMfaCode
    const { issued, subject } = await issue(services, resolved, mfa)
    const borrowed: string[] = []
    const linked: Record<string, CredentialSet> = {}
    const borrowing = borrowingOf(resolved.connection.provider)
    const slug = borrowing ? subject.config[borrowing.field] : undefined
    if (borrowing && slug) {
      const other = services.resolution.use(borrowing.provider, request.environment, slug, action)
      const lent = await issue(services, other, mfa)
      linked[borrowing.field] = credentialSet(lent.subject, lent.issued)
      borrowed.push(other.connection.name)
    }
    return {
      value: {
        resolved,
        issued,
        credentials: { ...credentialSet(subject, issued), linked },
        borrowed,
      },
      detail: `${request.detail}${borrowed.length ? ` with ${borrowed.join(', ')}` : ''} (${issued.source})`,
    }
  })
}

async function issue(
  services: VaultCore,
  resolved: Resolved,
  mfa: MfaCodeSource,
): Promise<{ subject: CredentialSubject; issued: IssuedCredentials }> {
  const detail = services.connections.get(resolved.connection.id)
  const { version, secrets } = services.connections.secretsFor(resolved.connection.id)
  const subject: CredentialSubject = {
    connection: { ...resolved.connection, authMode: detail.authMode },
    environment: { id: resolved.environment.id, name: resolved.environment.name },
    config: detail.config,
    secrets,
    secretVersion: version,
    // A use-only share promises its recipient uses the connection without seeing the secret;
    // an owner may ask the same of their own connection.
    shortLivedOnly: detail.useOnly === true || detail.shortLivedOnly === true,
  }
  return { subject, issued: await cliIssuers(services, mfa).issue(subject) }
}

function credentialSet(subject: CredentialSubject, issued: IssuedCredentials): CredentialSet {
  return {
    provider: subject.connection.provider,
    authMode: subject.connection.authMode,
    config: issued.config,
    secrets: issued.secrets,
  }
}

/**
 * Which connection a reference means: a connection slug or name, or a provider id (the
 * environment's default or only connection of that provider). Returns what resolution needs.
 */
export function referenceFor(
  services: VaultCore,
  ref: string,
): { provider: string; name?: string; connectionId?: string } {
  const matches = connectionsNamed(services.connections.list(), ref)
  const providers = [...new Set(matches.map((c) => c.provider))]
  if (matches.length === 1)
    return { provider: matches[0]!.provider, name: ref, connectionId: matches[0]!.id }
  // Several of one provider: resolution tells them apart by what the environment authorizes.
  if (providers.length === 1) return { provider: providers[0]!, name: ref }
  if (providers.length > 1) throw ambiguousConnection(ref, matches)
  const wanted = ref.trim().toLowerCase()
  if (getProvider(wanted)) return { provider: wanted }
  const trashed = connectionsNamed(services.connections.list({ trash: true }), ref)[0]
  if (trashed) throw connectionInTrash(trashed.name)
  throw connectionNotFound(ref, true)
}

import { join } from 'node:path'
import {
  CredentialIssuers,
  InlineIssuer,
  type CredentialSubject,
  type IssuedCredentials,
} from '../services/issued-sessions/issuer'
import { CREDENTIAL_CACHE_FILE, SessionCache } from '../services/issued-sessions/session-cache'
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
import { BridgekeepError } from '../../shared/errors'
import { withoutSecretVariables } from '../../shared/secret-variables'
import { parseAzureScope, TOKEN_SCOPE_FIELD } from '../../shared/providers/azure-scope'
import { providerRunner } from '../services/issued-sessions/runner-issue'
import { unreachableRunners, type NamedRunners } from '../runner-host/named-runner'
import { AwsSsoIssuer } from '../services/issued-sessions/aws-sso-issuer'
import { refuseMfaCode, type MfaCodeSource } from '../services/issued-sessions/mfa-code'
import { secretsForUse, type SecretsUse } from '../services/references/secrets-for-use'

/**
 * The vault core, and the app's runners when the services have them (the agent's): a connection
 * naming a remote runner gets its credentials from that runner, through the app.
 */
export type UseServices = VaultCore & { runner?: NamedRunners }

/**
 * The issuers the CLI uses, most specific first: AWS STS (cross-account, a remote runner's own
 * identity, and short-lived-only stored keys), GCP and Azure access tokens (short-lived-only),
 * then stored keys as they are. The runner's operations run in this process, except for a
 * connection that names a remote runner: that runner issues, through the app's control endpoint
 * (unreachable without the app's services: the command then says the app must be open).
 * IAM Identity Center connections get role credentials from their sign-in, never from a runner.
 * SessionCache keeps what expires, sealed with the vault key in the data folder, until shortly
 * before it expires. `mfa` gives the code when an AWS session needs one.
 */
function cliIssuers(services: UseServices, mfa: MfaCodeSource): CredentialIssuers {
  const named = services.runner ?? unreachableRunners(services.vault)
  return new CredentialIssuers(
    [
      new AwsStsIssuer(providerRunner('aws', named), mfa),
      new AwsSsoIssuer(async () => {
        const sso = await import('../services/aws-sso/aws-sso-service')
        return sso.awsSsoService(services)
      }),
      new AccessTokenIssuer('gcp', providerRunner('gcp', named)),
      new AccessTokenIssuer('azure', providerRunner('azure', named)),
      new InlineIssuer(),
    ],
    new SessionCache({
      path: join(services.appInfo.dataDir, CREDENTIAL_CACHE_FILE),
      vault: services.vault,
    }),
  )
}

/** What exec and credential-process ask for; the detail is the audit entry's on success. */
export interface UseRequest extends AuditedUse {
  /** The audit entry's detail on success ("Ran terraform"); never holds a secret. */
  detail: string
  /** Azure: a token for this resource instead of the connection's (exec --azure-scope). */
  azureScope?: string
  /** Who gives an MFA device's code when a new AWS session needs one; refused when absent. */
  mfa?: MfaCodeSource
  /**
   * The caller's environment, which `env:` references read: the agent's client sends its own;
   * in-process it is this process's.
   */
  callerEnv?: SecretsUse['env']
  /** Where a `command:` reference runs: on the CLI's terminal in-process when it has a person. */
  commandMode?: SecretsUse['commandMode']
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
export async function useConnection(services: UseServices, request: UseRequest): Promise<Used> {
  const action = request.operation
  return services.resolution.useAudited(request, async (resolved) => {
    const mfa = request.mfa ?? refuseMfaCode
    // The caller's environment, or this process's without what unlocks the vault.
    const env = request.callerEnv ?? withoutSecretVariables(process.env)
    const reading: ReferenceReading = {
      env,
      ...(request.commandMode === undefined ? {} : { commandMode: request.commandMode }),
    }
    const { issued, subject } = await issue(services, resolved, mfa, reading, request.azureScope)
    const borrowed: string[] = []
    const linked: Record<string, CredentialSet> = {}
    const borrowing = borrowingOf(resolved.connection.provider)
    const slug = borrowing ? subject.config[borrowing.field] : undefined
    if (borrowing && slug) {
      const other = services.resolution.resolve(borrowing.provider, request.environment, slug)
      const lent = await issue(services, other, mfa, reading)
      // Counted once its credentials are issued: a try that ends for want of an MFA code, to be
      // made again with it, is not a use of the borrowed connection either.
      services.resolution.recordUse(other, action)
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
      detail: `${request.detail}${borrowed.length ? ` with ${borrowed.join(', ')}` : ''} (${issued.source}${issued.issuedBy ? ` by runner ${issued.issuedBy}` : ''})`,
    }
  })
}

/** How the use's references are read: whose environment, and where a command runs. */
type ReferenceReading = Pick<SecretsUse, 'env' | 'commandMode'>

async function issue(
  services: UseServices,
  resolved: Resolved,
  mfa: MfaCodeSource,
  reading: ReferenceReading,
  azureScope?: string,
): Promise<{ subject: CredentialSubject; issued: IssuedCredentials }> {
  const detail = services.connections.get(resolved.connection.id)
  const { version, secrets } = await secretsForUse(services, resolved.connection.id, {
    environment: resolved.environment,
    ...reading,
  })
  const subject: CredentialSubject = {
    connection: { ...resolved.connection, authMode: detail.authMode },
    environment: { id: resolved.environment.id, name: resolved.environment.name },
    config: {
      ...detail.config,
      ...(azureScope === undefined
        ? {}
        : { [TOKEN_SCOPE_FIELD]: azureTokenScope(detail, azureScope) }),
    },
    secrets,
    secretVersion: version,
    // A use-only share promises its recipient uses the connection without seeing the secret;
    // an owner may ask the same of their own connection.
    shortLivedOnly: detail.useOnly === true || detail.shortLivedOnly === true,
  }
  return { subject, issued: await cliIssuers(services, mfa).issue(subject) }
}

/**
 * The scope an exec asked for, checked: only an Azure connection whose tools get access tokens
 * has one to choose (any other would silently ignore it).
 */
function azureTokenScope(
  connection: {
    name: string
    provider: string
    authMode: string
    useOnly?: boolean
    shortLivedOnly?: boolean
  },
  asked: string,
): string {
  const tokens =
    connection.provider === 'azure' &&
    connection.authMode === 'inline' &&
    (connection.useOnly === true || connection.shortLivedOnly === true)
  if (!tokens)
    throw new BridgekeepError(
      'VALIDATION',
      `--azure-scope: connection ${connection.name} does not hand tools Azure access tokens (${connection.provider !== 'azure' ? `it is a ${connection.provider} connection` : connection.authMode === 'inline' ? 'its tools get the stored client secret' : "its tools use the runner's own identity"}).`,
      connection.provider === 'azure' && connection.authMode === 'inline'
        ? `Turn on short-lived credentials only (bridgekeep edit ${connection.name} --short-lived-only on), or leave out --azure-scope.`
        : 'Leave out --azure-scope; it applies to Azure connections only.',
    )
  const parsed = parseAzureScope(asked)
  if (!parsed.ok)
    throw new BridgekeepError('VALIDATION', `--azure-scope: ${parsed.problem}`, AZURE_SCOPE_REMEDY)
  return parsed.value
}

const AZURE_SCOPE_REMEDY =
  'Give a resource URL or its ".default" scope, e.g. --azure-scope https://vault.azure.net/.default.'

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

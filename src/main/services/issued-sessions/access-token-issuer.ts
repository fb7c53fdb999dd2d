import type { CredentialIssuer, CredentialSubject, IssuedCredentials } from './issuer'
import { issueThroughRunner, unexpectedKind, type RunnerLoader } from './runner-issue'
import { TOKEN_SCOPE_FIELD } from '../../../shared/providers/azure-scope'
import { parseJson } from '../../../shared/parse-untrusted-json'

/** The secret field each provider exchanges for an access token, and the token's kind. */
const EXCHANGES = {
  gcp: { field: 'service_account_key', kind: 'gcp-access-token' },
  azure: { field: 'client_secret', kind: 'azure-access-token' },
} as const

/**
 * Access tokens instead of stored secrets, for a connection whose tools get short-lived
 * credentials only (a use-only share, or the owner's choice): a GCP service-account key becomes an
 * OAuth access token (cloud-platform scope), an Azure client secret an Entra token for Resource
 * Manager or the resource the connection or the exec names (token_scope), both through the
 * runner's issue-credentials (one implementation of each exchange).
 * The tool gets `access_token` and the connection's non-secret settings; the key or secret it was
 * issued from never leaves this process. CredentialIssuers caches the token (sealed) until
 * shortly before it expires.
 */
export class AccessTokenIssuer implements CredentialIssuer {
  readonly id: string
  private readonly exchange: (typeof EXCHANGES)[keyof typeof EXCHANGES]

  constructor(
    private readonly provider: keyof typeof EXCHANGES,
    private readonly runner: RunnerLoader,
  ) {
    this.id = `${provider}-token`
    this.exchange = EXCHANGES[provider]
  }

  /** One token per resource: an exec may ask for another than the connection's (--azure-scope). */
  cacheKey(subject: CredentialSubject): string {
    const scope = subject.config[TOKEN_SCOPE_FIELD]
    return this.provider === 'azure' && scope ? `${this.id}:${scope}` : this.id
  }

  handles(subject: CredentialSubject): boolean {
    return (
      subject.connection.provider === this.provider &&
      subject.connection.authMode === 'inline' &&
      subject.shortLivedOnly &&
      Boolean(subject.secrets[this.exchange.field])
    )
  }

  async issue(subject: CredentialSubject): Promise<IssuedCredentials> {
    const { credentials: issued } = await issueThroughRunner(this.runner, subject)
    if (issued.kind === 'aws-session' || issued.kind !== this.exchange.kind)
      throw unexpectedKind(issued.kind, this.exchange.kind)
    const project = this.provider === 'gcp' ? keyProject(subject) : undefined
    return {
      config: { ...(project ? { project_id: project } : {}), ...subject.config },
      secrets: { access_token: issued.token },
      expiresAt: issued.expiresAt,
      source: `${this.provider}:access-token`,
    }
  }
}

/** The key file's project (not secret), for tools that would otherwise read it from the key. */
export function keyProject(subject: Pick<CredentialSubject, 'secrets'>): string | undefined {
  try {
    const project = (
      parseJson(subject.secrets.service_account_key ?? '') as { project_id?: unknown }
    )?.project_id
    return typeof project === 'string' ? project : undefined
  } catch {
    return undefined
  }
}

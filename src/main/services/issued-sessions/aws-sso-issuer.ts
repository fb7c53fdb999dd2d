import type { AwsSsoService } from '../aws-sso/aws-sso-service'
import type { CredentialIssuer, CredentialSubject, IssuedCredentials } from './issuer'

/** The issuer's id, which names its entries in the credential cache (a sign-out drops them). */
export const AWS_SSO_ISSUER = 'aws-sso'

/**
 * IAM Identity Center connections: the role credentials of the connection's account and
 * permission set, from the sign-in of its start URL and region (GetRoleCredentials). Nothing of the
 * connection is secret; the session's token is in the SSO session store, and CredentialIssuers
 * caches the credentials sealed until shortly before they expire, as for STS sessions.
 */
export class AwsSsoIssuer implements CredentialIssuer {
  readonly id = AWS_SSO_ISSUER

  /** The service is built on first use, so a command that needs no SSO loads none of it. */
  constructor(private readonly sso: () => Promise<AwsSsoService>) {}

  handles(subject: CredentialSubject): boolean {
    return subject.connection.provider === 'aws' && subject.connection.authMode === 'sso'
  }

  async issue(subject: CredentialSubject): Promise<IssuedCredentials> {
    const { config } = subject
    const credentials = await (
      await this.sso()
    ).roleCredentials(
      { startUrl: config.sso_start_url ?? '', region: config.sso_region ?? '' },
      config.sso_account_id ?? '',
      config.sso_role_name ?? '',
    )
    return {
      config: { ...config },
      secrets: {
        access_key_id: credentials.accessKeyId,
        secret_access_key: credentials.secretAccessKey,
        session_token: credentials.sessionToken,
      },
      expiresAt: credentials.expiresAt,
      source: 'sso:get-role-credentials',
    }
  }
}

import type {
  CredentialIssuer,
  CredentialSubject,
  IssuedCredentials,
} from '../main/services/credentials/issuer'
import { BridgekeepError } from '../shared/errors'

/** What exec asks STS for: an hour, like the AWS CLI's own assume-role profiles. */
const SESSION_SECONDS = 3600

/**
 * Cross-account AWS connections through STS AssumeRole (with the role's external ID and session
 * name), from the connection's base keys or, without them, this machine's own AWS identity.
 *
 * The CLI works with the app and its runner closed, so it performs the runner's own AWS operation
 * in-process: one implementation of STS (endpoint override, custom CA, error classes) for both.
 * The AWS SDK loads only when a session is actually needed; CredentialIssuers caches the result
 * (sealed) until shortly before it expires, so a warm exec or credential_process makes no call.
 */
export class AwsStsIssuer implements CredentialIssuer {
  readonly id = 'aws-sts'

  handles(subject: CredentialSubject): boolean {
    return subject.connection.provider === 'aws' && subject.connection.authMode === 'cross-account'
  }

  async issue(subject: CredentialSubject): Promise<IssuedCredentials> {
    // exec shares its stderr with the user's command: keep the SDK's notice about its own future
    // Node requirement (not this version's) out of it, unless the user asked for it.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
    const { awsOperations } = await import('../runner/providers/aws')
    const result = await awsOperations.issueCredentials!({
      provider: 'aws',
      authMode: 'cross-account',
      config: subject.config,
      secrets: subject.secrets,
      options: { durationSeconds: SESSION_SECONDS },
    })
    if (result.status === 'failing')
      throw new BridgekeepError(
        'CREDENTIALS_NOT_ISSUED',
        `Connection ${subject.connection.name}: ${result.error.message}`,
        result.error.remedy,
      )
    const session = result.credentials
    if (session.kind !== 'aws-session')
      throw new BridgekeepError(
        'INTERNAL',
        `AWS answered with ${session.kind} credentials instead of a session.`,
      )
    // Only the session goes to the tool: never the base keys it was assumed from.
    return {
      config: { ...subject.config },
      secrets: {
        access_key_id: session.accessKeyId,
        secret_access_key: session.secretAccessKey,
        session_token: session.sessionToken,
      },
      expiresAt: session.expiration,
      source: 'sts:assume-role',
    }
  }
}

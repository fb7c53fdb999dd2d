import type { CredentialIssuer, CredentialSubject, IssuedCredentials } from './issuer'
import { BridgekeepError } from '../../../shared/errors'
import type { OperationRunner } from '../../runner-host/in-process-runner'

/** What exec asks STS for: an hour, like the AWS CLI's own assume-role profiles. */
const SESSION_SECONDS = 3600

/**
 * The runner's operations in this process, with only the AWS provider (and its SDK) loaded; the
 * runner's protocol only when a session is issued (stored keys, the usual case, never need it).
 */
const awsRunner = async () =>
  (await import('../../runner-host/in-process-runner')).inProcessRunner(async () => ({
    aws: (await import('../../../runner/providers/aws')).awsOperations,
  }))

/**
 * Cross-account AWS connections through STS AssumeRole (with the role's external ID and session
 * name), from the connection's base keys or, without them, this machine's own AWS identity.
 *
 * The CLI works with the app and its runner closed, so it runs the runner's own issue-credentials
 * operation in-process (`inProcessRunner`, as verify does): one implementation of STS (endpoint
 * override, custom CA, error classes) and one path into it. The AWS SDK loads only when a session
 * is actually needed; CredentialIssuers caches the result (sealed) until shortly before it
 * expires, so a warm exec or credential_process makes no call.
 */
export class AwsStsIssuer implements CredentialIssuer {
  readonly id = 'aws-sts'

  constructor(private readonly runner: () => Promise<OperationRunner> = awsRunner) {}

  handles(subject: CredentialSubject): boolean {
    return subject.connection.provider === 'aws' && subject.connection.authMode === 'cross-account'
  }

  async issue(subject: CredentialSubject): Promise<IssuedCredentials> {
    const [runner, { issueResultSchema }] = await Promise.all([
      this.runner(),
      // With the runner: the operations' schemas are built only when a session is issued.
      import('../../../shared/operations'),
    ])
    const result = issueResultSchema.parse(
      await runner.request({
        type: 'issue-credentials',
        connectionId: subject.connection.id,
        input: {
          provider: 'aws',
          authMode: 'cross-account',
          config: subject.config,
          secrets: subject.secrets,
          options: { durationSeconds: SESSION_SECONDS },
        },
      }),
    )
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

import { sessionSeconds } from '../../../shared/aws/session-duration'
import type { CredentialIssuer, CredentialSubject, IssuedCredentials } from './issuer'
import { LOCAL_RUNNER_NAME } from '../../../shared/runner-protocol/status'
import { remoteRunnerOf } from '../../runner-host/named-runner'
import { issueThroughRunner, unexpectedKind, type RunnerLoader } from './runner-issue'
import { parseMfaCode, refuseMfaCode, type MfaCodeSource } from './mfa-code'

/**
 * AWS sessions through the runner's STS code, in two cases:
 * - cross-account connections: AssumeRole (with the role's external ID and session name), from
 *   the connection's base keys or, without them, this machine's own AWS identity;
 * - runner-delegated connections that name a remote runner: GetSessionToken by that runner, from
 *   its own identity (the local runner's is this machine's, which the tool finds by itself);
 * - stored long-term keys of a connection whose tools get short-lived credentials only (a use-only
 *   share, or the owner's choice): GetSessionToken, so the tool never holds the stored key.
 *   Stored temporary keys (ASIA…, with a session token) are short-lived already and AWS issues
 *   no session from them: they go through as they are;
 * - stored long-term keys with an MFA device (mfa_serial): GetSessionToken with the device's code,
 *   always, since the user's policies may allow nothing without MFA. Cross-account sends the
 *   code with AssumeRole, for a role whose trust policy requires MFA.
 *
 * The code is asked of `mfa` (a flag, the terminal, the app's dialog) only when no cached session
 * will do, goes to STS for that one call and is never stored. An MFA session is cached under its
 * own key (the device included), so one issued without MFA never stands in for it.
 *
 * Sessions last what the connection's Session duration says (an hour by default); the sender's
 * choice travels with a share, as the connection's other settings do.
 *
 * The AWS SDK loads only when a session is actually needed; CredentialIssuers caches the result
 * (sealed) until shortly before it expires, so a warm exec or credential_process makes no call.
 */
export class AwsStsIssuer implements CredentialIssuer {
  readonly id = 'aws-sts'

  constructor(
    private readonly runner: RunnerLoader,
    private readonly mfa: MfaCodeSource = refuseMfaCode,
  ) {}

  /**
   * Per duration, so a changed Session duration takes effect at once; per MFA device, so a
   * session issued without MFA never stands in for one with it.
   */
  cacheKey(subject: CredentialSubject): string {
    const serial = subject.config.mfa_serial
    return `${this.id}:${sessionSeconds(subject.config)}${serial ? `+mfa:${serial}` : ''}`
  }

  handles(subject: CredentialSubject): boolean {
    const { provider, authMode } = subject.connection
    if (provider !== 'aws') return false
    if (authMode === 'cross-account') return true
    if (authMode === 'runner-delegated')
      return remoteRunnerOf({ authMode, config: subject.config }) !== undefined
    if (authMode !== 'inline' || subject.secrets.session_token) return false
    return subject.shortLivedOnly || Boolean(subject.config.mfa_serial)
  }

  async issue(subject: CredentialSubject): Promise<IssuedCredentials> {
    const serial = subject.config.mfa_serial
    const mfaCode = serial
      ? parseMfaCode(
          await this.mfa({
            connectionId: subject.connection.id,
            connection: subject.connection.name,
            serial,
          }),
          'for a session',
        )
      : undefined
    const { credentials: session, runner } = await issueThroughRunner(this.runner, subject, {
      durationSeconds: sessionSeconds(subject.config),
      ...(mfaCode ? { mfaCode } : {}),
    })
    if (session.kind !== 'aws-session') throw unexpectedKind(session.kind, 'an AWS session')
    // Only the session goes to the tool: never the keys it was issued from.
    return {
      config: { ...subject.config },
      secrets: {
        access_key_id: session.accessKeyId,
        secret_access_key: session.secretAccessKey,
        session_token: session.sessionToken,
      },
      expiresAt: session.expiration,
      source: `${
        subject.connection.authMode === 'cross-account'
          ? 'sts:assume-role'
          : 'sts:get-session-token'
      }${serial ? '+mfa' : ''}`,
      // In-process issuing stands in for the local runner: only a remote one is worth naming.
      ...(runner === LOCAL_RUNNER_NAME ? {} : { issuedBy: runner }),
    }
  }
}

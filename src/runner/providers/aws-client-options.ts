import https from 'node:https'

/** Keys to sign with; absent: the runner's own identity (its profile when one is named). */
export interface AwsKeys {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/**
 * What every AWS client of the runner (STS, IAM, CloudFormation) is built with: who signs (the
 * keys, else the client's own profile setting, which is what AWS_PROFILE does without changing
 * the long-lived runner's environment for every other operation), a single attempt (a verify
 * fails fast; the scheduler retries later, not the SDK now), the operation's remaining budget as
 * the timeouts, and the connection's CA certificate.
 */
export function awsClientOptions(
  keys: AwsKeys | undefined,
  target: { profile?: string | undefined; ca?: string | undefined },
  timeoutMs: number,
) {
  return {
    ...(keys ? { credentials: keys } : target.profile ? { profile: target.profile } : {}),
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      ...(target.ca ? { httpsAgent: new https.Agent({ ca: target.ca }) } : {}),
    },
  }
}

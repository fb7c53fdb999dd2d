import type { Credentials, STSClient } from '@aws-sdk/client-sts'
import { unexpected } from './failure'
import type { OperationBudget } from './define-operations'
import { onFirstUse } from './sdk'
import { awsClientOptions, type AwsKeys } from './aws-client-options'

// The one way the runner reaches STS: where (region, endpoint setting, CA, the runner's profile),
// with which keys, and the keys a session answer carries. The STS client loads on the first AWS
// operation (./sdk); the aws provider, ECR, S3 state and console sign-in all build on this.

export const sts = onFirstUse(() => import('@aws-sdk/client-sts'))

/** Where and how to reach STS, from a connection's values. */
export interface StsTarget {
  region: string
  endpoint?: string
  ca?: string
  /** Runner-delegated: a profile of the runner machine's shared AWS files, for this client only. */
  profile?: string
}

export function stsTarget(config: Readonly<Record<string, string>>, region?: string): StsTarget {
  return {
    region: region ?? config.default_region ?? config.region ?? 'us-east-1',
    ...(config.sts_endpoint ? { endpoint: config.sts_endpoint } : {}),
    ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    ...(config.profile ? { profile: config.profile } : {}),
  }
}

export function keysOf(secrets: Readonly<Record<string, string>>): AwsKeys | undefined {
  const { access_key_id: accessKeyId, secret_access_key: secretAccessKey } = secrets
  if (!accessKeyId || !secretAccessKey) return undefined
  return {
    accessKeyId,
    secretAccessKey,
    ...(secrets.session_token ? { sessionToken: secrets.session_token } : {}),
  }
}

export async function stsClient(
  target: StsTarget,
  keys: AwsKeys | undefined,
  context: OperationBudget,
): Promise<STSClient> {
  const { STSClient } = await sts()
  return new STSClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...awsClientOptions(keys, target, context.remainingMs()),
  })
}

/** A session's keys from an STS answer, which must carry all four parts. */
export function sessionKeys(
  credentials: Credentials | undefined,
  where: string,
): AwsKeys & { expiration: Date } {
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials ?? {}
  if (!AccessKeyId || !SecretAccessKey || !SessionToken || !Expiration)
    throw unexpected(`${where} answered without complete credentials.`)
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretAccessKey,
    sessionToken: SessionToken,
    expiration: Expiration,
  }
}

import https from 'node:https'
import type { IAMClient } from '@aws-sdk/client-iam'
import type { OperationBudget } from './define-operations'
import { onFirstUse } from './sdk'

// The one way the runner builds an IAM client: IAM is global and signs in us-east-1; an IAM
// endpoint setting (like the STS one) points it at a VPC endpoint or a test server, and the
// connection's CA certificate is trusted for it. The IAM client loads on first use.

export const iam = onFirstUse(() => import('@aws-sdk/client-iam'))

const IAM_REGION = 'us-east-1'

/** Keys to sign with; absent: the runner's own identity (its profile when one is named). */
export interface IamKeys {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export async function iamClient(
  config: Readonly<Record<string, string>>,
  keys: IamKeys | undefined,
  context: OperationBudget,
  timeoutMs = context.remainingMs(),
): Promise<IAMClient> {
  const { IAMClient } = await iam()
  return new IAMClient({
    region: IAM_REGION,
    ...(config.iam_endpoint ? { endpoint: config.iam_endpoint } : {}),
    ...(keys ? { credentials: keys } : config.profile ? { profile: config.profile } : {}),
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      ...(config.ca_certificate
        ? { httpsAgent: new https.Agent({ ca: config.ca_certificate }) }
        : {}),
    },
  })
}

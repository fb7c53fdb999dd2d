import type { IAMClient } from '@aws-sdk/client-iam'
import type { OperationBudget } from './define-operations'
import { onFirstUse } from './sdk'
import { awsClientOptions, type AwsKeys } from './aws-client-options'

// The one way the runner builds an IAM client: IAM is global and signs in us-east-1; an IAM
// endpoint setting (like the STS one) points it at a VPC endpoint or a test server, and the
// connection's CA certificate is trusted for it. The IAM client loads on first use.

export const iam = onFirstUse(() => import('@aws-sdk/client-iam'))

const IAM_REGION = 'us-east-1'

export async function iamClient(
  config: Readonly<Record<string, string>>,
  keys: AwsKeys | undefined,
  context: OperationBudget,
  timeoutMs = context.remainingMs(),
): Promise<IAMClient> {
  const { IAMClient } = await iam()
  return new IAMClient({
    region: IAM_REGION,
    ...(config.iam_endpoint ? { endpoint: config.iam_endpoint } : {}),
    ...awsClientOptions(keys, { profile: config.profile, ca: config.ca_certificate }, timeoutMs),
  })
}

import { ROLE_ARN_OUTPUT } from '../../shared/aws/cloudformation'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import type { OperationBudget, StackRead } from './define-operations'
import { said } from './aws-access-keys'
import { onFirstUse } from './sdk'
import { awsClientOptions, type AwsKeys } from './aws-client-options'

// Reading the role a cross-account setup's CloudFormation stack created: DescribeStacks with the
// identity the connection acts as before it assumes the role (its stored keys, or the runner's
// own identity), the stack's status, and its RoleArn output. A stack that is still being made,
// or that failed, says so in words rather than as a missing output. The endpoint follows the
// SDK's own setting (AWS_ENDPOINT_URL_CLOUDFORMATION), like the aws CLI's.

const cloudFormation = onFirstUse(() => import('@aws-sdk/client-cloudformation'))

interface StackTarget {
  region: string
  ca?: string
  profile?: string
}

/** Done: the stack's resources exist as its (last good) template describes them. */
const COMPLETE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
])

function stateFailure(name: string, status: string): OperationFailure | undefined {
  if (COMPLETE.has(status)) return undefined
  if (status.endsWith('_IN_PROGRESS'))
    return failure(
      'wrong-target',
      `stack ${name} is not finished yet (${status}).`,
      'Wait until the stack shows CREATE_COMPLETE (a minute or two for one role), then read the role again.',
    )
  return failure(
    'wrong-target',
    `stack ${name} did not create the role (${status}).`,
    "Look at the stack's Events in the CloudFormation console for the reason (often the acknowledgement of IAM resources, or a role name already taken), delete the stack and create it again.",
  )
}

const REJECTED_KEYS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'UnrecognizedClientException',
  'ExpiredToken',
])

function classify(error: unknown, name: string, target: StackTarget): OperationFailure {
  if (error instanceof OperationFailure) return error
  const where = `AWS CloudFormation in ${target.region}`
  const transport = transportFailure(error, where)
  if (transport) return transport
  const aws = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }
  const named = { name: aws.name ?? 'Error', message: aws.message ?? '' }
  if (named.name === 'ValidationError' && /does not exist/.test(named.message))
    return failure(
      'wrong-target',
      `there is no stack ${name} in ${target.region} that this identity can read (${said(named)}).`,
      'Check the stack name and the region (the connection’s default region); a stack is read with an identity of the account that holds it.',
    )
  if (REJECTED_KEYS.has(named.name))
    return failure(
      'authentication',
      `CloudFormation rejected the credentials (${said(named)}).`,
      'Check the access key of the connection (Verify), or paste the role ARN instead.',
    )
  if (named.name === 'AccessDenied' || aws.$metadata?.httpStatusCode === 403)
    return failure(
      'permission',
      `the identity may not read stack ${name} (${said(named)}).`,
      'Allow cloudformation:DescribeStacks on the stack, or paste the role ARN from the stack’s Outputs instead.',
    )
  if (
    (named.name === 'CredentialsProviderError' || named.name === 'ProviderError') &&
    !target.profile
  )
    return failure(
      'authentication',
      'there is no AWS identity to read the stack with (no stored keys, and none on the runner’s machine).',
      'Paste the role ARN from the stack’s Outputs instead, or give the runner an AWS identity.',
    )
  return unexpected(`${where} answered in an unexpected way (${said(named)}).`)
}

export async function readRoleStack(
  stackName: string,
  target: StackTarget,
  keys: AwsKeys | undefined,
  context: OperationBudget,
): Promise<StackRead> {
  const { CloudFormationClient, DescribeStacksCommand } = await cloudFormation()
  const client = new CloudFormationClient({
    region: target.region,
    ...awsClientOptions(keys, target, context.remainingMs()),
  })
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stackName }), {
      abortSignal: context.signal,
    })
    const stack = answer.Stacks?.[0]
    if (!stack?.StackStatus)
      throw unexpected(`CloudFormation answered DescribeStacks without stack ${stackName}.`)
    const problem = stateFailure(stackName, stack.StackStatus)
    if (problem) throw problem
    const roleArn = stack.Outputs?.find((o) => o.OutputKey === ROLE_ARN_OUTPUT)?.OutputValue
    if (!roleArn)
      throw failure(
        'wrong-target',
        `stack ${stackName} has no ${ROLE_ARN_OUTPUT} output: it was not made from Bridgekeep's template.`,
        "Name the stack made from the downloaded template, or paste the role's ARN.",
      )
    return { stackStatus: stack.StackStatus, roleArn }
  } catch (error) {
    throw classify(error, stackName, target)
  } finally {
    client.destroy()
  }
}

import type { IAMClient } from '@aws-sdk/client-iam'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import type { KeyRotationDone, OperationBudget, ValidInput } from './define-operations'
import type { KeyRotationStep } from '../../shared/operations'
import { iam, iamClient } from './aws-iam-client'

// Rotating an inline AWS connection's access key through IAM, with that key itself: find the
// key's user (GetUser), create its next key, or, once the app has stored and proved the new key,
// deactivate the old one (./aws-iam-client: region, endpoint setting, CA).

const AUTHENTICATION = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
])

/** An AWS SDK error's message, shortened; results are scrubbed of secrets afterwards anyway. */
export function said(error: { name: string; message?: string }): string {
  const message = (error.message ?? '').replace(/\s+/g, ' ').trim().slice(0, 240)
  return message ? `${error.name}: ${message}` : error.name
}

function classify(error: unknown, where: string, action: string): OperationFailure {
  if (error instanceof OperationFailure) return error
  const transport = transportFailure(error, where)
  if (transport) return transport
  const aws = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }
  const named = { name: aws.name ?? 'Error', message: aws.message ?? '' }
  const status = aws.$metadata?.httpStatusCode
  if (named.name === 'LimitExceeded' || named.name === 'LimitExceededException')
    return failure(
      'permission',
      `the user already has two access keys, the most IAM allows (${said(named)}).`,
      'Delete the access key that is not in use (IAM → Users → Security credentials, or aws iam delete-access-key), then try again.',
    )
  if (AUTHENTICATION.has(named.name))
    return failure(
      'authentication',
      `IAM rejected the access key (${said(named)}).`,
      'Verify the connection first: the stored key must work before it can create its successor.',
    )
  if (named.name === 'AccessDenied' || status === 403)
    return failure(
      'permission',
      `the key may not ${action} (${said(named)}).`,
      'Give the user iam:GetUser, iam:CreateAccessKey and iam:UpdateAccessKey on itself (resource arn:aws:iam::<account>:user/<its name>), or rotate the key by hand.',
    )
  if (named.name === 'NoSuchEntity')
    return failure(
      'wrong-target',
      `IAM does not know it (${said(named)}).`,
      'Verify the connection.',
    )
  if (status !== undefined && status >= 500)
    return failure(
      'unreachable',
      `${where} answered HTTP ${status} (${said(named)}).`,
      'IAM is having trouble; try again in a moment.',
    )
  return unexpected(`${where} answered in an unexpected way (${said(named)}).`)
}

/** The user the connection's key belongs to (GetUser without a name answers the caller). */
async function keyOwner(client: IAMClient, context: OperationBudget): Promise<string> {
  const { GetUserCommand } = await iam()
  const answer = await client.send(new GetUserCommand({}), { abortSignal: context.signal })
  const userName = answer.User?.UserName
  if (!userName)
    throw failure(
      'unsupported',
      'the key belongs to the account root user, which has no IAM user to give a new key to.',
      'Do not keep root access keys: create an IAM user (or a role) for this connection instead.',
    )
  return userName
}

export async function rotateAccessKey(
  input: ValidInput,
  step: KeyRotationStep,
  context: OperationBudget,
): Promise<KeyRotationDone> {
  if (input.authMode !== 'inline' || input.secrets.session_token)
    throw failure(
      'unsupported',
      'only a long-term access key stored in the connection (inline mode, no session token) can be rotated.',
      'Temporary keys and roles have nothing to rotate: they expire on their own.',
    )
  const where = input.config.iam_endpoint || 'AWS IAM'
  const { access_key_id: accessKeyId, secret_access_key: secretAccessKey } = input.secrets
  const client = await iamClient(
    input.config,
    { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! },
    context,
  )
  let action = 'find its own IAM user (iam:GetUser)'
  try {
    const userName = await keyOwner(client, context)
    const { CreateAccessKeyCommand, UpdateAccessKeyCommand } = await iam()
    if (step.action === 'create') {
      action = 'create an access key (iam:CreateAccessKey)'
      const answer = await client.send(new CreateAccessKeyCommand({ UserName: userName }), {
        abortSignal: context.signal,
      })
      const key = answer.AccessKey
      if (!key?.AccessKeyId || !key.SecretAccessKey)
        throw unexpected(`${where} answered CreateAccessKey without the new key.`)
      return {
        status: 'created',
        userName,
        accessKeyId: key.AccessKeyId,
        secretAccessKey: key.SecretAccessKey,
      }
    }
    action = 'deactivate an access key (iam:UpdateAccessKey)'
    await client.send(
      new UpdateAccessKeyCommand({
        UserName: userName,
        AccessKeyId: step.accessKeyId,
        Status: 'Inactive',
      }),
      { abortSignal: context.signal },
    )
    return { status: 'deactivated', userName, accessKeyId: step.accessKeyId }
  } catch (error) {
    throw classify(error, where, action)
  } finally {
    client.destroy()
  }
}

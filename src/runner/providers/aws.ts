import type { IssuedCredentials, LinkedConnection } from '../../shared/operations'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidInput } from './define-operations'
import type { AwsKeys } from './aws-client-options'
import { rotateAccessKey } from './aws-access-keys'
import { checkPermissions } from './aws-permissions'
import { readRoleStack } from './aws-stack'
import { keysOf, sessionKeys, sts, stsClient, stsTarget } from './aws-sts'
import type { StsTarget } from './aws-sts'
import { send } from './aws-sts-failure'

// AWS through STS: GetCallerIdentity proves a key; cross-account mode first assumes the role
// (with its external ID) from the stored base keys or from the runner's own identity (the SDK's
// default provider chain: environment, shared files, SSO, web identity, container or instance
// role). Used by the aws provider and, with a linked AWS connection, by ECR and S3 state.
// Reaching STS is ./aws-sts; what its errors mean is ./aws-sts-failure.

/**
 * The connection's MFA device and the code typed for this one operation, as STS's SerialNumber
 * and TokenCode; nothing without a device. A device without a code is a caller's bug: main asks
 * the user before it asks for a session.
 */
function mfaParameters(
  connection: LinkedConnection,
  code: string | undefined,
): { SerialNumber?: string; TokenCode?: string } {
  const serial = connection.config.mfa_serial
  if (!serial) return {}
  if (!code)
    throw failure(
      'authentication',
      `the connection requires an MFA code (device ${serial}) and none was given.`,
      "Type the 6-digit code the connection's MFA device shows.",
    )
  return { SerialNumber: serial, TokenCode: code }
}

/** The credentials an AWS connection acts with: its keys, the runner's, or an assumed role's. */
export async function actingKeys(
  connection: LinkedConnection,
  target: StsTarget,
  context: OperationBudget,
  durationSeconds = 900,
  mfaCode?: string,
): Promise<{ keys: AwsKeys | undefined; expiration?: Date; delegated: boolean }> {
  const base = connection.authMode === 'runner-delegated' ? undefined : keysOf(connection.secrets)
  const delegated = base === undefined
  if (connection.authMode !== 'cross-account') return { keys: base, delegated }
  const { AssumeRoleCommand } = await sts()
  const client = await stsClient(target, base, context)
  try {
    const answer = await send(
      () =>
        client.send(
          new AssumeRoleCommand({
            RoleArn: connection.config.role_arn,
            RoleSessionName: connection.config.session_name ?? 'bridgekeep',
            ExternalId: connection.config.external_id,
            DurationSeconds: durationSeconds,
            ...mfaParameters(connection, mfaCode),
          }),
          { abortSignal: context.signal },
        ),
      'assume-role',
      target,
      delegated,
    )
    const session = sessionKeys(answer.Credentials, target.endpoint ?? 'AWS STS')
    return { keys: session, expiration: session.expiration, delegated: false }
  } finally {
    client.destroy()
  }
}

/**
 * GetCallerIdentity with the connection's acting credentials; `mfaCode` is the code of its MFA
 * device, typed by the person who started the check, for a role behind MFA.
 */
export async function awsIdentity(
  connection: LinkedConnection,
  target: StsTarget,
  context: OperationBudget,
  mfaCode?: string,
): Promise<Proof> {
  return (await provenIdentity(connection, target, context, mfaCode)).proof
}

/** The proof, and the keys that made it (the assumed role's, for cross-account). */
async function provenIdentity(
  connection: LinkedConnection,
  target: StsTarget,
  context: OperationBudget,
  mfaCode?: string,
): Promise<{ proof: Proof; keys: AwsKeys | undefined }> {
  // A role behind MFA is assumed with the code when someone typed one (a verify started in the
  // app). Without one (a scheduled check, Verify all, the CLI's verify: nobody to ask) the check
  // proves the base key, and says the role was not assumed.
  const serial = connection.config.mfa_serial
  const roleNeedsCode = connection.authMode === 'cross-account' && Boolean(serial) && !mfaCode
  const base = keysOf(connection.secrets)
  const { keys, delegated } = roleNeedsCode
    ? { keys: base, delegated: base === undefined }
    : await actingKeys(connection, target, context, 900, mfaCode)
  const { GetCallerIdentityCommand } = await sts()
  const client = await stsClient(target, keys, context)
  try {
    const answer = await send(
      () => client.send(new GetCallerIdentityCommand({}), { abortSignal: context.signal }),
      'identity',
      target,
      delegated,
    )
    // An empty 200 (a proxy, a stub) resolves without an error: insist on the fields.
    if (!answer.Account || !answer.Arn)
      throw unexpected(`${target.endpoint ?? 'AWS STS'} answered without an account and ARN.`)
    const identity = {
      label: answer.Arn,
      details: {
        account: answer.Account,
        arn: answer.Arn,
        ...(answer.UserId ? { userId: answer.UserId } : {}),
        ...(connection.authMode === 'cross-account'
          ? { role: connection.config.role_arn ?? '' }
          : {}),
        source: roleNeedsCode
          ? `${delegated ? "runner's identity" : 'access key'} (the role needs an MFA code, so it was not assumed)`
          : delegated
            ? target.profile
              ? `runner's profile ${target.profile}`
              : "runner's identity"
            : connection.authMode === 'cross-account'
              ? mfaCode
                ? 'assumed role, with the MFA code'
                : 'assumed role'
              : 'access key',
      },
    }
    const expected = roleNeedsCode ? undefined : connection.config.account_id
    if (expected && expected !== answer.Account)
      throw failure(
        'wrong-target',
        `the credentials belong to account ${answer.Account}, not ${expected}.`,
        'Use credentials of the intended account, or correct the Account ID of the connection.',
        identity,
      )
    const notes = roleNeedsCode
      ? [
          `The role was not assumed: it needs the code of the MFA device ${serial}, and this check had nobody to ask (a scheduled check, Verify all or bridgekeep verify). Verify the connection from its page in the app to type the code and assume the role.`,
        ]
      : []
    return { proof: { identity, ...(notes.length ? { notes } : {}) }, keys }
  } finally {
    client.destroy()
  }
}

/** Short-lived credentials for exec: a session token, the runner's own, or the assumed role's. */
export async function awsSession(
  connection: LinkedConnection,
  target: StsTarget,
  context: OperationBudget,
  durationSeconds = 3600,
  mfaCode?: string,
): Promise<IssuedCredentials> {
  const toIssued = (keys: AwsKeys, expiration: Date): IssuedCredentials => ({
    kind: 'aws-session',
    accessKeyId: keys.accessKeyId,
    secretAccessKey: keys.secretAccessKey,
    sessionToken: keys.sessionToken ?? '',
    expiration: expiration.toISOString(),
  })
  if (connection.authMode === 'cross-account') {
    const { keys, expiration } = await actingKeys(
      connection,
      target,
      context,
      durationSeconds,
      mfaCode,
    )
    return toIssued(keys!, expiration!)
  }
  let keys = keysOf(connection.secrets)
  // No stored keys (a state backend without a linked connection): the runner's own identity.
  const delegated = connection.authMode === 'runner-delegated' || keys === undefined
  const { GetSessionTokenCommand } = await sts()
  const client = await stsClient(target, delegated ? undefined : keys, context)
  try {
    if (delegated) {
      // The runner's own identity is often temporary already (instance or task role, SSO).
      const own = await send(() => client.config.credentials(), 'identity', target, true)
      if (own.sessionToken && own.expiration) return toIssued(own, own.expiration)
      keys = own
    }
    if (keys?.sessionToken)
      throw failure(
        'unsupported',
        'the connection holds temporary keys, and AWS issues session tokens only from long-term keys.',
        'Use the stored temporary keys as they are until they expire, or store a long-term access key.',
      )
    const answer = await send(
      () =>
        client.send(
          new GetSessionTokenCommand({
            DurationSeconds: durationSeconds,
            ...mfaParameters(connection, mfaCode),
          }),
          { abortSignal: context.signal },
        ),
      'session-token',
      target,
      delegated,
    )
    const session = sessionKeys(answer.Credentials, target.endpoint ?? 'AWS STS')
    return toIssued(session, session.expiration)
  } finally {
    client.destroy()
  }
}

/** The identity, and whether it may do what the connection's capabilities need (./aws-permissions). */
async function awsVerify(input: ValidInput, context: OperationBudget): Promise<Proof> {
  const { proof, keys } = await provenIdentity(
    input,
    stsTarget(input.config),
    context,
    input.options?.mfaCode,
  )
  const checked = await checkPermissions(input, { arn: proof.identity.details.arn!, keys }, context)
  const identity = checked.allowed
    ? { ...proof.identity, details: { ...proof.identity.details, permissions: checked.allowed } }
    : proof.identity
  return {
    ...proof,
    identity,
    ...(checked.warnings.length ? { warnings: checked.warnings } : {}),
    ...(proof.notes || checked.notes.length
      ? { notes: [...(proof.notes ?? []), ...checked.notes] }
      : {}),
  }
}

export const awsOperations = defineOperations('aws', {
  verify: awsVerify,
  issueCredentials: (input, context) =>
    awsSession(
      input,
      stsTarget(input.config),
      context,
      input.options?.durationSeconds,
      input.options?.mfaCode,
    ),
  rotateKey: rotateAccessKey,
  // Loaded on first use, as the SDKs are (it builds on ./aws-sts and this file's actingKeys).
  consoleSignIn: async (input, context) =>
    (await import('./aws-console')).consoleSignIn(input, context),
  // The stack is read with the identity that will assume its role (stored keys, or the runner's).
  readStack: (input, stackName, context) =>
    readRoleStack(
      stackName,
      stsTarget(input.config),
      input.authMode === 'runner-delegated' ? undefined : keysOf(input.secrets),
      context,
    ),
})

import type { Credentials, STSClient } from '@aws-sdk/client-sts'
import type { IssuedCredentials, LinkedConnection } from '../../shared/operations'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidInput } from './define-operations'
import { onFirstUse } from './sdk'
import { awsClientOptions } from './aws-client-options'
import { rotateAccessKey, said } from './aws-access-keys'
import { checkPermissions } from './aws-permissions'
import { readRoleStack } from './aws-stack'

// AWS through STS: GetCallerIdentity proves a key; cross-account mode first assumes the role
// (with its external ID) from the stored base keys or from the runner's own identity (the SDK's
// default provider chain: environment, shared files, SSO, web identity, container or instance
// role). Used by the aws provider and, with a linked AWS connection, by ECR and S3 state.
// The STS client loads on the first AWS operation (./sdk).

export const sts = onFirstUse(() => import('@aws-sdk/client-sts'))

interface Keys {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

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

export function keysOf(secrets: Readonly<Record<string, string>>): Keys | undefined {
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
  keys: Keys | undefined,
  context: OperationBudget,
): Promise<STSClient> {
  const { STSClient } = await sts()
  return new STSClient({
    region: target.region,
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    ...awsClientOptions(keys, target, context.remainingMs()),
  })
}

const AUTHENTICATION = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'MissingAuthenticationToken',
  'AuthFailure',
])
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired'])

type Step = 'identity' | 'assume-role' | 'session-token' | 'federation'

/** What STS says when the MFA code is missing, wrong or already used. */
const MFA_REFUSED = /MultiFactorAuthentication/i

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

function classify(
  error: unknown,
  step: Step,
  target: StsTarget,
  delegated: boolean,
): OperationFailure {
  if (error instanceof OperationFailure) return error
  const where = target.endpoint ?? `AWS STS in ${target.region}`
  const transport = transportFailure(error, where)
  if (transport) return transport
  const aws = error as { name: string; message?: string; $metadata?: { httpStatusCode?: number } }
  const name = aws.name ?? 'Error'
  const status = aws.$metadata?.httpStatusCode
  if ((name === 'CredentialsProviderError' || name === 'ProviderError') && target.profile)
    return failure(
      'authentication',
      `the runner's machine has no usable AWS profile "${target.profile}" (${said(aws)}).`,
      `Define [profile ${target.profile}] in ~/.aws/config or [${target.profile}] in ~/.aws/credentials of the user the runner runs as, or clear the AWS profile field.`,
    )
  if (name === 'CredentialsProviderError' || name === 'ProviderError')
    return failure(
      'authentication',
      'the runner has no AWS identity of its own (no credentials in its environment, shared files or instance role).',
      'Give the machine running the runner an AWS identity (an instance or task role, AWS_PROFILE, or environment credentials), or store access keys in the connection.',
    )
  if (EXPIRED.has(name))
    return failure(
      'expired',
      `AWS says the session token has expired (${said(aws)}).`,
      'Temporary keys last hours at most: paste fresh temporary credentials, or use a long-term access key or cross-account mode.',
    )
  if (name === 'RequestExpired')
    return failure(
      'authentication',
      `AWS rejected the request's timestamp (${said(aws)}).`,
      "Set this machine's clock right (enable NTP); AWS refuses requests more than 5 minutes off.",
    )
  if (name === 'RegionDisabledException')
    return failure(
      'wrong-target',
      `STS is not enabled in ${target.region} for this account (${said(aws)}).`,
      'Enable the region for the account (Account → AWS Regions), or pick a region that is enabled.',
    )
  if (step !== 'identity' && name === 'AccessDenied' && MFA_REFUSED.test(aws.message ?? ''))
    return failure(
      'authentication',
      `MFA code rejected (${said(aws)}).`,
      "Check the device's clock or wait for the next code, then try again; each code works once. Check too that the MFA device of the connection is the one of the user whose keys are stored.",
    )
  if (
    step === 'assume-role' &&
    name === 'ValidationError' &&
    /DurationSeconds/.test(aws.message ?? '')
  )
    return failure(
      'invalid-config',
      `the role does not allow sessions as long as the connection's Session duration (${said(aws)}).`,
      "Shorten the connection's Session duration, or raise the role's Maximum session duration (IAM → Roles → the role → Edit; at most 12 hours).",
    )
  if (step === 'assume-role' && (name === 'AccessDenied' || status === 403))
    return failure(
      'permission',
      `the role could not be assumed (${said(aws)}).`,
      "Check that the role's trust policy allows the base identity and that the External ID equals its sts:ExternalId condition.",
    )
  if (step === 'federation' && (name === 'AccessDenied' || status === 403))
    return failure(
      'permission',
      `AWS refused a federation token for the console (${said(aws)}).`,
      'Allow the user sts:GetFederationToken, or use a cross-account role (its session signs in directly). Temporary keys cannot get one.',
    )
  if (step === 'session-token' && name === 'AccessDenied')
    return failure(
      'unsupported',
      `AWS refused to issue a session token (${said(aws)}).`,
      'Session tokens can only be issued from long-term access keys; use cross-account mode for temporary credentials.',
    )
  if (AUTHENTICATION.has(name) || name === 'AccessDenied' || status === 401 || status === 403)
    return failure(
      'authentication',
      `AWS rejected the ${delegated ? "runner's own credentials" : 'access key'} (${said(aws)}).`,
      delegated
        ? "Check the runner machine's AWS identity (aws sts get-caller-identity there)."
        : 'Check the access key ID and secret access key, or create a new access key (IAM → Users → Security credentials) and rotate this connection.',
    )
  if (status !== undefined && status >= 500)
    return failure(
      'unreachable',
      `${where} answered HTTP ${status} (${said(aws)}).`,
      'AWS STS is having trouble; the next check will try again.',
    )
  return unexpected(`${where} answered in an unexpected way (${said(aws)}).`)
}

export async function send<T>(
  run: () => Promise<T>,
  step: Step,
  target: StsTarget,
  delegated: boolean,
): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw classify(error, step, target, delegated)
  }
}

export function sessionKeys(
  credentials: Credentials | undefined,
  where: string,
): Keys & { expiration: Date } {
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

/** The credentials an AWS connection acts with: its keys, the runner's, or an assumed role's. */
export async function actingKeys(
  connection: LinkedConnection,
  target: StsTarget,
  context: OperationBudget,
  durationSeconds = 900,
  mfaCode?: string,
): Promise<{ keys: Keys | undefined; expiration?: Date; delegated: boolean }> {
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

/** GetCallerIdentity with the connection's acting credentials. */
export async function awsIdentity(
  connection: LinkedConnection,
  target: StsTarget,
  context: OperationBudget,
): Promise<Proof> {
  return (await provenIdentity(connection, target, context)).proof
}

/** The proof, and the keys that made it (the assumed role's, for cross-account). */
async function provenIdentity(
  connection: LinkedConnection,
  target: StsTarget,
  context: OperationBudget,
): Promise<{ proof: Proof; keys: Keys | undefined }> {
  // A role behind MFA cannot be assumed without a code, and a health check has nobody to ask:
  // it proves the base key, and says the role was not assumed.
  const roleNeedsCode =
    connection.authMode === 'cross-account' && Boolean(connection.config.mfa_serial)
  const base = keysOf(connection.secrets)
  const { keys, delegated } = roleNeedsCode
    ? { keys: base, delegated: base === undefined }
    : await actingKeys(connection, target, context)
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
              ? 'assumed role'
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
    return { proof: { identity }, keys }
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
  const toIssued = (keys: Keys, expiration: Date): IssuedCredentials => ({
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
  const { proof, keys } = await provenIdentity(input, stsTarget(input.config), context)
  const checked = await checkPermissions(input, { arn: proof.identity.details.arn!, keys }, context)
  const identity = checked.allowed
    ? { ...proof.identity, details: { ...proof.identity.details, permissions: checked.allowed } }
    : proof.identity
  return {
    ...proof,
    identity,
    ...(checked.warnings.length ? { warnings: checked.warnings } : {}),
    ...(checked.notes.length ? { notes: checked.notes } : {}),
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
  // Loaded on first use, as the SDKs are (it builds on this file's STS helpers).
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

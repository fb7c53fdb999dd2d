import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { said } from './aws-access-keys'
import type { StsTarget } from './aws-sts'

// What an STS error means for the user: each SDK error becomes a failure kind, what happened
// (AWS's own words, shortened by said()) and the fix. The same name can mean different things
// after different calls (AccessDenied is a refused MFA code, a role's trust policy, or a key),
// so the step that failed is part of the question. Transport errors (DNS, TLS, timeouts) are
// ./failure's, shared by every provider.

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

/** Which STS call failed: the same error name means different things after each. */
type Step = 'identity' | 'assume-role' | 'session-token' | 'federation'

/** What STS says when the MFA code is missing, wrong or already used. */
const MFA_REFUSED = /MultiFactorAuthentication/i

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

/** One STS call; whatever it throws becomes the failure the user reads. */
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

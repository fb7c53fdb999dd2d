import { getCapability, storedCapabilities } from '../../shared/aws/capabilities'
import { POLICY_VERSION } from '../../shared/aws/iam-policy'
import type { ConsoleSignIn, OperationBudget, ValidInput } from './define-operations'
import { failure, transportFailure, unexpected } from './failure'
import { actingKeys } from './aws'
import { keysOf, sessionKeys, sts, stsClient, stsTarget } from './aws-sts'
import { send } from './aws-sts-failure'

// Console sign-in through AWS's federation endpoint: temporary credentials (a role session, or
// a federated user's from GetFederationToken) are exchanged for a sign-in token
// (Action=getSigninToken), which goes into the login URL the browser opens (Action=login). The
// URL signs whoever opens it in for the session's lifetime: it is handed to the app like issued
// credentials, and never logged. BRIDGEKEEP_AWS_FEDERATION_ENDPOINT points it elsewhere (tests).

const FEDERATION_ENDPOINT = 'https://signin.aws.amazon.com/federation'
const CONSOLE = 'https://console.aws.amazon.com/'
/** Shown by the console when the session ends ("return to …"). */
const ISSUER = 'Bridgekeep'
/** One hour: long enough to look around, short enough to leave nothing lying about. */
const CONSOLE_SESSION_SECONDS = 3600

/**
 * The session policy a federated user gets: the console may do no more than the connection's
 * capabilities' services (and, being a session policy, never more than the user itself). By
 * service, not by action, so it fits GetFederationToken's 2,048-character packed limit.
 */
export function consolePolicy(capabilities: string | undefined): string {
  const services = [
    ...new Set(
      storedCapabilities(capabilities).flatMap((id) => {
        const capability = getCapability(id)
        return [...capability.read, ...capability.write].map((action) => action.split(':')[0]!)
      }),
    ),
  ].sort()
  return JSON.stringify({
    Version: POLICY_VERSION,
    Statement: [
      { Effect: 'Allow', Action: services.map((service) => `${service}:*`), Resource: '*' },
    ],
  })
}

interface ConsoleSession {
  keys: { accessKeyId: string; secretAccessKey: string; sessionToken: string }
  expiration: Date
  /** A role session may ask the endpoint for the console session's length; a federated user not. */
  role: boolean
  principal: string
}

async function signInUrl(
  session: ConsoleSession,
  context: OperationBudget,
): Promise<ConsoleSignIn> {
  const endpoint = process.env.BRIDGEKEEP_AWS_FEDERATION_ENDPOINT || FEDERATION_ENDPOINT
  const tokenUrl = new URL(endpoint)
  tokenUrl.searchParams.set('Action', 'getSigninToken')
  if (session.role) tokenUrl.searchParams.set('SessionDuration', String(CONSOLE_SESSION_SECONDS))
  tokenUrl.searchParams.set(
    'Session',
    JSON.stringify({
      sessionId: session.keys.accessKeyId,
      sessionKey: session.keys.secretAccessKey,
      sessionToken: session.keys.sessionToken,
    }),
  )
  let response: Response
  try {
    response = await fetch(tokenUrl, { signal: context.signal })
  } catch (error) {
    throw transportFailure(error, new URL(endpoint).origin) ?? unexpected('the sign-in failed.')
  }
  // Its body is never quoted: it could echo the request, and so the session's keys.
  if (!response.ok)
    throw failure(
      'authentication',
      `the AWS federation endpoint refused the session (HTTP ${response.status}).`,
      'Verify the connection; a role needs no more than to be assumable, a user needs sts:GetFederationToken.',
    )
  const body = (await response.json().catch(() => undefined)) as
    { SigninToken?: unknown } | undefined
  if (typeof body?.SigninToken !== 'string' || body.SigninToken === '')
    throw unexpected('the AWS federation endpoint answered without a sign-in token.')
  const login = new URL(endpoint)
  login.searchParams.set('Action', 'login')
  login.searchParams.set('Issuer', ISSUER)
  login.searchParams.set('Destination', CONSOLE)
  login.searchParams.set('SigninToken', body.SigninToken)
  // The console session lasts as long as the credentials (a role's: the SessionDuration asked).
  const expiresAt = session.role
    ? new Date(Math.min(Date.now() + CONSOLE_SESSION_SECONDS * 1000, session.expiration.getTime()))
    : session.expiration
  return { url: login.toString(), expiresAt: expiresAt.toISOString(), principal: session.principal }
}

/**
 * Temporary credentials the console's federation endpoint takes: the role session (cross-account,
 * or the runner's own when it is one), otherwise a federated user's from GetFederationToken with
 * the connection's long-term keys (it refuses session credentials, and the endpoint refuses
 * GetSessionToken's), under a session policy of the capabilities' services.
 */
async function consoleSession(
  input: ValidInput,
  context: OperationBudget,
): Promise<ConsoleSession> {
  const target = stsTarget(input.config)
  if (input.authMode === 'cross-account') {
    const { keys, expiration } = await actingKeys(input, target, context, CONSOLE_SESSION_SECONDS)
    const { sessionToken, ...rest } = keys!
    const principal = `${input.config.role_arn ?? 'the role'}`
    return {
      keys: { ...rest, sessionToken: sessionToken! },
      expiration: expiration!,
      role: true,
      principal,
    }
  }
  const delegated = input.authMode === 'runner-delegated' || keysOf(input.secrets) === undefined
  let keys = delegated ? undefined : keysOf(input.secrets)
  const { GetFederationTokenCommand } = await sts()
  const client = await stsClient(target, keys, context)
  try {
    if (delegated) {
      const own = await send(() => client.config.credentials(), 'identity', target, true)
      if (own.sessionToken && own.expiration)
        return {
          keys: { ...own, sessionToken: own.sessionToken },
          expiration: own.expiration,
          role: true,
          principal: "the runner's own role",
        }
      keys = own
    }
    if (keys?.sessionToken)
      throw failure(
        'unsupported',
        'the connection holds temporary keys, and AWS signs in to the console only with a role session or a federation token made from long-term keys.',
        'Store a long-term access key, or use cross-account mode.',
      )
    const answer = await send(
      () =>
        client.send(
          new GetFederationTokenCommand({
            Name: 'bridgekeep',
            Policy: consolePolicy(input.config.capabilities),
            DurationSeconds: CONSOLE_SESSION_SECONDS,
          }),
          { abortSignal: context.signal },
        ),
      'federation',
      target,
      delegated,
    )
    const session = sessionKeys(answer.Credentials, target.endpoint ?? 'AWS STS')
    return {
      keys: { ...session, sessionToken: session.sessionToken! },
      expiration: session.expiration,
      role: false,
      principal: answer.FederatedUser?.Arn ?? 'a federated user',
    }
  } finally {
    client.destroy()
  }
}

export async function consoleSignIn(
  input: ValidInput,
  context: OperationBudget,
): Promise<ConsoleSignIn> {
  return signInUrl(await consoleSession(input, context), context)
}

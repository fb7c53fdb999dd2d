import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc'
import { BridgekeepError } from '../../../shared/errors'
import type { SsoInstance, SsoSession } from './sso-session-store'

/** What the user sees while the device flow waits: where to go and the code to confirm there. */
export interface DeviceAuthorization {
  verificationUri: string
  /** The verification page with the code filled in, when AWS gives one. */
  verificationUriComplete?: string
  userCode: string
  expiresAt: string
}

export interface DeviceFlowOptions {
  now?: () => Date
  /** Waits between polls; tests record them instead of sleeping. */
  sleep?: (ms: number) => Promise<void>
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code'
/** RFC 8628 §3.5: after slow_down, wait 5 seconds longer than before for every later poll. */
const SLOW_DOWN_MS = 5_000
/** AWS renews a registered client only when it is close to expiring: keep a day's margin. */
const CLIENT_MARGIN_MS = 24 * 3_600_000

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The SSO-OIDC client of an instance, loading the SDK only when a sign-in happens. */
export async function oidcClient(instance: SsoInstance): Promise<SSOOIDCClient> {
  const { SSOOIDCClient } = await import('@aws-sdk/client-sso-oidc')
  return new SSOOIDCClient({
    region: instance.region,
    ...(instance.oidcEndpoint ? { endpoint: instance.oidcEndpoint } : {}),
  })
}

/** The message every expired or refused sign-in ends with: how to sign in again. */
export function signInAgain(instance: Pick<SsoInstance, 'startUrl' | 'region'>, why: string) {
  return new BridgekeepError(
    'CREDENTIALS_NOT_ISSUED',
    `IAM Identity Center ${instance.startUrl}: ${why}`,
    `Sign in again: bridgekeep aws sso login --start-url ${instance.startUrl} --region ${instance.region} (or Sign in on the connection's page in the app).`,
  )
}

/**
 * The OAuth device authorization flow of IAM Identity Center (RFC 8628 through SSO-OIDC):
 * RegisterClient (reused while it is valid), StartDeviceAuthorization, then CreateToken polled at
 * the interval AWS asks, slower after slow_down, until the user approves, denies or the code
 * expires. Refreshing uses the refresh token when the client got one.
 */
export class SsoDeviceFlow {
  private readonly now: () => Date
  private readonly sleep: (ms: number) => Promise<void>

  constructor(
    private readonly client: SSOOIDCClient,
    options: DeviceFlowOptions = {},
  ) {
    this.now = options.now ?? (() => new Date())
    this.sleep = options.sleep ?? defaultSleep
  }

  /** The registered client of `previous` while it is valid, else a newly registered one. */
  async registeredClient(previous: SsoSession | undefined): Promise<SsoSession['client']> {
    const cached = previous?.client
    if (cached && Date.parse(cached.expiresAt) - this.now().getTime() > CLIENT_MARGIN_MS)
      return cached
    const { RegisterClientCommand } = await import('@aws-sdk/client-sso-oidc')
    const registered = await this.client.send(
      new RegisterClientCommand({
        clientName: 'bridgekeep',
        clientType: 'public',
        scopes: ['sso:account:access'],
        grantTypes: [DEVICE_GRANT, 'refresh_token'],
      }),
    )
    if (!registered.clientId || !registered.clientSecret || !registered.clientSecretExpiresAt)
      throw unexpectedAnswer('RegisterClient')
    return {
      clientId: registered.clientId,
      clientSecret: registered.clientSecret,
      expiresAt: new Date(registered.clientSecretExpiresAt * 1000).toISOString(),
    }
  }

  /** Starts a sign-in: what to show the user, and a wait that ends with the signed-in session. */
  async start(
    instance: SsoInstance,
    previous: SsoSession | undefined,
  ): Promise<{ authorization: DeviceAuthorization; approved: () => Promise<SsoSession> }> {
    const { StartDeviceAuthorizationCommand } = await import('@aws-sdk/client-sso-oidc')
    const startWith = async (client: SsoSession['client']) =>
      this.client.send(
        new StartDeviceAuthorizationCommand({
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          startUrl: instance.startUrl,
        }),
      )
    let client: SsoSession['client']
    let started: Awaited<ReturnType<typeof startWith>>
    try {
      client = await this.registeredClient(previous)
      try {
        started = await startWith(client)
      } catch (error) {
        // A kept client AWS no longer knows (revoked, or the instance was recreated): register anew.
        if ((error as { name?: string }).name !== 'InvalidClientException' || !previous) throw error
        client = await this.registeredClient(undefined)
        started = await startWith(client)
      }
    } catch (error) {
      throw flowFailure(instance, (error as { name?: string }).name, error)
    }
    const { deviceCode, userCode, verificationUri, expiresIn } = started
    if (!deviceCode || !userCode || !verificationUri || !expiresIn)
      throw unexpectedAnswer('StartDeviceAuthorization')
    for (const uri of [verificationUri, started.verificationUriComplete])
      if (uri !== undefined && !uri.startsWith('https://'))
        throw unexpectedAnswer('StartDeviceAuthorization (a verification page that is not https)')
    const expiresAt = new Date(this.now().getTime() + expiresIn * 1000)
    const authorization: DeviceAuthorization = {
      verificationUri,
      ...(started.verificationUriComplete
        ? { verificationUriComplete: started.verificationUriComplete }
        : {}),
      userCode,
      expiresAt: expiresAt.toISOString(),
    }
    const approved = async (): Promise<SsoSession> => {
      const interval = (started.interval ?? 5) * 1000
      const token = await this.poll(instance, client, deviceCode, interval, expiresAt)
      return { ...instance, client, token }
    }
    return { authorization, approved }
  }

  private async poll(
    instance: SsoInstance,
    client: SsoSession['client'],
    deviceCode: string,
    intervalMs: number,
    expiresAt: Date,
  ): Promise<NonNullable<SsoSession['token']>> {
    const { CreateTokenCommand } = await import('@aws-sdk/client-sso-oidc')
    let wait = intervalMs
    for (;;) {
      await this.sleep(wait)
      // AWS answers expired_token by then; this only stops a wait on an endpoint that never does.
      if (this.now() > expiresAt) throw flowFailure(instance, 'ExpiredTokenException', undefined)
      try {
        const answer = await this.client.send(
          new CreateTokenCommand({
            clientId: client.clientId,
            clientSecret: client.clientSecret,
            grantType: DEVICE_GRANT,
            deviceCode,
          }),
        )
        return this.token(answer)
      } catch (error) {
        const name = (error as { name?: string }).name
        if (name === 'AuthorizationPendingException') continue
        if (name === 'SlowDownException') {
          wait += SLOW_DOWN_MS
          continue
        }
        throw flowFailure(instance, name, error)
      }
    }
  }

  /** A fresh access token from the refresh token, or undefined when there is none to use. */
  async refresh(session: SsoSession): Promise<SsoSession | undefined> {
    const refreshToken = session.token?.refreshToken
    if (!refreshToken || Date.parse(session.client.expiresAt) <= this.now().getTime())
      return undefined
    const { CreateTokenCommand } = await import('@aws-sdk/client-sso-oidc')
    try {
      const answer = await this.client.send(
        new CreateTokenCommand({
          clientId: session.client.clientId,
          clientSecret: session.client.clientSecret,
          grantType: 'refresh_token',
          refreshToken,
        }),
      )
      const token = this.token(answer)
      // AWS may keep the refresh token the same and not send it again.
      return { ...session, token: { refreshToken, ...token } }
    } catch (error) {
      const name = (error as { name?: string }).name
      if (name === 'InvalidGrantException' || name === 'ExpiredTokenException') return undefined
      throw flowFailure(session, name, error)
    }
  }

  private token(answer: {
    accessToken?: string
    expiresIn?: number
    refreshToken?: string
  }): NonNullable<SsoSession['token']> {
    if (!answer.accessToken || !answer.expiresIn) throw unexpectedAnswer('CreateToken')
    return {
      accessToken: answer.accessToken,
      expiresAt: new Date(this.now().getTime() + answer.expiresIn * 1000).toISOString(),
      ...(answer.refreshToken ? { refreshToken: answer.refreshToken } : {}),
    }
  }
}

function flowFailure(
  instance: Pick<SsoInstance, 'startUrl' | 'region'>,
  name: string | undefined,
  error: unknown,
): BridgekeepError {
  if (error instanceof BridgekeepError) return error
  switch (name) {
    case 'ExpiredTokenException':
      return signInAgain(instance, 'the code expired before it was approved.')
    case 'AccessDeniedException':
      return signInAgain(instance, 'the sign-in was denied in the browser.')
    case 'InvalidClientException':
    case 'UnauthorizedClientException':
      return signInAgain(instance, 'AWS no longer accepts the client Bridgekeep registered.')
    default:
      return unreachable(instance, error)
  }
}

/** Anything else: the endpoint is not IAM Identity Center, or did not answer. Never a token. */
export function unreachable(
  instance: Pick<SsoInstance, 'startUrl' | 'region'>,
  error: unknown,
): BridgekeepError {
  const name = (error as { name?: string; code?: string }).code ?? (error as Error).name
  return new BridgekeepError(
    'OPERATION_FAILED',
    `IAM Identity Center in ${instance.region} (${instance.startUrl}) did not complete the request (${name ?? 'unknown error'}).`,
    'Check the start URL and the region (IAM Identity Center → Settings) and the network, then try again.',
  )
}

function unexpectedAnswer(call: string): BridgekeepError {
  return new BridgekeepError(
    'OPERATION_FAILED',
    `IAM Identity Center answered ${call} without what it must return.`,
    'Check that the endpoint is IAM Identity Center, then try again.',
  )
}

import https from 'node:https'
import type { gaxios } from 'google-auth-library'
import type { IssuedCredentials, LinkedConnection } from '../../shared/operations'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof } from './define-operations'
import { onFirstUse } from './sdk'

// Google Cloud: an OAuth access token for the service account key (an RS256 JWT assertion
// exchanged at the token endpoint), or the runner's Application Default Credentials. Used by the
// gcp provider and, for their credentials, by Artifact Registry and the GCS state backend.
// google-auth-library loads on the first Google operation (./sdk).

const googleAuthLibrary = onFirstUse(() => import('google-auth-library'))

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform'
/** google-auth-library always posts here, whatever the key file's token_uri says. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token'

export interface GoogleToken {
  token: string
  expiresAt: string
  /** The service account, when the credentials are one. */
  email?: string
  /** The project the connection names, or the key's own. */
  project?: string
  delegated: boolean
}

interface ServiceAccountKey {
  client_email: string
  private_key: string
  private_key_id?: string
  project_id?: string
}

/**
 * A transporter for one operation: fails fast (no retries), honours the time budget, sends the
 * token request to the connection's token endpoint and trusts the connection's CA there.
 */
function transporter(
  library: { gaxios: typeof gaxios },
  config: Readonly<Record<string, string>>,
  context: OperationBudget,
) {
  const transport = new library.gaxios.Gaxios()
  const agent = config.ca_certificate ? new https.Agent({ ca: config.ca_certificate }) : undefined
  transport.interceptors.request.add({
    resolved: async (options) => {
      const isToken = options.url.toString() === GOOGLE_TOKEN_URL
      if (isToken && config.token_endpoint) options.url = new URL(config.token_endpoint)
      if (isToken && agent && options.url.protocol === 'https:') options.agent = agent
      options.retry = false
      options.retryConfig = { ...options.retryConfig, retry: 0 }
      options.timeout = context.remainingMs()
      options.signal = context.signal
      return options
    },
  })
  return transport
}

function tokenEndpointName(config: Readonly<Record<string, string>>): string {
  const url = new URL(config.token_endpoint ?? GOOGLE_TOKEN_URL)
  return `${url.protocol}//${url.host}${url.pathname}`
}

function classify(error: unknown, config: Readonly<Record<string, string>>, delegated: boolean) {
  if (error instanceof OperationFailure) return error
  const where = tokenEndpointName(config)
  const transport = transportFailure(error, where)
  if (transport) return transport
  const response = (error as { response?: { status?: number; data?: unknown } }).response
  const data = (response?.data ?? {}) as { error?: unknown; error_description?: unknown }
  const code = typeof data.error === 'string' ? data.error : undefined
  const description =
    typeof data.error_description === 'string' ? data.error_description.slice(0, 200) : ''
  const said = [code, description].filter(Boolean).join(': ')
  const message = error instanceof Error ? error.message : ''
  if (/Could not load the default credentials|Unable to detect a Project Id/i.test(message))
    return failure(
      'authentication',
      'the runner has no Application Default Credentials.',
      'On the runner machine, set GOOGLE_APPLICATION_CREDENTIALS, run gcloud auth application-default login, or attach a service account; or store a key in the connection.',
    )
  if (code === 'invalid_grant' && /disabled/i.test(description))
    return failure(
      'permission',
      `Google says the service account is disabled (${said}).`,
      'Enable the service account (IAM & Admin → Service accounts) or use another one.',
    )
  if (code === 'invalid_grant' || code === 'invalid_client' || code === 'unauthorized_client')
    return failure(
      'authentication',
      `Google rejected the ${delegated ? "runner's credentials" : 'service account key'} (${said}).`,
      /time|exp|iat/i.test(description)
        ? "Set this machine's clock right (enable NTP); the key's signed assertion is only valid for minutes."
        : 'The key may be deleted or disabled: create a new key for the service account (IAM & Admin → Service accounts → Keys) and rotate this connection.',
    )
  if (response?.status === 401)
    return failure(
      'authentication',
      `${where} answered 401${said ? ` (${said})` : ''}.`,
      'Create a new key for the service account and rotate this connection.',
    )
  if (response?.status === 403)
    return failure(
      'permission',
      `${where} answered 403${said ? ` (${said})` : ''}.`,
      'Check the organization policies and the service account’s status.',
    )
  if (response?.status !== undefined && response.status >= 500)
    return failure(
      'unreachable',
      `${where} answered HTTP ${response.status}.`,
      'Google is having trouble; the next check will try again.',
    )
  if (
    /DECODER|PEM|private key|asn1/i.test(message) ||
    /^ERR_OSSL/.test(String((error as { code?: unknown }).code))
  )
    return failure(
      'invalid-config',
      'the private key in the service account key cannot be read.',
      'Paste the key file unchanged, or create a new key.',
    )
  return unexpected(`${where} answered in an unexpected way${said ? ` (${said})` : ''}.`)
}

function expiryOf(expiryDate: number | null | undefined): string {
  // Google answers expires_in (an hour); the library turns it into a date.
  return new Date(expiryDate ?? Date.now() + 3600_000).toISOString()
}

/** An access token for a Google Cloud connection (inline key or Application Default Credentials). */
export async function googleToken(
  connection: LinkedConnection,
  context: OperationBudget,
): Promise<GoogleToken> {
  const { config, secrets } = connection
  const delegated = connection.authMode === 'runner-delegated' || !secrets.service_account_key
  const library = await googleAuthLibrary()
  const { GoogleAuth, JWT } = library
  try {
    if (!delegated) {
      const key = JSON.parse(secrets.service_account_key!) as ServiceAccountKey
      const client = new JWT({
        email: key.client_email,
        key: key.private_key,
        ...(key.private_key_id ? { keyId: key.private_key_id } : {}),
        scopes: [SCOPE],
        transporter: transporter(library, config, context),
      })
      const { token } = await client.getAccessToken()
      if (!token) throw unexpected(`${tokenEndpointName(config)} answered without an access token.`)
      return {
        token,
        expiresAt: expiryOf(client.credentials.expiry_date),
        email: key.client_email,
        ...(config.project_id || key.project_id
          ? { project: config.project_id ?? key.project_id }
          : {}),
        delegated: false,
      }
    }
    const auth = new GoogleAuth({
      scopes: [SCOPE],
      clientOptions: { transporter: transporter(library, config, context) },
    })
    const client = await auth.getClient()
    const { token } = await client.getAccessToken()
    if (!token) throw unexpected(`${tokenEndpointName(config)} answered without an access token.`)
    const email = (client as { email?: unknown }).email
    return {
      token,
      expiresAt: expiryOf(client.credentials.expiry_date),
      ...(typeof email === 'string' && email ? { email } : {}),
      ...(config.project_id ? { project: config.project_id } : {}),
      delegated: true,
    }
  } catch (error) {
    throw classify(error, config, delegated)
  }
}

export function googleIdentity(token: GoogleToken): Proof['identity'] {
  return {
    label: token.email ?? 'Application Default Credentials',
    details: {
      ...(token.email ? { clientEmail: token.email } : {}),
      ...(token.project ? { project: token.project } : {}),
      source: token.delegated ? "runner's Application Default Credentials" : 'service account key',
    },
  }
}

export function googleCredentials(token: GoogleToken): IssuedCredentials {
  return { kind: 'gcp-access-token', token: token.token, expiresAt: token.expiresAt }
}

export const gcpOperations = defineOperations('gcp', {
  verify: async (input, context) => ({
    identity: googleIdentity(await googleToken(input, context)),
    notes: [
      'Access to the project itself was not checked: the token proves the credentials, not the roles granted in the project.',
    ],
  }),
  issueCredentials: async (input, context) => googleCredentials(await googleToken(input, context)),
})

import type * as AzureIdentity from '@azure/identity'
import type { AccessToken, TokenCredential } from '@azure/identity'
import type { IssuedCredentials } from '../../shared/operations'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { httpRequest } from './http-client'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidConnection } from './define-operations'
import { onFirstUse } from './sdk'
import { TOKEN_SCOPE_FIELD } from '../../shared/providers/azure-scope'

// Azure: a Microsoft Entra token for the Resource Manager scope (or the connection's token
// scope), from the service principal's
// client secret (ClientSecretCredential) or the runner's own identity (DefaultAzureCredential:
// environment, workload identity, managed identity, Azure CLI...). @azure/identity loads on the
// first Azure operation (./sdk).

const azureIdentity = onFirstUse(() => import('@azure/identity'))

const CLOUDS: Record<string, { authority: string; scope: string }> = {
  public: {
    authority: 'https://login.microsoftonline.com',
    scope: 'https://management.azure.com/.default',
  },
  usgovernment: {
    authority: 'https://login.microsoftonline.us',
    scope: 'https://management.usgovcloudapi.net/.default',
  },
  china: {
    authority: 'https://login.chinacloudapi.cn',
    scope: 'https://management.chinacloudapi.cn/.default',
  },
}

/** The cloud's sign-in host and the scope tokens are for (its Resource Manager, or token_scope). */
function cloudOf(config: Readonly<Record<string, string>>) {
  const cloud = CLOUDS[config.cloud ?? 'public'] ?? CLOUDS.public!
  return {
    authority: config.authority_host ?? cloud.authority,
    scope: config[TOKEN_SCOPE_FIELD] ?? cloud.scope,
  }
}

function credential(
  { ClientSecretCredential, DefaultAzureCredential }: typeof AzureIdentity,
  connection: ValidConnection,
): TokenCredential {
  const { config, secrets } = connection
  const { authority } = cloudOf(config)
  const options = {
    authorityHost: authority,
    // MSAL would ask login.microsoftonline.com about an authority it does not know.
    ...(config.authority_host ? { disableInstanceDiscovery: true } : {}),
    ...(config.ca_certificate ? { tlsOptions: { ca: config.ca_certificate } } : {}),
    retryOptions: { maxRetries: 0 },
  }
  if (connection.authMode === 'runner-delegated')
    return new DefaultAzureCredential({ ...options, tenantId: config.tenant_id })
  return new ClientSecretCredential(
    config.tenant_id ?? '',
    config.client_id ?? '',
    secrets.client_secret ?? '',
    options,
  )
}

/** AADSTS codes and what they mean for the user. */
function fromEntraCode(codes: number[], said: string, delegated: boolean) {
  const has = (...wanted: number[]) => wanted.some((code) => codes.includes(code))
  if (has(7000222))
    return failure(
      'expired',
      `the client secret has expired (${said}).`,
      'Create a new client secret (App registrations → Certificates & secrets) and rotate this connection.',
    )
  if (has(90002, 900023, 90072))
    return failure(
      'wrong-target',
      `the tenant was not found (${said}).`,
      'Check the Tenant ID (Microsoft Entra ID → Overview) and the cloud of the connection.',
    )
  if (has(700016))
    return failure(
      'wrong-target',
      `the application is not registered in this tenant (${said}).`,
      'Check the Client ID and the Tenant ID: the app registration must live in (or be consented to) this tenant.',
    )
  if (has(7000215, 7000216, 7000218, 700027, 50034, 50126))
    return failure(
      'authentication',
      `Microsoft Entra rejected the ${delegated ? "runner's credentials" : 'client secret'} (${said}).`,
      'Copy the Value (not the Secret ID) of a current client secret, or create a new one, and rotate this connection.',
    )
  if (has(7000112, 700024, 50057))
    return failure(
      'permission',
      `the application is disabled (${said}).`,
      'Enable the service principal (Enterprise applications → the app → Properties).',
    )
  return undefined
}

/** The first "AADSTS<code>: <sentence>" of a message, which holds trace IDs and timestamps too. */
function entraSentence(text: string): string | undefined {
  return /AADSTS\d+:[^\r\n]*/.exec(text)?.[0]?.slice(0, 200)
}

function classify(error: unknown, connection: ValidConnection): OperationFailure {
  if (error instanceof OperationFailure) return error
  const { authority } = cloudOf(connection.config)
  const delegated = connection.authMode === 'runner-delegated'
  const transport = transportFailure(error, authority)
  if (transport) return transport
  const entra = error as {
    name?: string
    message?: string
    statusCode?: number
    errorResponse?: { error?: string; errorDescription?: string; errorCodes?: number[] }
  }
  const text = `${entra.errorResponse?.errorDescription ?? ''}\n${entra.message ?? ''}`
  const codes = [
    ...(entra.errorResponse?.errorCodes ?? []),
    ...[...text.matchAll(/AADSTS(\d+)/g)].map((match) => Number(match[1])),
  ]
  const said = entraSentence(text) ?? entra.errorResponse?.error ?? entra.name ?? 'no details'
  const known = fromEntraCode(codes, said, delegated)
  if (known) return known
  if (
    entra.name === 'CredentialUnavailableError' ||
    (entra.name === 'AggregateAuthenticationError' && delegated)
  )
    return failure(
      'authentication',
      'the runner has no Azure identity of its own (no environment credentials, workload or managed identity, or Azure CLI login).',
      'On the runner machine, sign in with az login, set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or give it a managed identity; or store a client secret in the connection.',
    )
  if (entra.statusCode === 401 || /invalid_client/.test(text))
    return failure(
      'authentication',
      `Microsoft Entra rejected the credentials (${said}).`,
      'Check the Client ID and the client secret, or create a new secret and rotate this connection.',
    )
  if (entra.statusCode === 403)
    return failure(
      'permission',
      `Microsoft Entra refused the token (${said}).`,
      'Check the conditional access policies that apply to the service principal.',
    )
  return unexpected(`${authority} answered in an unexpected way (${said}).`)
}

/**
 * MSAL reports a tenant it cannot find, a refused connection and an untrusted certificate all as
 * "endpoints_resolution_error". After such a failure, fetch the tenant's OpenID configuration
 * ourselves to tell the user which it was.
 */
async function explainDiscovery(
  connection: ValidConnection,
  context: OperationBudget,
): Promise<OperationFailure> {
  const { authority } = cloudOf(connection.config)
  const tenant = connection.config.tenant_id ?? 'organizations'
  const url = `${authority}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`
  try {
    const response = await httpRequest(url, {
      signal: context.signal,
      timeoutMs: context.remainingMs(),
      ...(connection.config.ca_certificate
        ? { tls: { ca: connection.config.ca_certificate } }
        : {}),
    })
    const codes = [...response.body.matchAll(/AADSTS(\d+)/g)].map((match) => Number(match[1]))
    const known = fromEntraCode(
      codes,
      entraSentence(response.body) ?? `HTTP ${response.status}`,
      false,
    )
    if (known) return known
    return unexpected(
      `${authority} did not serve the OpenID configuration of tenant ${tenant} (HTTP ${response.status}).`,
    )
  } catch (error) {
    return (
      transportFailure(error, authority) ??
      unexpected(`${authority} could not be asked for the tenant's configuration.`)
    )
  }
}

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1]
  if (!payload) return {}
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)

async function entraToken(
  connection: ValidConnection,
  context: OperationBudget,
): Promise<AccessToken> {
  const library = await azureIdentity()
  try {
    const token = await credential(library, connection).getToken(cloudOf(connection.config).scope, {
      abortSignal: context.signal,
    })
    if (!token?.token) throw unexpected('Microsoft Entra answered without an access token.')
    return token
  } catch (error) {
    if (/endpoints_resolution_error/.test(String((error as Error)?.message)))
      throw await explainDiscovery(connection, context)
    throw classify(error, connection)
  }
}

async function verify(connection: ValidConnection, context: OperationBudget): Promise<Proof> {
  const token = await entraToken(connection, context)
  const { config } = connection
  // The token's claims say whom Entra issued it to; Bridgekeep does not check its signature
  // (Resource Manager would), it only reads who it names.
  const claims = claimsOf(token.token)
  const tenant = text(claims.tid) ?? config.tenant_id ?? ''
  const client = text(claims.appid) ?? text(claims.azp) ?? config.client_id
  const identity = {
    label: client ? `${client} in tenant ${tenant}` : `tenant ${tenant}`,
    details: {
      tenantId: tenant,
      ...(client ? { clientId: client } : {}),
      ...(text(claims.oid) ? { objectId: text(claims.oid)! } : {}),
      ...(config.subscription_id ? { subscriptionId: config.subscription_id } : {}),
      source: connection.authMode === 'runner-delegated' ? "runner's identity" : 'client secret',
    },
  }
  if (config.tenant_id && text(claims.tid) && claims.tid !== config.tenant_id)
    throw failure(
      'wrong-target',
      `the token was issued by tenant ${String(claims.tid)}, not ${config.tenant_id}.`,
      "Correct the Tenant ID, or sign the runner in to the connection's tenant.",
      identity,
    )
  return {
    identity,
    notes: [
      'The subscription itself was not checked: the token proves the credentials, not the roles granted in the subscription.',
    ],
  }
}

async function issue(
  connection: ValidConnection,
  context: OperationBudget,
): Promise<IssuedCredentials> {
  const token = await entraToken(connection, context)
  return {
    kind: 'azure-access-token',
    token: token.token,
    expiresAt: new Date(token.expiresOnTimestamp).toISOString(),
  }
}

export const azureOperations = defineOperations('azure', { verify, issueCredentials: issue })

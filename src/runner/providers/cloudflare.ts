import { callApi, errorMessage, field, isoTime, okJson } from './https-check'
import type { StatusRemedies } from './https-check'
import { failure, OperationFailure, unexpected } from './failure'
import type { HttpResponse } from './http-client'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidConnection } from './define-operations'

// Cloudflare: a scoped API token is checked at /user/tokens/verify (which says whether it is
// active and when it expires); the legacy Global API key with its email at /user. With an
// account ID, the account must be visible to the credentials.

const API = 'https://api.cloudflare.com/client/v4'

/** Cloudflare answers 400/403 with its own codes where others would say 401. */
const AUTH_CODES = new Set([1000, 1001, 6003, 6103, 6111, 9103, 9106, 10000])

function remediesFor(response: HttpResponse, usesToken: boolean): StatusRemedies {
  const said = errorMessage(response)
  return {
    service: 'Cloudflare',
    ...(said ? { said } : {}),
    authentication: usesToken
      ? 'The token may be deleted or rolled: create a new one (My Profile → API Tokens) and rotate this connection.'
      : 'Check the email and the Global API key (My Profile → API Tokens → Global API Key → View).',
    permission:
      'Give the token the permissions your pipelines need (My Profile → API Tokens → Edit).',
  }
}

function errorCodes(body: string): number[] {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown }[] }
    return (parsed.errors ?? []).map((error) => Number(error.code)).filter(Number.isFinite)
  } catch {
    return []
  }
}

async function call(path: string, connection: ValidConnection, context: OperationBudget) {
  const { config, secrets } = connection
  const base = config.api_url ?? API
  const headers: Record<string, string> = secrets.api_token
    ? { authorization: `Bearer ${secrets.api_token}` }
    : { 'x-auth-email': config.email ?? '', 'x-auth-key': secrets.global_api_key ?? '' }
  const response = await callApi(
    `${base}${path}`,
    {
      headers: { ...headers, accept: 'application/json' },
      ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    },
    context,
  )
  const remedies = remediesFor(response, Boolean(secrets.api_token))
  if (response.status >= 400 && errorCodes(response.body).some((code) => AUTH_CODES.has(code)))
    throw failure(
      'authentication',
      `Cloudflare rejected the credentials (${remedies.said ?? `HTTP ${response.status}`}).`,
      remedies.authentication,
    )
  return okJson(response, base, remedies)
}

async function verify(connection: ValidConnection, context: OperationBudget): Promise<Proof> {
  const { config, secrets } = connection
  let proof: Proof
  if (secrets.api_token) {
    const body = await call('/user/tokens/verify', connection, context)
    const id = field(body, 'result', 'id')
    const status = field(body, 'result', 'status')
    if (!id || !status) throw unexpected('Cloudflare answered the token check without a token.')
    const expiresAt = isoTime(field(body, 'result', 'expires_on'))
    const identity = { label: `API token ${id}`, details: { tokenId: id, status } }
    if (status === 'expired')
      throw failure(
        'expired',
        `the API token expired${expiresAt ? ` on ${expiresAt}` : ''}.`,
        'Create a new token (or edit its TTL) under My Profile → API Tokens and rotate this connection.',
        identity,
      )
    if (status !== 'active')
      throw failure(
        'authentication',
        `the API token is ${status}.`,
        'Enable the token under My Profile → API Tokens, or create a new one and rotate this connection.',
        identity,
      )
    proof = { identity, ...(expiresAt ? { expiresAt } : {}) }
  } else {
    const body = await call('/user', connection, context)
    const email = field(body, 'result', 'email')
    const id = field(body, 'result', 'id')
    if (!email && !id) throw unexpected('Cloudflare answered without a user.')
    proof = {
      identity: {
        label: email ?? id ?? '',
        details: {
          ...(id ? { userId: id } : {}),
          ...(email ? { email } : {}),
          method: 'Global API key',
        },
      },
    }
  }
  if (config.account_id) {
    try {
      const account = await call(`/accounts/${config.account_id}`, connection, context)
      const name = field(account, 'result', 'name')
      proof.identity.details.account = config.account_id
      if (name) proof.identity.details.accountName = name
    } catch (error) {
      if (
        error instanceof OperationFailure &&
        (error.errorClass === 'permission' || error.errorClass === 'wrong-target')
      )
        throw failure(
          'wrong-target',
          `the credentials cannot see account ${config.account_id}.`,
          "Correct the Account ID, or include the account in the token's resources.",
          proof.identity,
        )
      throw error
    }
  }
  if (secrets.r2_access_key_id)
    proof.notes = ['The R2 access keys were not checked; only the API credentials were.']
  return proof
}

export const cloudflareOperations = defineOperations('cloudflare', { verify })

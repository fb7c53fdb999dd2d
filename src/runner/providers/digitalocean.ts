import { callApi, errorMessage, field, okJson } from './https-check'
import { failure } from './failure'
import { defineOperations } from './define-operations'

// DigitalOcean: GET /v2/account with the personal access token.

const API = 'https://api.digitalocean.com'

export const digitaloceanOperations = defineOperations('digitalocean', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const response = await callApi(
      `${base}/v2/account`,
      {
        headers: { authorization: `Bearer ${secrets.api_token}`, accept: 'application/json' },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const body = okJson(response, base, {
      service: 'DigitalOcean',
      said: errorMessage(response),
      authentication:
        'The token may be expired or revoked: generate a new one under API → Tokens and rotate this connection.',
      permission: 'Give the token the account:read scope (API → Tokens → the token → Edit scopes).',
    })
    const email = field(body, 'account', 'email')
    const uuid = field(body, 'account', 'uuid')
    if (!email && !uuid)
      throw failure(
        'unexpected',
        `${base} answered without an account.`,
        'Check the API base URL of the connection.',
      )
    const status = field(body, 'account', 'status') ?? 'active'
    const identity = {
      label: email ?? uuid ?? '',
      details: {
        ...(email ? { email } : {}),
        ...(uuid ? { uuid } : {}),
        ...(field(body, 'account', 'team', 'name')
          ? { team: field(body, 'account', 'team', 'name')! }
          : {}),
        status,
      },
    }
    if (status === 'locked')
      throw failure(
        'permission',
        `the account is locked${field(body, 'account', 'status_message') ? ` (${field(body, 'account', 'status_message')})` : ''}.`,
        'Sign in to the DigitalOcean control panel and resolve the account notice (billing or abuse review).',
        identity,
      )
    return {
      identity,
      ...(secrets.spaces_access_key_id
        ? { notes: ['The Spaces access keys were not checked; only the API token was.'] }
        : {}),
    }
  },
})

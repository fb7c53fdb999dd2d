import { callApi, errorMessage, field, isoTime, okJson } from './https-check'
import { failure, unexpected } from './failure'
import { header } from './http-client'
import { defineOperations } from './define-operations'

// GitHub: GET /user; the token's scopes and expiry come back in response headers.

export const githubOperations = defineOperations('github', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? 'https://api.github.com'
    const response = await callApi(
      `${base}/user`,
      {
        headers: {
          authorization: `Bearer ${secrets.token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
        },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const sso = header(response, 'x-github-sso')
    if (response.status === 403 && sso)
      throw failure(
        'permission',
        'the organization enforces SAML single sign-on and the token is not authorized for it.',
        'Authorize the token for the organization (Settings → Developer settings → the token → Configure SSO).',
      )
    if (response.status === 403 && header(response, 'x-ratelimit-remaining') === '0')
      throw failure(
        'unreachable',
        'GitHub is rate limiting these credentials.',
        'Wait until the rate limit resets; the next check will try again.',
      )
    const body = okJson(response, base, {
      service: 'GitHub',
      ...(errorMessage(response) ? { said: errorMessage(response)! } : {}),
      authentication:
        'The token may be expired or revoked: create a new one (Settings → Developer settings → Personal access tokens) and rotate this connection.',
      permission:
        "Give the token read access to your profile, or check the organization's token policy.",
    })
    const login = field(body, 'login')
    if (!login) throw unexpected(`${base} answered without a login.`)
    const scopes = header(response, 'x-oauth-scopes')
    const expiresAt = isoTime(header(response, 'github-authentication-token-expiration'))
    return {
      identity: {
        label: login,
        details: {
          login,
          ...(field(body, 'id') ? { id: field(body, 'id')! } : {}),
          ...(field(body, 'name') ? { name: field(body, 'name')! } : {}),
          ...(scopes !== undefined ? { scopes: scopes || '(none)' } : {}),
        },
      },
      ...(expiresAt ? { expiresAt } : {}),
    }
  },
})

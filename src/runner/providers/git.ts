import { callApi, errorMessage, field, isoTime, okJson } from './https-check'
import { header } from './http-client'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'

// GitHub: GET /user; the token's scopes and expiry come back in response headers.
// GitLab: GET /user, then (best effort) the token's own record for its expiry and scopes.

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

export const gitlabOperations = defineOperations('gitlab', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? 'https://gitlab.com/api/v4'
    const call = {
      headers: { 'private-token': secrets.token ?? '', accept: 'application/json' },
      ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    }
    const response = await callApi(`${base}/user`, call, context)
    const said = errorMessage(response)
    if (response.status === 401 && /expired/i.test(said ?? ''))
      throw failure(
        'expired',
        'the access token has expired.',
        'Create a new access token (Preferences → Access tokens) and rotate this connection.',
      )
    if (response.status === 403 && /insufficient_scope/.test(response.body))
      throw failure(
        'permission',
        'the token lacks a scope that can read the user.',
        'Create a token with the read_user, read_api or api scope.',
      )
    const body = okJson(response, base, {
      service: 'GitLab',
      ...(said ? { said } : {}),
      authentication:
        'The token may be revoked: create a new access token (Preferences → Access tokens) and rotate this connection.',
      permission: 'Give the token the read_user or api scope.',
    })
    const username = field(body, 'username')
    if (!username) throw unexpected(`${base} answered without a username.`)
    const identity: { label: string; details: Record<string, string> } = {
      label: username,
      details: {
        username,
        ...(field(body, 'id') ? { id: field(body, 'id')! } : {}),
        ...(field(body, 'name') ? { name: field(body, 'name')! } : {}),
        ...(body.bot === true ? { bot: 'true' } : {}),
      },
    }
    if (field(body, 'state') && field(body, 'state') !== 'active')
      throw failure(
        'permission',
        `the user is ${field(body, 'state')}.`,
        'Ask a GitLab administrator to unblock the user.',
        identity,
      )
    // The token's own record (GitLab 15.5+): expiry and scopes. Not fatal when missing.
    let expiresAt: string | undefined
    const self = await callApi(`${base}/personal_access_tokens/self`, call, context).catch(
      () => undefined,
    )
    if (self && self.status === 200) {
      try {
        const token = JSON.parse(self.body) as Record<string, unknown>
        expiresAt = isoTime(field(token, 'expires_at'))
        if (Array.isArray(token.scopes))
          identity.details = { ...identity.details, scopes: token.scopes.join(' ') }
      } catch {
        // an odd answer from a proxy: the user check already proved the token
      }
    }
    return { identity, ...(expiresAt ? { expiresAt } : {}) }
  },
})

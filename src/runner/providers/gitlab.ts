import { callApi, errorMessage, field, isoTime, okJson } from './https-check'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'

// GitLab: GET /user, then (best effort) the token's own record for its expiry and scopes.

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

import { callApi, errorMessage, field, okJson } from './https-check'
import type { ApiCall } from './https-check'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { Proof } from './define-operations'

// ntfy: with a token or login, GET /v1/account names the user (a wrong credential is refused
// there); then GET /<topic>/auth asks the server whether that user (or anyone, without one) may
// read the topic. Neither publishes anything.

const DEFAULT_SERVER = 'https://ntfy.sh'

export const ntfyOperations = defineOperations('ntfy', {
  async verify({ config, secrets }, context): Promise<Proof> {
    const base = config.server_url ?? DEFAULT_SERVER
    const authorization = secrets.access_token
      ? `Bearer ${secrets.access_token}`
      : config.username !== undefined && secrets.password !== undefined
        ? `Basic ${Buffer.from(`${config.username}:${secrets.password}`).toString('base64')}`
        : undefined
    const call: ApiCall = {
      headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
      ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    }
    const remedies = (response: Parameters<typeof errorMessage>[0]) => ({
      service: 'ntfy',
      ...(errorMessage(response) ? { said: errorMessage(response) } : {}),
      authentication: secrets.access_token
        ? 'Create a new access token (web app → Account → Access tokens, or `ntfy token add`) and rotate this connection.'
        : 'Check the username and password (`ntfy user change-pass` sets a new one) and rotate this connection.',
      permission:
        'Grant the user read and write access to the topic (`ntfy access <user> <topic> rw`), or use a topic it may use.',
    })
    let user = 'anonymous'
    if (authorization) {
      const response = await callApi(`${base}/v1/account`, call, context)
      const account = okJson(response, base, remedies(response))
      user = field(account, 'username') ?? ''
      if (!user) throw unexpected(`${base} answered /v1/account without a user.`)
      if (user === '*')
        throw failure(
          'authentication',
          'the server treated the request as anonymous: it ignored the credential.',
          'Check that the server has access control enabled (auth-file) and that the credential belongs to it.',
        )
    }
    const identity = { label: `${user} on ${new URL(base).host}`, details: { server: base, user } }
    // The topic is secret: the path carries it, messages name only the server.
    const response = await callApi(`${base}/${secrets.topic}/auth`, call, context)
    if (response.status === 403)
      throw failure(
        'permission',
        `${user === 'anonymous' ? 'anonymous users' : user} may not read the topic on ${base}.`,
        remedies(response).permission,
        identity,
      )
    const answer = okJson(response, base, remedies(response))
    if (answer.success !== true)
      throw unexpected(`${base} answered the topic check without success.`)
    return { identity }
  },
})

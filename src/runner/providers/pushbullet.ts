import { callApi, field, okJson } from './https-check'
import type { HttpResponse } from './http-client'
import { unexpected } from './failure'
import { defineOperations } from './define-operations'

// Pushbullet: GET /v2/users/me with the Access-Token header names the account and pushes nothing.

const API = 'https://api.pushbullet.com'

/** Pushbullet's errors are { error: { message } }. */
function said(response: HttpResponse): string | undefined {
  try {
    return field(JSON.parse(response.body), 'error', 'message')
  } catch {
    return undefined
  }
}

export const pushbulletOperations = defineOperations('pushbullet', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const response = await callApi(
      `${base}/v2/users/me`,
      {
        headers: { 'access-token': secrets.access_token ?? '', accept: 'application/json' },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const message = said(response)
    const me = okJson(response, base, {
      service: 'Pushbullet',
      ...(message ? { said: message } : {}),
      authentication:
        'Create a new access token under pushbullet.com → Settings → Account and rotate this connection.',
      permission: 'Check that the Pushbullet account is active.',
    })
    const email = field(me, 'email')
    const iden = field(me, 'iden')
    if (!email && !iden) throw unexpected(`${base} answered without an account.`)
    return {
      identity: {
        label: email ?? iden ?? '',
        details: { ...(iden ? { account: iden } : {}), ...(email ? { email } : {}) },
      },
    }
  },
})

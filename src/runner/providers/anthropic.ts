import { callApi, field, okJson } from './https-check'
import type { HttpResponse } from './http-client'
import { header } from './http-client'
import { unexpected } from './failure'
import { defineOperations } from './define-operations'

// Anthropic: listing the models proves the key without spending tokens; the organization comes
// back in a response header.

const API = 'https://api.anthropic.com'
const API_VERSION = '2023-06-01'

function said(response: HttpResponse): string | undefined {
  try {
    const body = JSON.parse(response.body) as unknown
    return field(body, 'error', 'message') ?? field(body, 'error', 'type')
  } catch {
    return undefined
  }
}

export const anthropicOperations = defineOperations('anthropic', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const response = await callApi(
      `${base}/v1/models`,
      {
        headers: {
          'x-api-key': secrets.api_key ?? '',
          'anthropic-version': API_VERSION,
          accept: 'application/json',
        },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const message = said(response)
    const body = okJson(response, base, {
      service: 'Anthropic',
      ...(message ? { said: message } : {}),
      authentication:
        'The key may be disabled or deleted: create a new one under Settings → API keys in the Anthropic Console and rotate this connection.',
      permission: "Check the key's workspace and the organization's access in the Console.",
    })
    if (!Array.isArray(body.data)) throw unexpected(`${base} answered without a model list.`)
    const organization = header(response, 'anthropic-organization-id')
    return {
      identity: {
        label: organization ? `organization ${organization}` : 'Anthropic API key',
        details: {
          models: String(body.data.length),
          ...(organization ? { organization } : {}),
        },
      },
    }
  },
})

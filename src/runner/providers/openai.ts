import { callApi, field, okJson } from './https-check'
import type { HttpResponse } from './http-client'
import { header } from './http-client'
import { unexpected } from './failure'
import { defineOperations } from './define-operations'

// OpenAI: listing the models proves the key (any project key may list them); the organization
// the key belongs to comes back in a response header. The error's code, not its message, is
// quoted: the message repeats part of the key.

const API = 'https://api.openai.com/v1'

function errorCode(response: HttpResponse): string | undefined {
  try {
    const body = JSON.parse(response.body) as unknown
    return field(body, 'error', 'code') ?? field(body, 'error', 'type')
  } catch {
    return undefined
  }
}

export const openaiOperations = defineOperations('openai', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const response = await callApi(
      `${base}/models`,
      {
        headers: {
          authorization: `Bearer ${secrets.api_key}`,
          accept: 'application/json',
          ...(config.organization_id ? { 'openai-organization': config.organization_id } : {}),
          ...(config.project_id ? { 'openai-project': config.project_id } : {}),
        },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const code = errorCode(response)
    const body = okJson(response, base, {
      service: 'OpenAI',
      ...(code ? { said: code } : {}),
      authentication:
        'The key may be revoked, or not belong to the organization or project given: create a new key under Dashboard → API keys and rotate this connection.',
      permission:
        'The key lacks the Models read permission: give it "All" or Models → Read under Dashboard → API keys → Edit.',
    })
    if (!Array.isArray(body.data)) throw unexpected(`${base} answered without a model list.`)
    const organization = header(response, 'openai-organization') ?? config.organization_id
    const project = header(response, 'openai-project') ?? config.project_id
    return {
      identity: {
        label: organization ?? 'OpenAI API key',
        details: {
          models: String(body.data.length),
          ...(organization ? { organization } : {}),
          ...(project ? { project } : {}),
        },
      },
    }
  },
})

import { callApi, errorMessage, okJson } from './https-check'
import { endpointName } from './http-client'
import { unexpected } from './failure'
import { defineOperations } from './define-operations'

// Ollama: the list of local models (/api/tags) shows the server answers, and, behind a proxy that
// asks for a token, that the token is accepted.

export const ollamaOperations = defineOperations('ollama', {
  async verify({ config, secrets }, context) {
    const base = config.base_url ?? 'http://localhost:11434'
    const where = endpointName(base)
    const response = await callApi(
      `${base}/api/tags`,
      {
        headers: {
          accept: 'application/json',
          ...(secrets.api_key ? { authorization: `Bearer ${secrets.api_key}` } : {}),
        },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    const body = okJson(response, where, {
      service: where,
      ...(errorMessage(response) ? { said: errorMessage(response)! } : {}),
      authentication: secrets.api_key
        ? 'The proxy in front of Ollama refused the bearer token: check it and rotate this connection.'
        : 'Something in front of Ollama asks for a token: add it as Bearer token.',
      permission: 'The proxy in front of Ollama refused access; check its rules for this machine.',
    })
    if (!Array.isArray(body.models)) throw unexpected(`${where} answered without a model list.`)
    const models = body.models.length
    return {
      identity: { label: where, details: { models: String(models) } },
      ...(models === 0
        ? { notes: ['The server has no models yet: pull one with ollama pull <model>.'] }
        : {}),
    }
  },
})

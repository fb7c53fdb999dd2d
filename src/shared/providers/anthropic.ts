import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const apiKey: Parser = (value) => {
  // Admin keys only reach the Admin API: they cannot list models or send messages.
  if (value.startsWith('sk-ant-admin'))
    return fail(
      'is an Admin API key, which only manages the organization. Create an API key under Console → Settings → API keys.',
    )
  if (/^sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{20,300}$/.test(value)) return ok(value)
  if (value.startsWith('sk-'))
    return fail('looks like an OpenAI key; Anthropic keys start with sk-ant-api03-.')
  return fail(
    'must be an API key starting with sk-ant-api03-: console.anthropic.com → Settings → API keys → Create Key. It is shown once.',
  )
}

export const anthropic: ProviderSpec = {
  id: 'anthropic',
  label: 'Anthropic',
  category: 'AI',
  description: 'An API key for the Claude API.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'api_key',
      label: 'API key',
      secret: true,
      required: true,
      revealLast4: true,
      placeholder: 'sk-ant-api03-…',
      help: 'An API key of your workspace: console.anthropic.com → Settings → API keys → Create Key. It is shown once.',
      missing: 'Create one under Settings → API keys in the Anthropic Console and paste it.',
      parse: apiKey,
    }),
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.anthropic.com',
      help: 'The Anthropic API address, for a gateway or proxy in between.',
    }),
    caCertificateField('the API'),
  ],
}

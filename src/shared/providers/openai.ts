import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const apiKey: Parser = (value) => {
  if (value.startsWith('sk-ant-'))
    return fail('is an Anthropic key (sk-ant-…); create an Anthropic connection for it.')
  // Admin keys only reach the Administration API: they cannot list models or call one.
  if (value.startsWith('sk-admin-'))
    return fail(
      'is an admin key, which only works with the Administration API. Create a project API key under Dashboard → API keys.',
    )
  return /^sk-[A-Za-z0-9_-]{20,300}$/.test(value)
    ? ok(value)
    : fail(
        'must be an API key starting with sk- (sk-proj-… for project keys): Dashboard → API keys → Create new secret key. It is shown once.',
      )
}

const organizationId: Parser = (value) =>
  /^org-[A-Za-z0-9]{8,64}$/.test(value)
    ? ok(value)
    : fail(
        `${quote(value)} is not an organization ID (org- then letters and digits): Settings → Organization → General → Organization ID.`,
      )

const projectId: Parser = (value) =>
  /^proj_[A-Za-z0-9]{8,64}$/.test(value)
    ? ok(value)
    : fail(
        `${quote(value)} is not a project ID (proj_ then letters and digits): Settings → Project → General → Project ID.`,
      )

export const openai: ProviderSpec = {
  id: 'openai',
  label: 'OpenAI',
  category: 'AI',
  description: 'An API key, with an optional organization and project.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'api_key',
      label: 'API key',
      secret: true,
      required: true,
      revealLast4: true,
      placeholder: 'sk-proj-…',
      help: 'A project API key: platform.openai.com → Dashboard → API keys → Create new secret key. It is shown once; it is billed to its project.',
      missing: 'Create one under Dashboard → API keys on platform.openai.com and paste it.',
      parse: apiKey,
    }),
    defineField({
      key: 'organization_id',
      label: 'Organization ID',
      example: 'org-EXAMPLE7Kx2mQ9rT4vW1',
      help: 'Optional: the organization requests are billed to, when your user belongs to several (Settings → Organization → General).',
      parse: organizationId,
    }),
    defineField({
      key: 'project_id',
      label: 'Project ID',
      example: 'proj_EXAMPLE3hN8pL5sD2fG6',
      help: 'Optional: the project requests count against, for a user key that reaches several (Settings → Project → General).',
      parse: projectId,
    }),
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.openai.com/v1',
      help: 'The OpenAI API address including /v1, for a gateway or proxy in between.',
    }),
    caCertificateField('the API'),
  ],
}

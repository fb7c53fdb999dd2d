import { caCertificateField } from './endpoint-fields'
import { all, baseUrl, defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const gitlabToken: Parser = (value) => {
  // [.] too: newer GitLab versions issue routable tokens with dot-separated parts.
  if (/^glpat-[A-Za-z0-9_.-]{20,}$/.test(value)) return ok(value)
  if (value.startsWith('gldt-'))
    return fail(
      'is a deploy token, which cannot use the API. Use a personal, project or group access token (glpat-…).',
    )
  return fail(
    'must be an access token: glpat- followed by at least 20 letters, digits, "_", "-" or ".". Create one under Preferences → Access tokens.',
  )
}

const gitlabApi = all(baseUrl('https://gitlab.com/api/v4'), (value) =>
  new URL(value).pathname.endsWith('/api/v4')
    ? ok(value)
    : fail(`must end with /api/v4 — for this server, ${quote(`${value}/api/v4`)}.`),
)

export const gitlab: ProviderSpec = {
  id: 'gitlab',
  label: 'GitLab',
  category: 'Git',
  description: 'A personal, project or group access token for gitlab.com or a self-managed server.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'token',
      label: 'Access token',
      secret: true,
      required: true,
      revealLast4: true,
      placeholder: 'glpat-…',
      help: 'A personal access token (Preferences → Access tokens), or a project or group access token (Settings → Access tokens). Pick the api or read_api scope and an expiry date.',
      missing: 'Create one under Preferences → Access tokens and paste it.',
      parse: gitlabToken,
    }),
    defineField({
      key: 'api_url',
      label: 'API base URL',
      input: 'url',
      example: 'https://gitlab.example.com/api/v4',
      defaultValue: 'https://gitlab.com/api/v4',
      help: 'https://gitlab.com/api/v4 for gitlab.com; for a self-managed server, its address followed by /api/v4.',
      parse: gitlabApi,
    }),
    caCertificateField('the API (a self-managed server with a private CA)'),
  ],
}

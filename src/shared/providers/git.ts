import { caCertificateField } from './endpoint-fields'
import { all, baseUrl, defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const githubToken: Parser = (value) => {
  if (/^gh[pous]_[A-Za-z0-9]{36}$/.test(value) || /^github_pat_[A-Za-z0-9_]{82}$/.test(value))
    return ok(value)
  if (/^gh[pous]_/.test(value))
    return fail(
      'is cut off or too long: a classic token is ghp_ followed by 36 letters and digits.',
    )
  if (value.startsWith('github_pat_'))
    return fail(
      'is cut off or too long: a fine-grained token is github_pat_ followed by 82 letters, digits and underscores.',
    )
  if (/^[0-9a-f]{40}$/.test(value))
    return fail(
      'is an old-format token, which GitHub no longer accepts everywhere; create a new one.',
    )
  return fail(
    'must be a fine-grained token (github_pat_…) or a classic token (ghp_…). Create one under Settings → Developer settings → Personal access tokens.',
  )
}

const githubApi = all(baseUrl('https://api.github.com'), (value) =>
  new URL(value).hostname === 'github.com'
    ? fail(
        'use https://api.github.com for github.com, or https://<your host>/api/v3 for GitHub Enterprise Server.',
      )
    : ok(value),
)

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

export const github: ProviderSpec = {
  id: 'github',
  label: 'GitHub',
  category: 'Git',
  description: 'A personal access token for github.com or GitHub Enterprise Server.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'token',
      label: 'Personal access token',
      secret: true,
      required: true,
      revealLast4: true,
      help: 'Settings → Developer settings → Personal access tokens. Prefer a fine-grained token limited to the repositories and permissions you need, with an expiry. SSO organizations need the token authorized for them.',
      missing:
        'Create one under Settings → Developer settings → Personal access tokens and paste it.',
      parse: githubToken,
    }),
    defineField({
      key: 'api_url',
      label: 'API base URL',
      input: 'url',
      example: 'https://github.example.com/api/v3',
      defaultValue: 'https://api.github.com',
      help: 'https://api.github.com for github.com. For GitHub Enterprise Server, https://<your host>/api/v3.',
      parse: githubApi,
    }),
    caCertificateField('the API (GitHub Enterprise Server with a private CA)'),
  ],
}

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

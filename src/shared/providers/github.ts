import { caCertificateField } from './endpoint-fields'
import { all, baseUrl, defineField, fail, ok } from './fields'
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
      placeholder: 'github_pat_… or ghp_…',
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

import { caCertificateField } from './endpoint-fields'
import { baseUrl, defineField, fail, ok, opaqueSecret, quote, singleLine } from './fields'
import type { Parser } from './fields'
import { sshPrivateKey } from './ssh-key'
import type { ProviderSpec } from './types'

const overHttps = { field: 'transport', values: ['https'] }
const overSsh = { field: 'transport', values: ['ssh'] }

const repositoryUrl: Parser = (value) => {
  const parsed = baseUrl('https://git.example.com/team/app.git')(value)
  if (!parsed.ok) return parsed
  return new URL(parsed.value).pathname.length > 1
    ? parsed
    : fail(
        'must name a repository, not only the server, e.g. https://git.example.com/team/app.git.',
      )
}

// ssh://[user@]host[:port]/path, or scp-like [user@]host:path as git clone takes it.
const sshUrl: Parser = (value) => {
  if (
    /^ssh:\/\/(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(?::\d{1,5})?\/\S+$/.test(value) ||
    /^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+:(?!\/\/)[^\s:]\S*$/.test(value)
  )
    return ok(value)
  return fail(
    `${quote(value)} is not an SSH repository address; use git@git.example.com:team/app.git or ssh://git@git.example.com:2222/team/app.git.`,
  )
}

export const git: ProviderSpec = {
  id: 'git',
  label: 'Git server',
  category: 'Git',
  description: 'Any Git server: a repository over HTTPS with a token, or over SSH with a key.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'transport',
      label: 'Connect with',
      required: true,
      options: [
        { value: 'https', label: 'HTTPS and a token' },
        { value: 'ssh', label: 'SSH and a private key' },
      ],
      defaultValue: 'https',
      help: 'HTTPS with a token (checked by Verify), or SSH with a key (checked by the server when git connects).',
    }),
    defineField({
      key: 'repository_url',
      label: 'Repository URL',
      required: true,
      input: 'url',
      showWhen: overHttps,
      example: 'https://git.example.com/team/app.git',
      help: 'The address git clone takes over HTTPS (the Clone button of the repository).',
      parse: repositoryUrl,
    }),
    defineField({
      key: 'username',
      label: 'Username',
      required: true,
      showWhen: overHttps,
      example: 'deploy-bot',
      help: 'Your user name on the server; with a token, many servers accept any name (GitHub: x-access-token, Bitbucket: x-token-auth).',
      parse: singleLine(256),
    }),
    defineField({
      key: 'token',
      label: 'Token or password',
      secret: true,
      required: true,
      revealLast4: true,
      showWhen: overHttps,
      help: 'An access token with read access to the repository (write access to push), created in your user or repository settings on the server.',
      missing: 'Create an access token in your settings on the Git server and paste it.',
      parse: opaqueSecret(8),
    }),
    defineField({
      key: 'ssh_url',
      label: 'SSH address',
      required: true,
      showWhen: overSsh,
      example: 'git@git.example.com:team/app.git',
      help: 'The address git clone takes over SSH.',
      parse: sshUrl,
    }),
    defineField({
      key: 'private_key',
      label: 'Private key',
      secret: true,
      required: true,
      input: 'textarea',
      acceptsFile: true,
      showWhen: overSsh,
      help: 'An SSH private key without a passphrase, e.g. a deploy key (ssh-keygen -t ed25519 -N "" -f deploy_key; add deploy_key.pub to the repository).',
      missing: 'Paste the private key file (e.g. deploy_key, not deploy_key.pub) or choose it.',
      parse: sshPrivateKey,
    }),
    { ...caCertificateField('the server'), showWhen: overHttps },
  ],
}

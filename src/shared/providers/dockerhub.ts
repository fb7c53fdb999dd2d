import { caCertificateField } from './endpoint-fields'
import { defineField, fail, hostWithPort, ok, opaqueSecret, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const dockerId: Parser = (value) => {
  if (value.includes('@'))
    return fail('enter your Docker ID (the username you sign in with), not your email address.')
  const lower = value.toLowerCase()
  return /^[a-z0-9]{4,30}$/.test(lower)
    ? ok(lower)
    : fail(`${quote(value)} is not a Docker ID: 4–30 lowercase letters and digits (e.g. acmeci).`)
}

export const dockerhub: ProviderSpec = {
  id: 'dockerhub',
  label: 'Docker Hub',
  category: 'Container Registries',
  description:
    'A Docker ID with a personal access token, for pulls without rate limits and pushes.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'username',
      label: 'Username',
      required: true,
      example: 'acmeci',
      help: 'Your Docker ID, as shown top right on hub.docker.com (not your email).',
      parse: dockerId,
    }),
    defineField({
      key: 'access_token',
      label: 'Access token',
      secret: true,
      required: true,
      revealLast4: true,
      placeholder: 'dckr_pat_…',
      help: 'A personal access token (Account settings → Personal access tokens → Generate new token; starts with dckr_pat_). Use Read-only for pulls. Avoid your account password: a token can be revoked alone.',
      missing: 'Generate one under Account settings → Personal access tokens and paste it.',
      parse: opaqueSecret(20, 512),
    }),
    defineField({
      key: 'registry',
      label: 'Registry host',
      example: 'docker.io',
      defaultValue: 'docker.io',
      help: 'docker.io for Docker Hub. Change only for a pull-through mirror that accepts Docker Hub credentials.',
      parse: hostWithPort('docker.io'),
    }),
    caCertificateField('the registry and its token service'),
  ],
}

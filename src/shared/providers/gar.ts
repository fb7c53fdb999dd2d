import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'
import { serviceAccountKeyField, tokenEndpointField } from './gcp'
import type { ProviderSpec } from './types'

const GCR_HOSTS = new Set(['gcr.io', 'us.gcr.io', 'eu.gcr.io', 'asia.gcr.io'])
const GAR_HOST = /^[a-z]+(?:-[a-z]+)*\d*-docker\.pkg\.dev$/
const isArtifactRegistry = (host: string): boolean => GAR_HOST.test(host)

const registryHost: Parser = (value) => {
  const lower = value.toLowerCase()
  if (lower.includes('://'))
    return fail(`enter only the host, without ${quote(lower.split('://')[0] + '://')}.`)
  if (lower.includes('/'))
    return fail('enter only the host; put the project and repository under "Repository".')
  if (GCR_HOSTS.has(lower) || isArtifactRegistry(lower)) return ok(lower)
  return fail(
    `${quote(value)} is not an Artifact Registry or Container Registry host. Use <location>-docker.pkg.dev (e.g. europe-west1-docker.pkg.dev) or gcr.io, us.gcr.io, eu.gcr.io, asia.gcr.io.`,
  )
}

const SEGMENT = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/

const repositoryPath: Parser = (value) => {
  if (value.startsWith('/'))
    return fail('must not start with "/"; e.g. acme-platform-prod/containers.')
  if (/\.(?:pkg\.dev|gcr\.io)\//.test(value))
    return fail('enter the path without the host, e.g. acme-platform-prod/containers.')
  const path = value.replace(/\/+$/, '')
  return path.split('/').every((segment) => SEGMENT.test(segment))
    ? ok(path)
    : fail(
        `${quote(value)} is not a repository path: lowercase segments separated by "/", e.g. acme-platform-prod/containers.`,
      )
}

const garHost = defineField({
  key: 'host',
  label: 'Registry host',
  required: true,
  example: 'europe-west1-docker.pkg.dev',
  help: 'Artifact Registry: <location>-docker.pkg.dev (Artifact Registry → the repository → Setup instructions). Legacy Container Registry: gcr.io, us.gcr.io, eu.gcr.io or asia.gcr.io.',
  parse: registryHost,
})
const garRepository = defineField({
  key: 'repository',
  label: 'Repository',
  example: 'acme-platform-prod/containers',
  help: 'Optional: limit the connection to one repository. Artifact Registry: <project>/<repository>; Container Registry: <project>.',
  parse: repositoryPath,
})

export const gar: ProviderSpec = {
  id: 'gar',
  label: 'Google Artifact Registry',
  category: 'Container Registries',
  description: 'Artifact Registry or Container Registry, with a service account key.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    garHost,
    serviceAccountKeyField(
      'The service account needs Artifact Registry Reader (pull) or Writer (push) on the repository.',
    ),
    garRepository,
    endpointField({
      key: 'registry_url',
      label: 'Registry URL',
      example: 'https://europe-west1-docker.pkg.dev',
      help: 'Where to reach the registry API (/v2/), for a private endpoint or a pull-through proxy. Overrides https://<registry host>.',
    }),
    tokenEndpointField(),
    caCertificateField('the registry and the token endpoint'),
  ],
  check: (values) => {
    const host = values[garHost.key]
    const repository = values[garRepository.key]
    if (host && repository && isArtifactRegistry(host) && !repository.includes('/'))
      return [
        {
          field: garRepository.key,
          message: `Repository: for Artifact Registry it is <project>/<repository>, e.g. ${repository}/containers.`,
        },
      ]
    return []
  },
}

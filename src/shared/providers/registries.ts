import { caCertificateField, endpointField } from './endpoint-fields'
import { accountId, awsKeyFields, awsRegion, stsEndpoint } from './aws'
import {
  connectionSlug,
  defineField,
  fail,
  hostWithPort,
  missingFromGroup,
  ok,
  opaqueSecret,
  presence,
  quote,
} from './fields'
import type { Parser } from './fields'
import { serviceAccountKeyField, tokenEndpointField } from './gcp'
import { awsRegions } from './regions'
import type { CheckContext, FieldIssue, ProviderSpec } from './types'

// ---- Docker Hub -------------------------------------------------------------------------------

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

// ---- Amazon ECR -------------------------------------------------------------------------------

const awsConnection = defineField({
  key: 'aws_connection',
  label: 'AWS connection',
  example: 'prod-aws',
  help: 'The slug of an AWS connection in this vault to borrow credentials from (its identity needs ecr:GetAuthorizationToken). Or leave it empty and give access keys below.',
  parse: connectionSlug('AWS', 'prod-aws'),
})
const ecrKeys = awsKeyFields(
  'Only when not borrowing an AWS connection; the key needs ecr:GetAuthorizationToken and the push/pull actions.',
  { required: false },
)

function ecrCheck(
  values: Readonly<Record<string, string>>,
  _authMode: string,
  context?: CheckContext,
): FieldIssue[] {
  const has = presence(values, context)
  const keysGiven = [ecrKeys.id, ecrKeys.secret].some((spec) => values[spec.key] !== undefined)
  if (values[awsConnection.key] !== undefined && keysGiven)
    return [
      {
        field: '',
        message:
          "Use either an AWS connection or access keys, not both. Clear the access keys to borrow the connection's credentials.",
      },
    ]
  if (values[awsConnection.key] === undefined && !has(ecrKeys.id.key) && !has(ecrKeys.secret.key))
    return [
      {
        field: '',
        message:
          'Credentials: enter the slug of an AWS connection to borrow (e.g. prod-aws), or an access key ID and secret access key.',
      },
    ]
  return missingFromGroup(
    values,
    context,
    [ecrKeys.id, ecrKeys.secret],
    'with the other access key: give both the ID and the secret.',
  )
}

export const ecr: ProviderSpec = {
  id: 'ecr',
  label: 'Amazon ECR',
  category: 'Container Registries',
  description:
    'Amazon Elastic Container Registry, through an AWS connection or its own access keys.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'region',
      label: 'Region',
      required: true,
      options: awsRegions,
      defaultValue: 'us-west-2',
      help: 'The region of the registry: the <region> in <account>.dkr.ecr.<region>.amazonaws.com.',
      parse: awsRegion,
    }),
    defineField({
      key: 'account_id',
      label: 'Registry account ID',
      required: true,
      example: '123456789012',
      help: 'The 12-digit account that owns the registry: the <account> in <account>.dkr.ecr.<region>.amazonaws.com.',
      parse: accountId,
    }),
    awsConnection,
    ecrKeys.id,
    ecrKeys.secret,
    stsEndpoint,
    caCertificateField('the STS endpoint'),
  ],
  check: ecrCheck,
}

// ---- Google Artifact Registry / Container Registry -------------------------------------------

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

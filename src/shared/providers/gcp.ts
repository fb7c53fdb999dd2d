import { runnerField } from './runner-field'
import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, presence } from './fields'
import { keyProjectId, projectId, serviceAccountKey } from './service-account'
import type { CheckContext, FieldIssue, FieldSpec, ProviderSpec } from './types'

/** The key field, shared with Artifact Registry. */
export function serviceAccountKeyField(help: string, authModes?: FieldSpec['authModes']) {
  return defineField({
    key: 'service_account_key',
    label: 'Service account key',
    secret: true,
    required: true,
    input: 'textarea',
    acceptsFile: true,
    ...(authModes ? { authModes } : {}),
    help: `The JSON key file of a service account (IAM & Admin → Service accounts → the account → Keys → Add key → JSON). Paste it, pick the file, or paste it base64-encoded. ${help}`,
    missing: 'Paste the JSON key file or pick it (IAM & Admin → Service accounts → Keys).',
    parse: serviceAccountKey,
  })
}

/** Google's OAuth token endpoint override, shared with Artifact Registry. */
export const tokenEndpointField = () =>
  endpointField({
    key: 'token_endpoint',
    label: 'Token endpoint',
    example: 'https://oauth2.googleapis.com/token',
    help: "The OAuth 2.0 token URL the key is exchanged at, for Private Service Connect (https://oauth2-<endpoint>.p.googleapis.com/token) or a token service in an isolated network. The key file's token_uri is not used for this.",
  })

const PROJECT_WHERE =
  "Enter the project ID from the console's project picker (its ID column), e.g. acme-platform-prod."

/** With a key and no Project ID, the key must name its project. */
function check(
  values: Readonly<Record<string, string>>,
  authMode: string,
  context?: CheckContext,
): FieldIssue[] {
  if (authMode !== 'inline' || presence(values, context)('project_id')) return []
  const key = values.service_account_key
  if (key === undefined || keyProjectId(key) !== undefined) return []
  return [
    {
      field: 'project_id',
      message: `Project ID: required, because the service account key has no project_id. ${PROJECT_WHERE}`,
    },
  ]
}

export const gcp: ProviderSpec = {
  id: 'gcp',
  label: 'Google Cloud',
  category: 'Cloud Providers',
  description: "A service account key, or the runner's Application Default Credentials.",
  authModes: ['inline', 'runner-delegated'],
  defaultAuthMode: 'inline',
  fields: [
    serviceAccountKeyField('Grant the service account only the roles your pipelines need.', [
      'inline',
    ]),
    defineField({
      key: 'project_id',
      label: 'Project ID',
      required: true,
      optionalIn: ['inline'],
      example: 'acme-platform-prod',
      help: "The project to work in (console → project picker → ID column). With a key it is optional: left empty, the key's own project_id is used (and shown as “from the key”); given, it overrides it. With the runner's credentials it is required.",
      missing: PROJECT_WHERE,
      parse: projectId,
    }),
    tokenEndpointField(),
    caCertificateField('the token endpoint'),
    runnerField(['runner-delegated']),
  ],
  check,
  derive: (config, secrets): Record<string, string> => {
    const project = config.project_id ? undefined : keyProjectId(secrets.service_account_key)
    return project ? { project_id: project } : {}
  },
}

import { runnerField } from './runner-field'
import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField } from './fields'
import { projectId, serviceAccountKey } from './service-account'
import type { FieldSpec, ProviderSpec } from './types'

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
      help: "The project to work in (console → project picker → ID column). With a key it is optional and overrides the key's own project; with the runner's credentials it is required.",
      missing: "Enter the project ID from the console's project picker, e.g. acme-platform-prod.",
      parse: projectId,
    }),
    tokenEndpointField(),
    caCertificateField('the token endpoint'),
    runnerField(['runner-delegated']),
  ],
}

import { caCertificateField } from './endpoint-fields'
import { baseUrl, defineField, fail, ok, singleLine } from './fields'
import type { Parser } from './fields'
import { password } from './postgres'
import type { ProviderSpec } from './types'

const withPassword = { field: 'auth', values: ['basic'] }
const withApiKey = { field: 'auth', values: ['api-key'] }

// Kibana shows a new key's "Encoded" value (base64 of id:key), the header's form; the API's
// create answer gives id and api_key apart, so "id:key" is encoded here.
const apiKey: Parser = (value) => {
  if (/^[A-Za-z0-9_-]{10,64}:[A-Za-z0-9_-]{10,128}$/.test(value)) return ok(btoa(value))
  return /^[A-Za-z0-9+/]{20,512}={0,2}$/.test(value)
    ? ok(value)
    : fail(
        'must be the Encoded value Kibana shows once for a new API key (Stack Management → API keys), or id:api_key from the create API.',
      )
}

export const opensearch: ProviderSpec = {
  id: 'opensearch',
  label: 'OpenSearch / Elasticsearch',
  category: 'Databases',
  description: 'A cluster address, with a username and password or an Elasticsearch API key.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'url',
      label: 'Cluster URL',
      required: true,
      input: 'url',
      example: 'https://search.example.com:9200',
      help: 'The REST address of the cluster (port 9200 unless a proxy or the cloud console says otherwise).',
      parse: baseUrl('https://search.example.com:9200'),
    }),
    defineField({
      key: 'auth',
      label: 'Sign in with',
      required: true,
      options: [
        { value: 'basic', label: 'Username and password' },
        { value: 'api-key', label: 'API key (Elasticsearch)' },
      ],
      defaultValue: 'basic',
      help: 'An internal user (OpenSearch security plugin, Elasticsearch native realm), or an Elasticsearch API key.',
    }),
    defineField({
      key: 'username',
      label: 'Username',
      required: true,
      showWhen: withPassword,
      example: 'ci-reader',
      help: 'An internal user with the roles your tools need (a read-only role to query).',
      parse: singleLine(256),
    }),
    defineField({
      key: 'password',
      label: 'Password',
      secret: true,
      required: true,
      showWhen: withPassword,
      help: "The internal user's password.",
      missing: "Enter the user's password.",
      parse: password,
    }),
    defineField({
      key: 'api_key',
      label: 'API key',
      secret: true,
      required: true,
      revealLast4: true,
      showWhen: withApiKey,
      help: 'Kibana → Stack Management → API keys → Create API key; copy the Encoded value, shown once.',
      missing: 'Create one in Kibana (Stack Management → API keys) and paste its Encoded value.',
      parse: apiKey,
    }),
    caCertificateField('the cluster'),
  ],
}

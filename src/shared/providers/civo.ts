import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, missingFromGroup, ok, oneOf, opaqueSecret, quote } from './fields'
import type { Parser } from './fields'
import { civoRegions } from './regions'
import type { ProviderSpec } from './types'

const apiKey: Parser = (value) =>
  /^[A-Za-z0-9]{20,128}$/.test(value)
    ? ok(value)
    : fail(
        'must be the API key from Settings → Profile → Security (letters and digits, usually 50 characters).',
      )

const objectStoreId: Parser = (value) =>
  /^[A-Za-z0-9]{16,128}$/.test(value)
    ? ok(value)
    : fail('must be the access key ID of an object store credential (letters and digits only).')

const storeId = defineField({
  key: 'object_store_access_key_id',
  label: 'Object store access key ID',
  secret: true,
  revealLast4: true,
  identifier: true,
  input: 'text',
  example: 'CIVOEXAMPLEACCESSKEY',
  help: 'Optional, for Civo Object Store (S3-compatible): Object Stores → Credentials → the credential → Access Key ID. Give both the ID and the secret, or neither.',
  parse: objectStoreId,
})
const storeSecret = defineField({
  key: 'object_store_secret_key',
  label: 'Object store secret key',
  secret: true,
  help: 'The secret key of the same object store credential.',
  parse: opaqueSecret(20, 256),
})

export const civo: ProviderSpec = {
  id: 'civo',
  label: 'Civo',
  category: 'Cloud Providers',
  description: 'An API key and region, with optional Object Store credentials.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'api_key',
      label: 'API key',
      secret: true,
      required: true,
      revealLast4: true,
      help: 'Your account API key: Settings → Profile → Security → API key. It acts as you, so rotate it if it leaks.',
      missing: 'Copy it from Settings → Profile → Security in the Civo dashboard.',
      parse: apiKey,
    }),
    defineField({
      key: 'default_region',
      label: 'Default region',
      required: true,
      options: civoRegions,
      defaultValue: 'LON1',
      help: 'The region clusters and instances go to when a command does not name one.',
      parse: oneOf(
        civoRegions,
        (value) => `${quote(value)} is not a Civo region. Pick one of LON1, NYC1, FRA1 or PHX1.`,
      ),
    }),
    storeId,
    storeSecret,
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.civo.com',
      help: 'The Civo API address, for a private Civo installation or a proxy in between.',
    }),
    caCertificateField('the API'),
  ],
  check: (values, _authMode, context) =>
    missingFromGroup(
      values,
      context,
      [storeId, storeSecret],
      'with the other object store key: give both the access key ID and the secret, or neither.',
    ),
}

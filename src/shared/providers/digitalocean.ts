import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, missingFromGroup, ok, oneOf, quote } from './fields'
import type { Parser } from './fields'
import { digitalOceanRegions } from './regions'
import type { ProviderSpec } from './types'

const apiToken: Parser = (value) => {
  // dop_v1_ personal tokens since 2021; older accounts may still hold bare 64-hex tokens.
  if (/^dop_v1_[0-9a-f]{64}$/.test(value) || /^[0-9a-f]{64}$/.test(value)) return ok(value)
  if (/^do[or]_v1_/.test(value))
    return fail(
      'is an OAuth token; use a personal access token (API → Tokens → Generate New Token), which starts with dop_v1_.',
    )
  return fail(
    'must be a personal access token: dop_v1_ followed by 64 hex characters (or a legacy 64-hex token). Generate one under API → Tokens.',
  )
}

const spacesKeyId: Parser = (value) =>
  /^[A-Z0-9]{20}$/.test(value)
    ? ok(value)
    : fail('must be 20 uppercase letters and digits (e.g. DO00EXAMPLE7KEYID123).')

const spacesSecret: Parser = (value) =>
  /^[A-Za-z0-9/+=]{43}$/.test(value)
    ? ok(value)
    : fail('must be the 43-character secret shown once when the Spaces key was created.')

const spacesId = defineField({
  key: 'spaces_access_key_id',
  label: 'Spaces access key ID',
  secret: true,
  revealLast4: true,
  identifier: true,
  input: 'text',
  example: 'DO00EXAMPLE7KEYID123',
  placeholder: 'DO00…',
  help: 'Optional, for Spaces object storage (S3-compatible): Spaces Object Storage → Access Keys → Create Access Key. Give both the ID and the secret, or neither.',
  parse: spacesKeyId,
})
const spacesKey = defineField({
  key: 'spaces_secret_key',
  label: 'Spaces secret key',
  secret: true,
  help: 'The secret shown once when the Spaces access key was created.',
  parse: spacesSecret,
})

export const digitalocean: ProviderSpec = {
  id: 'digitalocean',
  label: 'DigitalOcean',
  category: 'Cloud Providers',
  description: 'A personal access token, with optional Spaces object storage keys.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'api_token',
      label: 'API token',
      secret: true,
      required: true,
      revealLast4: true,
      // Built, not literal, so secret scanners do not flag this fake example.
      example: `dop_v1_${'0123456789abcdef'.repeat(4)}`,
      placeholder: 'dop_v1_…',
      help: 'A personal access token: API → Tokens → Generate New Token. Choose the scopes your pipelines need and an expiry; the token is shown once.',
      missing: 'Generate a personal access token under API → Tokens and paste it.',
      parse: apiToken,
    }),
    defineField({
      key: 'default_region',
      label: 'Default region',
      required: true,
      options: digitalOceanRegions,
      defaultValue: 'nyc3',
      help: 'The datacenter new resources go to when a command does not name one; also where Spaces buckets are addressed (<region>.digitaloceanspaces.com).',
      parse: oneOf(
        digitalOceanRegions,
        (value) => `${quote(value)} is not a DigitalOcean region. Pick one such as nyc3 or fra1.`,
      ),
    }),
    spacesId,
    spacesKey,
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.digitalocean.com',
      help: 'The DigitalOcean API address, for an API gateway or proxy in between.',
    }),
    caCertificateField('the API'),
  ],
  check: (values, _authMode, context) =>
    missingFromGroup(
      values,
      context,
      [spacesId, spacesKey],
      'with the other Spaces key: give both the access key ID and the secret, or neither.',
    ),
}

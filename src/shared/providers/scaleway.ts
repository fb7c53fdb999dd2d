import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, guid, ok, oneOf, quote } from './fields'
import type { Parser } from './fields'
import { scalewayRegions, scalewayZones } from './regions'
import type { FieldIssue, ProviderSpec } from './types'

const accessKey: Parser = (value) =>
  /^SCW[A-Z0-9]{17}$/.test(value.toUpperCase())
    ? ok(value.toUpperCase())
    : fail('must be SCW then 17 letters and digits; IAM → API keys shows it beside each key.')

// The secret key is a UUID; guid() would quote it, so this message names only its shape.
const secretKey: Parser = (value) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
    ? ok(value.toLowerCase())
    : fail(
        'must be the secret key shown once when the API key was generated: a UUID like 6f1a3c52-8d0e-4b7a-9c21-5e4f0a2b7d93.',
      )

const region = defineField({
  key: 'default_region',
  label: 'Default region',
  required: true,
  options: scalewayRegions,
  defaultValue: 'fr-par',
  help: 'The region resources go to when a command does not name one.',
  parse: oneOf(
    scalewayRegions,
    (value) =>
      `${quote(value)} is not a Scaleway region. Pick one of fr-par, nl-ams, pl-waw or it-mil.`,
  ),
})
const zone = defineField({
  key: 'default_zone',
  label: 'Default zone',
  options: scalewayZones,
  help: 'Optional: the zone of the default region instances and volumes go to, e.g. fr-par-1.',
  parse: oneOf(
    scalewayZones,
    (value) => `${quote(value)} is not a Scaleway zone (a region and a number, e.g. fr-par-1).`,
  ),
})

function check(values: Readonly<Record<string, string>>): FieldIssue[] {
  const chosen = values[zone.key]
  const inRegion = values[region.key]
  return chosen && inRegion && !chosen.startsWith(`${inRegion}-`)
    ? [
        {
          field: zone.key,
          message: `Default zone: ${chosen} is not in the default region ${inRegion}; pick one of ${inRegion}-1, ${inRegion}-2….`,
        },
      ]
    : []
}

export const scaleway: ProviderSpec = {
  id: 'scaleway',
  label: 'Scaleway',
  category: 'Cloud Providers',
  description: 'An API key (access and secret key), with the default project, region and zone.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'access_key',
      label: 'Access key',
      secret: true,
      revealLast4: true,
      identifier: true,
      required: true,
      input: 'text',
      example: 'SCWEXAMPLE7KEYID1234',
      placeholder: 'SCW…',
      help: 'The access key of an API key: IAM → API keys → Generate an API key (for yourself or an application).',
      parse: accessKey,
    }),
    defineField({
      key: 'secret_key',
      label: 'Secret key',
      secret: true,
      required: true,
      help: 'The secret key shown once when the API key was generated.',
      missing: 'Paste the secret key shown once when the API key was generated (IAM → API keys).',
      parse: secretKey,
    }),
    defineField({
      key: 'default_project_id',
      label: 'Default project ID',
      required: true,
      example: '3f2a9c1e-5b7d-4e8f-a1c2-9d0e6b4f7a21',
      help: 'The project resources are created in: Project dashboard → Settings → Project ID (or the API key’s preferred project).',
      parse: guid('Copy it from the project’s Settings page in the console.'),
    }),
    defineField({
      key: 'default_organization_id',
      label: 'Organization ID',
      example: '9b2c7e41-5a3d-4f8e-b1c6-0d4e8f2a6b13',
      help: 'Optional: your organization, for commands that ask for it (Organization settings → Organization ID).',
      parse: guid('Copy it from Organization settings in the console.'),
    }),
    region,
    zone,
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.scaleway.com',
      help: 'The Scaleway API address, for a proxy in between.',
    }),
    caCertificateField('the API'),
  ],
  check,
}

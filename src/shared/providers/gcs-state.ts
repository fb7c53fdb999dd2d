import { endpointField } from './endpoint-fields'
import { connectionSlug, defineField, fail, isIpv4, keyPrefix, ok, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

// Bucket names are public identifiers, so quoting them in messages is fine.

/** The Cloud Storage bucket naming rules (dotted names may be longer, up to 63 per part). */
const gcsBucket: Parser = (value) => {
  const rule = (problem: string) => fail(`${quote(value)} ${problem}`)
  if (value.startsWith('gs://')) return fail('enter the bucket name only, without gs://.')
  if (!/^[a-z0-9._-]+$/.test(value))
    return rule('may only contain lowercase letters, digits, dots, hyphens and underscores.')
  const max = value.includes('.') ? 222 : 63
  if (value.length < 3 || value.length > max)
    return rule(`must be 3–${max} characters long${max === 63 ? ' (up to 222 with dots)' : ''}.`)
  if (value.split('.').some((part) => part.length === 0 || part.length > 63))
    return rule('must have dot-separated parts of 1–63 characters.')
  if (!/^[a-z0-9].*[a-z0-9]$/.test(value)) return rule('must start and end with a letter or digit.')
  if (isIpv4(value)) return rule('must not look like an IP address.')
  if (value.startsWith('goog') || /g[o0][o0]g[l1]e/.test(value))
    return rule('must not start with "goog" or contain "google" (reserved by Google).')
  return ok(value)
}

export const gcsState: ProviderSpec = {
  id: 'gcs-state',
  label: 'GCS state backend',
  category: 'State Backends',
  description: 'Terraform/OpenTofu state in a Cloud Storage bucket (locking is built in).',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'bucket',
      label: 'Bucket',
      required: true,
      example: 'acme-terraform-state',
      help: 'The Cloud Storage bucket holding the state files. Turn on object versioning so an overwritten state can be recovered.',
      parse: gcsBucket,
    }),
    defineField({
      key: 'prefix',
      label: 'Prefix',
      example: 'teams/platform',
      help: 'Optional folder inside the bucket for the state files, without a leading "/".',
      parse: keyPrefix,
    }),
    defineField({
      key: 'gcp_connection',
      label: 'GCP connection',
      example: 'prod-gcp',
      help: "Optional: the slug of a Google Cloud connection in this vault whose credentials reach the bucket. Empty: the runner's Application Default Credentials.",
      parse: connectionSlug('Google Cloud', 'prod-gcp'),
    }),
    endpointField({
      key: 'storage_endpoint',
      label: 'Storage API endpoint',
      example: 'https://storage.googleapis.com',
      help: "The Cloud Storage JSON API address, for Private Service Connect or a storage emulator. Its CA is the GCP connection's.",
    }),
  ],
}

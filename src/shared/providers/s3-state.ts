import { awsRegionField } from './aws-shared-fields'
import { connectionSlug, defineField, fail, isIpv4, keyPrefix, ok, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

// Bucket names are public identifiers, so quoting them in messages is fine.

const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-']
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']

/** The S3 general purpose bucket naming rules. */
const s3Bucket: Parser = (value) => {
  const rule = (problem: string) => fail(`${quote(value)} ${problem}`)
  if (value.startsWith('s3://')) return fail('enter the bucket name only, without s3://.')
  if (value.length < 3 || value.length > 63) return rule('must be 3–63 characters long.')
  if (!/^[a-z0-9.-]+$/.test(value))
    return rule('may only contain lowercase letters, digits, dots and hyphens.')
  if (!/^[a-z0-9].*[a-z0-9]$/.test(value)) return rule('must start and end with a letter or digit.')
  if (value.includes('..')) return rule('must not contain two dots in a row.')
  if (isIpv4(value)) return rule('must not look like an IP address.')
  const prefix = S3_RESERVED_PREFIXES.find((reserved) => value.startsWith(reserved))
  if (prefix) return rule(`must not start with the reserved prefix "${prefix}".`)
  const suffix = S3_RESERVED_SUFFIXES.find((reserved) => value.endsWith(reserved))
  if (suffix) return rule(`must not end with the reserved suffix "${suffix}".`)
  return ok(value)
}

const dynamoTable: Parser = (value) =>
  /^[A-Za-z0-9_.-]{3,255}$/.test(value)
    ? ok(value)
    : fail(`${quote(value)} is not a DynamoDB table name: 3–255 letters, digits, "_", "-" and ".".`)

export const s3State: ProviderSpec = {
  id: 's3-state',
  label: 'S3 state backend',
  category: 'State Backends',
  description: 'Terraform/OpenTofu state in an S3 bucket, optionally locked with DynamoDB.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'bucket',
      label: 'Bucket',
      required: true,
      example: 'acme-terraform-state',
      help: 'The S3 bucket holding the state files. Turn on versioning so an overwritten state can be recovered.',
      parse: s3Bucket,
    }),
    awsRegionField({
      key: 'region',
      label: 'Region',
      help: 'The region the bucket lives in (S3 → the bucket → Properties → AWS Region).',
    }),
    defineField({
      key: 'key_prefix',
      label: 'Key prefix',
      example: 'teams/platform',
      help: 'Optional folder inside the bucket for the state files, without a leading "/".',
      parse: keyPrefix,
    }),
    defineField({
      key: 'lock_table',
      label: 'DynamoDB lock table',
      example: 'terraform-locks',
      help: 'Optional. A DynamoDB table with the partition key LockID (String). Terraform 1.10+ and OpenTofu 1.10+ can lock with the bucket itself (use_lockfile) instead.',
      parse: dynamoTable,
    }),
    defineField({
      key: 'aws_connection',
      label: 'AWS connection',
      example: 'prod-aws',
      help: "Optional: the slug of an AWS connection in this vault whose credentials reach the bucket. Empty: the runner's own AWS identity.",
      parse: connectionSlug('AWS', 'prod-aws'),
    }),
  ],
}

import { endpointField } from './endpoint-fields'
import { defineField, fail, ok, oneOf, quote } from './fields'
import type { Parser } from './fields'
import { awsRegions } from './regions'
import type { AuthMode, FieldSpec } from './types'

// The AWS fields and parsers other providers reuse: ECR and the S3 state backend take an access
// key pair, an account ID, a region and the STS endpoint the same way the aws provider does, so
// a key pasted in any of them is checked, and explained, alike.

const ACCESS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{40}$/

// Secret-field parsers: the problems describe the expected shape, never the value.
export const accessKeyId: Parser = (value) => {
  if (ACCESS_KEY_ID.test(value)) return ok(value)
  if (SECRET_ACCESS_KEY.test(value))
    return fail(
      'this looks like the secret access key. The ID is the shorter value: 20 characters starting with AKIA or ASIA (e.g. AKIAIOSFODNN7EXAMPLE).',
    )
  return fail('must be 20 characters starting with AKIA or ASIA (e.g. AKIAIOSFODNN7EXAMPLE).')
}

export const secretAccessKey: Parser = (value) => {
  if (SECRET_ACCESS_KEY.test(value)) return ok(value)
  if (ACCESS_KEY_ID.test(value))
    return fail(
      'this looks like the access key ID. The secret is the 40-character value shown once when the key was created.',
    )
  return fail(
    'must be exactly 40 characters of letters, digits, "/", "+" and "=" (e.g. wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY). Copy it whole, without spaces.',
  )
}

/** The console shows account IDs as 1234-5678-9012; tools want the 12 digits. */
export const accountId: Parser = (value) => {
  const digits = /^\d{4}-\d{4}-\d{4}$/.test(value) ? value.replace(/-/g, '') : value
  return /^\d{12}$/.test(digits)
    ? ok(digits)
    : fail(`${quote(value)} is not an AWS account ID; it has 12 digits (e.g. 123456789012).`)
}

export const awsRegion = oneOf(
  awsRegions,
  (value) => `${quote(value)} is not an AWS region. Pick one such as us-west-2.`,
)

/** Access key fields, shared with ECR. */
export function awsKeyFields(
  where: string,
  modes: {
    authModes?: readonly AuthMode[]
    optionalIn?: readonly AuthMode[]
    required?: boolean
  } = {},
) {
  const { authModes, optionalIn, required = true } = modes
  const id = defineField({
    key: 'access_key_id',
    label: 'Access key ID',
    secret: true,
    revealLast4: true,
    identifier: true,
    input: 'text',
    required,
    authModes,
    optionalIn,
    example: 'AKIAIOSFODNN7EXAMPLE',
    placeholder: 'AKIA… or ASIA…, 20 characters',
    help: `The ID of an IAM access key: IAM → Users → the user → Security credentials → Access keys. ${where}`,
    missing: 'Paste the 20-character ID starting with AKIA (e.g. AKIAIOSFODNN7EXAMPLE).',
    parse: accessKeyId,
  })
  const secret = defineField({
    key: 'secret_access_key',
    label: 'Secret access key',
    secret: true,
    required,
    authModes,
    optionalIn,
    example: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    placeholder: '40 characters, shown once when the key was created',
    help: 'The 40-character secret shown once when the access key was created. If it is lost, create a new access key and deactivate the old one.',
    missing: 'Paste the 40-character secret shown when the access key was created.',
    parse: secretAccessKey,
  })
  return { id, secret }
}

/** A required AWS region, chosen from the list (the ECR registry's, the state bucket's, ...). */
export function awsRegionField(init: { key: string; label: string; help: string }): FieldSpec {
  return defineField({
    ...init,
    required: true,
    options: awsRegions,
    defaultValue: 'us-west-2',
    parse: awsRegion,
  })
}

/** STS endpoint override, shared with ECR and the S3 state backend. */
export const stsEndpoint = endpointField({
  key: 'sts_endpoint',
  label: 'STS endpoint',
  example: 'https://sts.us-gov-west-1.amazonaws.com',
  help: 'Where to reach AWS STS, for VPC endpoints (https://vpce-….sts.<region>.vpce.amazonaws.com), FIPS endpoints or an STS-compatible service.',
})

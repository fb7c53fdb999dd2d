import { awsCapabilities, awsCapabilityIds, parseCapabilities } from '../aws/capabilities'
import { ASSUME_ROLE_RANGE, parseSessionMinutes, SESSION_LIMITS } from '../aws/session-duration'
import { runnerField } from './runner-field'
import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, missingFromGroup, ok, presence, quote } from './fields'
import type { Parser } from './fields'
import { accountId, awsKeyFields, awsRegionField, stsEndpoint } from './aws-shared-fields'
import { externalIdField, ROLE_ARN, roleArnField, sessionNameField } from './aws-role-fields'
import { mfaDeviceField, sessionDurationField } from './aws-session-fields'
import { ssoFields } from './aws-sso-fields'
import { awsPartition } from './regions'
import type { AuthMode, CheckContext, FieldIssue, ProviderSpec } from './types'

// The aws provider: its four auth modes' fields (each group in its own module next to this one)
// and the checks that span fields of different groups.

const sessionToken: Parser = (value) =>
  /^[A-Za-z0-9/+=]{100,8192}$/.test(value)
    ? ok(value)
    : fail(
        'must be the long base64 token (hundreds of characters, no spaces) issued with the temporary key.',
      )

const { id: accessKey, secret: secretKey } = awsKeyFields(
  'Required for inline credentials; optional in cross-account mode, where they are the base identity that assumes the role.',
  { authModes: ['inline', 'cross-account'], optionalIn: ['cross-account'] },
)

const token = defineField({
  key: 'session_token',
  label: 'Session token',
  secret: true,
  // Only temporary keys have one: rarely typed by hand, so the form tucks it away.
  advanced: true,
  authModes: ['inline', 'cross-account'],
  help: 'Only for temporary keys (IDs starting with ASIA) from STS or IAM Identity Center: the session token issued with them. They expire, so prefer a long-term key or cross-account mode for anything lasting.',
  parse: sessionToken,
})

/**
 * The modes whose identity is an IAM user or role of Bridgekeep's own: not `sso`, where the
 * permission set decides the account (sso_account_id) and what the role may do.
 */
const IAM_IDENTITY_MODES: readonly AuthMode[] = ['inline', 'runner-delegated', 'cross-account']

const account = defineField({
  key: 'account_id',
  label: 'Account ID',
  authModes: IAM_IDENTITY_MODES,
  example: '123456789012',
  help: 'The 12-digit account these credentials reach (account menu, top right of the AWS console). In cross-account mode, the account of the role. Optional; used to label and double-check.',
  parse: accountId,
})

const region = awsRegionField({
  key: 'default_region',
  label: 'Default region',
  help: 'The region tools use when a command does not name one (AWS_REGION).',
})

/**
 * What the connection may be used for; the generated IAM policy grants exactly these (see
 * `bridgekeep aws policy`). Stored as the ids in catalog order; all of them by default.
 */
const capabilities = defineField({
  key: 'capabilities',
  label: 'Capabilities',
  authModes: IAM_IDENTITY_MODES,
  example: 'eks,s3,ecr',
  defaultValue: awsCapabilityIds.join(','),
  help: `What this connection may be used for, comma-separated: ${awsCapabilities.map((c) => `${c.id} (${c.label})`).join(', ')}. The IAM policy Bridgekeep generates for its role grants exactly the actions these need.`,
  parse: (value) => {
    const parsed = parseCapabilities(value)
    return parsed.ok ? ok(parsed.ids.join(',')) : fail(parsed.problem)
  },
})

/** IAM endpoint override: rotating an inline access key, and verify's permission check. */
const iamEndpoint = endpointField({
  key: 'iam_endpoint',
  label: 'IAM endpoint',
  example: 'https://iam.us-gov.amazonaws.com',
  help: "Where to reach AWS IAM (rotating the access key from Bridgekeep, and verify's check of the capabilities' permissions with IAM's policy simulator): for VPC endpoints, GovCloud or an IAM-compatible service.",
})

const awsCa = caCertificateField('the STS and IAM endpoints')

/** A profile of the runner machine's ~/.aws/config or ~/.aws/credentials. */
const profile = defineField({
  key: 'profile',
  label: 'AWS profile',
  authModes: ['runner-delegated'],
  example: 'deploy',
  help: "Optional: a named profile in the runner machine's ~/.aws/config or ~/.aws/credentials (as aws --profile takes). Empty: the runner's default identity (environment, default profile, SSO, instance or task role).",
  parse: (value) =>
    /^[\w.+@:/-]{1,128}$/.test(value)
      ? ok(value)
      : fail(
          `${quote(value)} is not a profile name: letters, digits and _ . + @ : / - (e.g. deploy), as in [profile deploy].`,
        ),
})

function check(
  values: Readonly<Record<string, string>>,
  authMode: AuthMode,
  context?: CheckContext,
): FieldIssue[] {
  // Inline mode's required keys are plain field rules (cross-account lists them in optionalIn).
  const has = presence(values, context)
  const issues: FieldIssue[] = []
  if (authMode === 'cross-account') {
    const why =
      "when the other base key is given: give both, or neither to assume the role from the runner's own identity."
    issues.push(...missingFromGroup(values, context, [accessKey, secretKey], why))
  }
  const id = values[accessKey.key]
  if (values[token.key] !== undefined)
    for (const spec of [accessKey, secretKey])
      if (!has(spec.key))
        issues.push({ field: spec.key, message: `${spec.label}: required with a session token.` })
  if (id?.startsWith('ASIA') && !has(token.key))
    issues.push({
      field: token.key,
      message:
        'Session token: required for temporary keys (IDs starting with ASIA). Copy it together with the key, or use a long-term key (AKIA…).',
    })
  if (id?.startsWith('AKIA') && values[token.key] !== undefined)
    issues.push({
      field: token.key,
      message:
        'Session token: only temporary keys (IDs starting with ASIA) have one. Remove it, or use the ASIA key it was issued with.',
    })
  if (authMode === 'cross-account') issues.push(...roleConsistency(values), ...roleSession(values))
  if (values[mfaDeviceField.key] !== undefined && values[token.key] !== undefined)
    issues.push({
      field: mfaDeviceField.key,
      message:
        'MFA device: temporary keys (with a session token) cannot start an MFA session. Store the long-term key (AKIA…) of the user the device belongs to, or clear the MFA device.',
    })
  return issues
}

/** AssumeRole allows shorter sessions than GetSessionToken. */
function roleSession(values: Readonly<Record<string, string>>): FieldIssue[] {
  const parsed = parseSessionMinutes(values[sessionDurationField.key] ?? '')
  if (!parsed.ok || parsed.minutes * 60 <= SESSION_LIMITS.assumeRoleMaxSeconds) return []
  return [
    {
      field: sessionDurationField.key,
      message: `Session duration: ${values[sessionDurationField.key]} is too long for a role: ${ASSUME_ROLE_RANGE}.`,
    },
  ]
}

/** The role must live in the region's partition, and in the account given (if any). */
function roleConsistency(values: Readonly<Record<string, string>>): FieldIssue[] {
  const match = ROLE_ARN.exec(values[roleArnField.key] ?? '')
  if (!match) return []
  const [, partition, roleAccount] = match
  const issues: FieldIssue[] = []
  const regionValue = values[region.key]
  if (regionValue && partition !== awsPartition(regionValue))
    issues.push({
      field: roleArnField.key,
      message: `Role ARN: is in partition "${partition}" but the default region ${regionValue} is in "${awsPartition(regionValue)}". Pick a region of the role's partition.`,
    })
  const accountValue = values[account.key]
  if (accountValue && accountValue !== roleAccount)
    issues.push({
      field: account.key,
      message: `Account ID: ${accountValue} does not match the role ARN's account ${roleAccount}. In cross-account mode, enter the role's account or leave it empty.`,
    })
  return issues
}

export const aws: ProviderSpec = {
  id: 'aws',
  label: 'Amazon Web Services',
  category: 'Cloud Providers',
  description:
    "IAM access keys, the runner's own role, a role assumed in another account, or IAM Identity Center (SSO).",
  authModes: ['inline', 'runner-delegated', 'cross-account', 'sso'],
  defaultAuthMode: 'inline',
  fields: [
    accessKey,
    secretKey,
    token,
    account,
    region,
    roleArnField,
    externalIdField,
    sessionNameField,
    sessionDurationField,
    mfaDeviceField,
    ...ssoFields,
    capabilities,
    stsEndpoint,
    iamEndpoint,
    awsCa,
    profile,
    runnerField(['runner-delegated', 'cross-account']),
  ],
  check,
}

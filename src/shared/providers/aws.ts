import { awsCapabilities, awsCapabilityIds, parseCapabilities } from '../aws/capabilities'
import {
  ASSUME_ROLE_RANGE,
  formatSessionMinutes,
  parseSessionMinutes,
  SESSION_DURATION_FIELD,
  SESSION_LIMITS,
} from '../aws/session-duration'
import { runnerField } from './runner-field'
import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, missingFromGroup, ok, oneOf, presence, quote } from './fields'
import type { Parser } from './fields'
import { awsPartition, awsRegions } from './regions'
import type { AuthMode, CheckContext, FieldIssue, FieldSpec, ProviderSpec } from './types'

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

const awsRegion = oneOf(
  awsRegions,
  (value) => `${quote(value)} is not an AWS region. Pick one such as us-west-2.`,
)

const ROLE_ARN =
  /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/
const ROLE_EXAMPLE = 'arn:aws:iam::210987654321:role/bridgekeep-deploy'

const roleArn: Parser = (value) => {
  if (ROLE_ARN.test(value)) return ok(value)
  if (/^arn:[\w-]+:sts::\d{12}:assumed-role\//.test(value))
    return fail(
      `is an assumed-role session ARN. Use the role's own ARN (IAM → Roles → the role → ARN), e.g. ${ROLE_EXAMPLE}.`,
    )
  if (/^arn:[\w-]+:iam::\d{12}:user\//.test(value))
    return fail(`is a user ARN; cross-account access needs a role ARN, e.g. ${ROLE_EXAMPLE}.`)
  return fail(
    `${quote(value)} is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>, e.g. ${ROLE_EXAMPLE}).`,
  )
}

/** The IAM limits for ExternalId and RoleSessionName. */
const externalId: Parser = (value) =>
  /^[\w+=,.@:/-]{2,1224}$/.test(value)
    ? ok(value)
    : fail(
        "must be 2–1224 characters of letters, digits and _ + = , . @ : / - (no spaces), exactly as in the role's trust policy (sts:ExternalId).",
      )

const sessionName: Parser = (value) =>
  /^[\w+=,.@-]{2,64}$/.test(value)
    ? ok(value)
    : fail(`${quote(value)} is not a valid session name: 2–64 letters, digits or _ + = , . @ -.`)

const MFA_DEVICE_ARN =
  /^arn:(aws|aws-us-gov|aws-cn):iam::\d{12}:mfa\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/
const HARDWARE_SERIAL = /^[A-Z0-9]{9,32}$/
const MFA_EXAMPLE = 'arn:aws:iam::123456789012:mfa/alice'

/** A virtual MFA device's ARN, or a hardware token's serial number (what STS takes as SerialNumber). */
const mfaSerial: Parser = (value) => {
  if (MFA_DEVICE_ARN.test(value) || HARDWARE_SERIAL.test(value)) return ok(value)
  if (/^arn:[\w-]+:iam::\d{12}:(?:user|role)\//.test(value))
    return fail(
      `is a user or role ARN, not an MFA device's. Copy the device's identifier from IAM → Users → the user → Security credentials → Multi-factor authentication, e.g. ${MFA_EXAMPLE}.`,
    )
  return fail(
    `${quote(value)} is not an MFA device: use the virtual device's ARN (arn:aws:iam::<12-digit account>:mfa/<name>, e.g. ${MFA_EXAMPLE}) or a hardware token's serial number (e.g. GAHT12345678).`,
  )
}

const sessionToken: Parser = (value) =>
  /^[A-Za-z0-9/+=]{100,8192}$/.test(value)
    ? ok(value)
    : fail(
        'must be the long base64 token (hundreds of characters, no spaces) issued with the temporary key.',
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

const region = awsRegionField({
  key: 'default_region',
  label: 'Default region',
  help: 'The region tools use when a command does not name one (AWS_REGION).',
})

const role = defineField({
  key: 'role_arn',
  label: 'Role ARN',
  required: true,
  authModes: ['cross-account'],
  example: ROLE_EXAMPLE,
  help: 'The role to assume in the target account: IAM → Roles → the role → ARN. Its trust policy must allow the base identity and require the external ID below.',
  missing: `Copy it from IAM → Roles → the role, e.g. ${ROLE_EXAMPLE}.`,
  parse: roleArn,
})

const external = defineField({
  key: 'external_id',
  label: 'External ID',
  required: true,
  authModes: ['cross-account'],
  example: 'bk-7f3e9a12-prod',
  help: 'The value the role\'s trust policy requires in the "sts:ExternalId" condition; it guards against the confused-deputy problem. Not a password, but keep it unguessable.',
  missing: 'Use the value of the "sts:ExternalId" condition in the role\'s trust policy.',
  parse: externalId,
})

const session = defineField({
  key: 'session_name',
  label: 'Session name',
  authModes: ['cross-account'],
  example: 'bridgekeep',
  defaultValue: 'bridgekeep',
  help: 'Shown in CloudTrail as the assumed-role session, so the target account can tell who acted.',
  parse: sessionName,
})

/** How long the sessions tools get last (a use-only or short-lived-only connection, a role's). */
const sessionDuration = defineField({
  key: SESSION_DURATION_FIELD,
  label: 'Session duration',
  advanced: true,
  authModes: ['inline', 'cross-account'],
  example: '1h',
  placeholder: '1h (the default); e.g. 15m, 4h, 1h30m',
  help: "How long the short-lived credentials handed to tools last: the assumed role's session (cross-account), or the session issued from the stored keys when tools get short-lived credentials only. 15 minutes to 12 hours for a role, and no longer than the role's Maximum session duration; up to 36 hours for an IAM user's keys. Empty: 1 hour.",
  parse: (value) => {
    const parsed = parseSessionMinutes(value)
    return parsed.ok ? ok(formatSessionMinutes(parsed.minutes)) : fail(parsed.problem)
  },
})

const mfa = defineField({
  key: 'mfa_serial',
  label: 'MFA device',
  authModes: ['inline', 'cross-account'],
  example: MFA_EXAMPLE,
  help: "Optional: the MFA device of the IAM user whose keys are stored (its ARN, or a hardware token's serial). Bridgekeep then asks for the device's 6-digit code whenever it needs a new session (GetSessionToken, or AssumeRole for a role that requires MFA), and keeps the session, sealed, until shortly before it expires. Tools get only the session.",
  parse: mfaSerial,
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

/** STS endpoint override, shared with ECR and the S3 state backend. */
export const stsEndpoint = endpointField({
  key: 'sts_endpoint',
  label: 'STS endpoint',
  example: 'https://sts.us-gov-west-1.amazonaws.com',
  help: 'Where to reach AWS STS, for VPC endpoints (https://vpce-….sts.<region>.vpce.amazonaws.com), FIPS endpoints or an STS-compatible service.',
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

/** The AWS access portal URL of an IAM Identity Center instance (its "start URL"). */
export const ssoStartUrl: Parser = (value) => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail(
      `${quote(value)} is not a URL. Copy the AWS access portal URL from IAM Identity Center → Settings, e.g. https://my-org.awsapps.com/start.`,
    )
  }
  return url.protocol === 'https:' && !url.username && !url.password
    ? ok(url.href.replace(/\/$/, ''))
    : fail(
        `${quote(value)} must be an https:// URL without a user name, e.g. https://my-org.awsapps.com/start.`,
      )
}

/** A permission set's role name, as ListAccountRoles names it (IAM's role-name rule). */
export const ssoRoleName: Parser = (value) =>
  /^[\w+=,.@-]{1,64}$/.test(value)
    ? ok(value)
    : fail(
        `${quote(value)} is not a permission set name: 1–64 letters, digits or _ + = , . @ - (e.g. AdministratorAccess).`,
      )

const ssoStart = defineField({
  key: 'sso_start_url',
  label: 'Start URL',
  required: true,
  authModes: ['sso'],
  example: 'https://my-org.awsapps.com/start',
  help: 'The AWS access portal URL of your IAM Identity Center: IAM Identity Center → Settings → AWS access portal URL.',
  parse: ssoStartUrl,
})

const ssoRegion = defineField({
  key: 'sso_region',
  label: 'IAM Identity Center region',
  required: true,
  authModes: ['sso'],
  options: awsRegions,
  defaultValue: 'us-east-1',
  help: 'The region where IAM Identity Center is enabled (IAM Identity Center → Settings → Region); it may differ from the default region.',
  parse: awsRegion,
})

const ssoAccount = defineField({
  key: 'sso_account_id',
  label: 'Account',
  required: true,
  authModes: ['sso'],
  example: '123456789012',
  help: 'The 12-digit account this connection uses; Sign in lists the accounts you may use.',
  parse: accountId,
})

const ssoRole = defineField({
  key: 'sso_role_name',
  label: 'Permission set',
  required: true,
  authModes: ['sso'],
  example: 'AdministratorAccess',
  help: 'The permission set (role) to use in that account; Sign in lists the ones assigned to you.',
  parse: ssoRoleName,
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
  if (values[mfa.key] !== undefined && values[token.key] !== undefined)
    issues.push({
      field: mfa.key,
      message:
        'MFA device: temporary keys (with a session token) cannot start an MFA session. Store the long-term key (AKIA…) of the user the device belongs to, or clear the MFA device.',
    })
  return issues
}

/** AssumeRole allows shorter sessions than GetSessionToken. */
function roleSession(values: Readonly<Record<string, string>>): FieldIssue[] {
  const parsed = parseSessionMinutes(values[sessionDuration.key] ?? '')
  if (!parsed.ok || parsed.minutes * 60 <= SESSION_LIMITS.assumeRoleMaxSeconds) return []
  return [
    {
      field: sessionDuration.key,
      message: `Session duration: ${values[sessionDuration.key]} is too long for a role: ${ASSUME_ROLE_RANGE}.`,
    },
  ]
}

/** The role must live in the region's partition, and in the account given (if any). */
function roleConsistency(values: Readonly<Record<string, string>>): FieldIssue[] {
  const match = ROLE_ARN.exec(values[role.key] ?? '')
  if (!match) return []
  const [, partition, roleAccount] = match
  const issues: FieldIssue[] = []
  const regionValue = values[region.key]
  if (regionValue && partition !== awsPartition(regionValue))
    issues.push({
      field: role.key,
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
    role,
    external,
    session,
    sessionDuration,
    mfa,
    ssoStart,
    ssoRegion,
    ssoAccount,
    ssoRole,
    capabilities,
    stsEndpoint,
    iamEndpoint,
    awsCa,
    profile,
    runnerField(['runner-delegated', 'cross-account']),
  ],
  check,
}

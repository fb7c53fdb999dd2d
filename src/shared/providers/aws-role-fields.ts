import { defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'

// Cross-account mode's fields: the role to assume in the other account, the external ID its trust
// policy requires, and the session name CloudTrail shows. The role ARN's partition and account
// are read back by the provider's consistency check (./aws), hence the exported pattern.

/** An IAM role's ARN; its groups are the partition and the account. */
export const ROLE_ARN =
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

export const roleArnField = defineField({
  key: 'role_arn',
  label: 'Role ARN',
  required: true,
  authModes: ['cross-account'],
  example: ROLE_EXAMPLE,
  help: 'The role to assume in the target account: IAM → Roles → the role → ARN. Its trust policy must allow the base identity and require the external ID below.',
  missing: `Copy it from IAM → Roles → the role, e.g. ${ROLE_EXAMPLE}.`,
  parse: roleArn,
})

export const externalIdField = defineField({
  key: 'external_id',
  label: 'External ID',
  required: true,
  authModes: ['cross-account'],
  example: 'bk-7f3e9a12-prod',
  help: 'The value the role\'s trust policy requires in the "sts:ExternalId" condition; it guards against the confused-deputy problem. Not a password, but keep it unguessable.',
  missing: 'Use the value of the "sts:ExternalId" condition in the role\'s trust policy.',
  parse: externalId,
})

export const sessionNameField = defineField({
  key: 'session_name',
  label: 'Session name',
  authModes: ['cross-account'],
  example: 'bridgekeep',
  defaultValue: 'bridgekeep',
  help: 'Shown in CloudTrail as the assumed-role session, so the target account can tell who acted.',
  parse: sessionName,
})

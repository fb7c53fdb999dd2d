import { accountId, awsRegion } from './aws-shared-fields'
import { defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'
import { awsRegions } from './regions'

// IAM Identity Center (SSO) mode's fields: where the access portal is, and the account and
// permission set the connection signs in to. The parsers are also what the sign-in flow
// (../aws-sso) checks the portal's answers with.

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

/** In the order the form shows them. */
export const ssoFields = [ssoStart, ssoRegion, ssoAccount, ssoRole]

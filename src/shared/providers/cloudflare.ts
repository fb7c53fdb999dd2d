import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, email, fail, httpsUrl, missingFromGroup, ok, presence, quote } from './fields'
import type { Parser } from './fields'
import type { CheckContext, FieldIssue, ProviderSpec } from './types'

const apiToken: Parser = (value) => {
  if (/^[A-Za-z0-9_-]{40}$/.test(value)) return ok(value)
  if (/^[0-9a-f]{37}$/i.test(value))
    return fail(
      'this looks like the Global API Key; enter it under "Global API key" with your email.',
    )
  return fail(
    'must be 40 characters of letters, digits, "_" and "-". Create one under My Profile → API Tokens → Create Token.',
  )
}

const globalKey: Parser = (value) => {
  if (/^[0-9a-f]{37}$/i.test(value)) return ok(value.toLowerCase())
  if (/^[A-Za-z0-9_-]{40}$/.test(value))
    return fail('this looks like an API token; enter it under "API token" instead.')
  return fail('must be 37 hex characters (My Profile → API Tokens → Global API Key → View).')
}

const hex32 =
  (what: string, example: string): Parser =>
  (value) =>
    /^[0-9a-f]{32}$/i.test(value)
      ? ok(value.toLowerCase())
      : fail(`must be the ${what}: 32 hex characters (e.g. ${example}).`)

const ACCOUNT_EXAMPLE = '0123456789abcdef0123456789abcdef'

const token = defineField({
  key: 'api_token',
  label: 'API token',
  secret: true,
  revealLast4: true,
  help: 'Recommended: a scoped token from My Profile → API Tokens → Create Token, limited to the zones and permissions you need. Use either a token or the Global API key with email, not both.',
  parse: apiToken,
})
const key = defineField({
  key: 'global_api_key',
  label: 'Global API key',
  secret: true,
  revealLast4: true,
  help: 'Legacy: full access to your whole account (My Profile → API Tokens → Global API Key). Needs the account email. Prefer a scoped API token.',
  parse: globalKey,
})
const mail = defineField({
  key: 'email',
  label: 'Email',
  example: 'ops@example.com',
  help: 'The email of the Cloudflare login that owns the Global API key. Not used with an API token.',
  parse: (value) => {
    const parsed = email(value)
    return parsed.ok ? ok(parsed.value.toLowerCase()) : parsed
  },
})
const account = defineField({
  key: 'account_id',
  label: 'Account ID',
  example: ACCOUNT_EXAMPLE,
  help: 'Optional. Shown in the dashboard on any zone\'s Overview (right column, "Account ID") or in the URL after dash.cloudflare.com/. Needed by Terraform and Wrangler for account-level resources.',
  parse: hex32('account ID', ACCOUNT_EXAMPLE),
})
const r2Id = defineField({
  key: 'r2_access_key_id',
  label: 'R2 access key ID',
  secret: true,
  revealLast4: true,
  identifier: true,
  input: 'text',
  example: 'fedcba9876543210fedcba9876543210',
  placeholder: 'Access Key ID of the R2 token',
  help: 'Optional, for R2 object storage (S3-compatible): R2 → Manage R2 API Tokens → Create API Token → Access Key ID. R2 needs the ID and the secret together; the endpoint follows from the Account ID.',
  parse: (value) =>
    /^[A-Za-z0-9]{20,128}$/.test(value)
      ? ok(value)
      : fail(
          'must be the Access Key ID of an R2 API token: at least 20 letters and digits (R2 → Manage R2 API Tokens).',
        ),
})
const r2Secret = defineField({
  key: 'r2_secret_access_key',
  label: 'R2 secret access key',
  secret: true,
  help: 'The Secret Access Key shown once when the R2 API token was created.',
  parse: (value) =>
    /^[A-Za-z0-9/+=_-]{20,128}$/.test(value)
      ? ok(value)
      : fail(
          'must be at least 20 characters without spaces (the Secret Access Key of the R2 token).',
        ),
})
const r2Endpoint = defineField({
  key: 'r2_endpoint',
  label: 'R2 endpoint',
  input: 'url',
  example: `https://${ACCOUNT_EXAMPLE}.r2.cloudflarestorage.com`,
  help: 'Optional with an Account ID, which gives https://<account ID>.r2.cloudflarestorage.com. Enter it for EU-jurisdiction buckets (.eu. before r2), or when no Account ID is given.',
  parse: httpsUrl(`https://${ACCOUNT_EXAMPLE}.r2.cloudflarestorage.com`),
})

function check(
  values: Readonly<Record<string, string>>,
  _authMode: string,
  context?: CheckContext,
): FieldIssue[] {
  const has = presence(values, context)
  const issues: FieldIssue[] = []
  const usesKey = values[key.key] !== undefined || values[mail.key] !== undefined
  // While editing, an empty token field with no sign of the key method is the kept token.
  const usesToken = values[token.key] !== undefined || (!usesKey && has(token.key))
  if (usesToken && usesKey)
    issues.push({
      field: '',
      message:
        'Use either an API token, or the Global API key with its email — not both. Clear the fields of the method you do not use.',
    })
  else if (!usesToken && !usesKey)
    issues.push({
      field: '',
      message:
        'Enter an API token (recommended), or the Global API key together with the account email.',
    })
  else if (usesKey)
    issues.push(
      ...missingFromGroup(
        values,
        context,
        [key, mail],
        'with the Global API key method: give the key and the email of its login.',
      ),
    )
  const endpoint = values[r2Endpoint.key]
  const accountId = values[account.key]
  // The endpoint follows from the account ID; given alone, it still asks for the keys.
  issues.push(
    ...missingFromGroup(
      values,
      context,
      endpoint === undefined ? [r2Id, r2Secret] : [r2Id, r2Secret, r2Endpoint],
      'for R2: give the access key ID and the secret together, or neither.',
    ),
  )
  // Only an ID given now: a kept one (editing) is unknown, and may be absent.
  if (values[r2Id.key] !== undefined && !endpoint && !accountId)
    issues.push({
      field: r2Endpoint.key,
      message:
        'R2 endpoint: required for R2 when no Account ID is given. Enter the Account ID (it gives https://<account ID>.r2.cloudflarestorage.com) or the endpoint shown with the R2 token.',
    })
  if (endpoint && accountId && !new URL(endpoint).hostname.startsWith(`${accountId}.`))
    issues.push({
      field: r2Endpoint.key,
      message: `R2 endpoint: ${quote(endpoint)} is not for account ${accountId}; it should be https://${accountId}.r2.cloudflarestorage.com.`,
    })
  return issues
}

export const cloudflare: ProviderSpec = {
  id: 'cloudflare',
  label: 'Cloudflare',
  category: 'Cloud Providers',
  description: 'A scoped API token (or the legacy Global API key), with optional R2 storage keys.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    token,
    key,
    mail,
    account,
    r2Id,
    r2Secret,
    r2Endpoint,
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.cloudflare.com/client/v4',
      help: 'The Cloudflare API address including /client/v4, for a proxy in between.',
    }),
    caCertificateField('the API'),
  ],
  check,
}

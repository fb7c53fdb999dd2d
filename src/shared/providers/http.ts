import { caCertificateField } from './endpoint-fields'
import { certificateWithKey } from './certificates'
import { checkbox, defineField, fail, integer, ok, presence, quote, singleLine } from './fields'
import { httpProperties, MAX_PROPERTIES } from './http-properties'
import { SECRET_URL } from './http-request'
import type { Parser } from './fields'
import { password } from './postgres'
import type { CheckContext, FieldIssue, ProviderSpec } from './types'
import { listNames } from '../wording'

const PLACEHOLDERS = ['username', 'password']
// A name stops at the next "$": otherwise a long run of "$(" scans to the end from each one.
const PLACEHOLDER = /\$\(([^)$]*)\)/g

/** A problem with the placeholders in a template, or undefined. */
function placeholderProblem(text: string): string | undefined {
  const unknown = [
    ...new Set(
      [...text.matchAll(PLACEHOLDER)]
        .map((match) => match[1] ?? '')
        .filter((name) => !PLACEHOLDERS.includes(name)),
    ),
  ]
  if (unknown.length > 0) {
    const named = unknown.map((name) => quote(`$(${name})`).slice(1, -1))
    return `unknown placeholder ${listNames(named, 5)}; only $(username) and $(password) are supported.`
  }
  if (text.replace(PLACEHOLDER, '').includes('$('))
    return 'has a "$(" without its closing ")"; placeholders are $(username) and $(password).'
  return undefined
}

// Placeholders fill the userinfo, path, query or fragment (URL-encoded); the whole URL may come
// from Password ($(password) alone, unencoded); never part of the scheme, host or port.
const urlTemplate: Parser = (value) => {
  if (value === SECRET_URL) return ok(value)
  if (value.startsWith('$('))
    return fail(
      `to take the whole URL from Password write exactly ${SECRET_URL}, with nothing around it (put the path and query in the secret too); otherwise start with https://.`,
    )
  const problem = placeholderProblem(value)
  if (problem) return fail(problem)
  let url: URL
  try {
    url = new URL(
      value.replaceAll('$(username)', 'u-placeholder').replaceAll('$(password)', 'p-placeholder'),
    )
  } catch {
    return fail(`${quote(value)} is not a URL; e.g. https://status.example.com/api/health.`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('must start with https:// or http://.')
  if (url.hostname.includes('-placeholder'))
    return fail(
      `the host cannot come from a placeholder; to take the whole URL from Password write exactly ${SECRET_URL}.`,
    )
  // Deliberately not quoted: the value holds a password.
  if (url.password && url.password !== 'p-placeholder')
    return fail(
      'contains a literal password. Write https://$(username):$(password)@host/… and fill in Username and Password, which are stored encrypted.',
    )
  return ok(value)
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const SENSITIVE = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'private-token',
  'x-auth-token',
])

/** One "Name: value" per line; normalized to "Name: value" with single spaces. */
const headers: Parser = (value) => {
  const lines: string[] = []
  for (const [index, raw] of value.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (line === '') continue
    const at = `line ${index + 1}`
    const colon = line.indexOf(':')
    const name = line.slice(0, Math.max(colon, 0)).trim()
    const headerValue = line.slice(colon + 1).trim()
    if (colon < 1) return fail(`${at} must look like "Name: value", e.g. Accept: application/json.`)
    if (!TOKEN.test(name))
      return fail(
        `${at}: ${quote(name)} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only).`,
      )
    if (/\p{Cc}/u.test(headerValue))
      return fail(`${at}: the value of ${name} has control characters.`)
    const problem = placeholderProblem(headerValue)
    if (problem) return fail(`${at}: ${problem}`)
    // Not quoted: a literal credential must not land in an unencrypted field or a message.
    if (SENSITIVE.has(name.toLowerCase()) && !headerValue.includes('$('))
      return fail(
        `${at} sets ${name} to a literal value, but headers are stored unencrypted. Put the credential in Password and write e.g. ${name}: Bearer $(password).`,
      )
    lines.push(`${name}: ${headerValue}`)
  }
  return lines.length > 0 ? ok(lines.join('\n')) : fail('has no "Name: value" lines.')
}

const url = defineField({
  key: 'url',
  label: 'URL template',
  required: true,
  input: 'url',
  example: 'https://$(username):$(password)@status.example.com/api/health',
  help: `The address to call. May contain $(username) and $(password), replaced with the fields below when the request is made (so they stay encrypted at rest). Or exactly ${SECRET_URL}: the whole URL is Password's value, never shown.`,
  parse: urlTemplate,
})
const headerLines = defineField({
  key: 'headers',
  label: 'Headers',
  input: 'textarea',
  example: 'Accept: application/json\nAuthorization: Bearer $(password)',
  help: 'Optional, one "Name: value" per line. Stored unencrypted: put tokens in Password and refer to them as $(password).',
  parse: headers,
})
const port = defineField({
  key: 'port',
  label: 'Port',
  input: 'number',
  example: '8443',
  help: "Optional: replaces the URL's port (1–65535), e.g. when the same URL template serves several environments.",
  parse: integer(1, 65535),
})
const properties = defineField({
  key: 'properties',
  label: 'Properties',
  input: 'pairs',
  help: `Optional settings your scripts read as BRIDGEKEEP_HTTP_PROPERTY_<NAME> (a tenant, an API version): a name (letters, digits, "_", "-", ".") and a value each, at most ${MAX_PROPERTIES}. Stored unencrypted: keep secrets in Password.`,
  parse: httpProperties,
})
const username = defineField({
  key: 'username',
  label: 'Username',
  example: 'monitor',
  help: 'Optional. Fills $(username); without placeholders, Username and Password are sent as HTTP Basic auth.',
  parse: singleLine(256),
})
const secretPassword = defineField({
  key: 'password',
  label: 'Password',
  secret: true,
  help: 'Optional password or token. Fills $(password); without placeholders it is sent as HTTP Basic auth with Username.',
  parse: password,
})

function check(
  values: Readonly<Record<string, string>>,
  _authMode: string,
  context?: CheckContext,
): FieldIssue[] {
  const has = presence(values, context)
  const templates = `${values[url.key] ?? ''}\n${values[headerLines.key] ?? ''}`
  const issues = [username, secretPassword]
    .filter((spec) => templates.includes(`$(${spec.key})`) && !has(spec.key))
    .map((spec) => ({
      field: spec.key,
      message: `${spec.label}: required because the URL template or headers use $(${spec.key}).`,
    }))
  if (values[httpCa.key] !== undefined && values.insecure_tls === 'true')
    issues.push({
      field: 'insecure_tls',
      message:
        'Skip TLS verification: turn it off when a CA certificate is given — the certificate is what makes the connection safe.',
    })
  return issues
}

const httpCa = caCertificateField('this endpoint')

export const http: ProviderSpec = {
  id: 'http',
  label: 'Generic HTTP',
  category: 'Generic',
  description: 'Any HTTP endpoint, with credentials filled into the URL or headers when called.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    url,
    defineField({
      key: 'method',
      label: 'Method',
      options: [
        { value: 'GET', label: 'GET' },
        { value: 'POST', label: 'POST' },
        { value: 'HEAD', label: 'HEAD' },
      ],
      defaultValue: 'GET',
      help: 'The HTTP method of the request.',
    }),
    port,
    headerLines,
    properties,
    username,
    secretPassword,
    defineField({
      key: 'client_certificate',
      label: 'Client certificate',
      secret: true,
      input: 'textarea',
      acceptsFile: true,
      help: 'Optional, for mutual TLS: the client certificate and its unencrypted private key, both in PEM (concatenate the .crt and .key files).',
      parse: certificateWithKey,
    }),
    defineField({
      key: 'insecure_tls',
      label: 'Skip TLS verification',
      input: 'checkbox',
      defaultValue: 'false',
      help: "Don't check the server's certificate. Anyone on the network path could then impersonate the server and capture the credentials. Only for test servers with self-signed certificates.",
      parse: checkbox,
    }),
    httpCa,
  ],
  check,
}

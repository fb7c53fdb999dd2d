import { certificatePem } from './certificates'
import { defineField, fail, host, integer, ok, singleLine } from './fields'
import type { Parser } from './fields'
import type { FieldIssue, ProviderSpec } from './types'

/** Passwords may hold spaces and symbols; only control characters are ruled out. */
export const password: Parser = (value) => {
  if (/\p{Cc}/u.test(value)) return fail('must be a single line without control characters.')
  return value.length <= 1024 ? ok(value) : fail('is too long (at most 1,024 characters).')
}

const VERIFYING = new Set(['verify-ca', 'verify-full'])

const sslmode = defineField({
  key: 'sslmode',
  label: 'SSL mode',
  options: [
    { value: 'disable', label: 'disable — no TLS' },
    { value: 'allow', label: 'allow — TLS only if the server insists' },
    { value: 'prefer', label: 'prefer — TLS if available, unverified' },
    { value: 'require', label: 'require — TLS, unverified' },
    { value: 'verify-ca', label: 'verify-ca — TLS, certificate checked' },
    { value: 'verify-full', label: 'verify-full — TLS, certificate and host name checked' },
  ],
  defaultValue: 'prefer',
  help: "As libpq's sslmode. Only verify-ca and verify-full protect against an impostor server; use verify-full with managed databases (RDS, Cloud SQL, Azure) and their CA bundle.",
})
const caCertificate = defineField({
  key: 'ca_certificate',
  label: 'CA certificate',
  input: 'textarea',
  acceptsFile: true,
  help: "The CA bundle that signed the server's certificate (libpq's sslrootcert), in PEM; e.g. the RDS global bundle. Required for verify-ca and verify-full.",
  parse: certificatePem,
})

function check(values: Readonly<Record<string, string>>): FieldIssue[] {
  const mode = values[sslmode.key] ?? 'prefer'
  const hasCa = values[caCertificate.key] !== undefined
  if (VERIFYING.has(mode) && !hasCa)
    return [
      {
        field: caCertificate.key,
        message: `CA certificate: required with SSL mode ${mode}, which checks the server against it. Paste the provider's CA bundle, or choose require.`,
      },
    ]
  if (mode === 'disable' && hasCa)
    return [
      {
        field: caCertificate.key,
        message:
          'CA certificate: not used with SSL mode disable. Remove it, or choose verify-full.',
      },
    ]
  return []
}

export const postgres: ProviderSpec = {
  id: 'postgres',
  label: 'PostgreSQL',
  category: 'Databases',
  description: 'A PostgreSQL login: host, database, user and password, with TLS settings.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'host',
      label: 'Host',
      required: true,
      example: 'db.internal.example.com',
      help: "Host name or IP address of the server (RDS: the instance's Endpoint; Cloud SQL: its IP or the Auth Proxy's address).",
      parse: host('db.internal.example.com'),
    }),
    defineField({
      key: 'port',
      label: 'Port',
      input: 'number',
      example: '5432',
      defaultValue: '5432',
      help: 'The TCP port; 5432 unless the server or a pooler (PgBouncer: often 6432) says otherwise.',
      parse: integer(1, 65535),
    }),
    defineField({
      key: 'database',
      label: 'Database',
      required: true,
      example: 'app_production',
      help: 'The database to connect to.',
      parse: singleLine(63),
    }),
    defineField({
      key: 'user',
      label: 'User',
      required: true,
      example: 'deploy',
      help: 'The role to log in as. Give it only the privileges your pipelines need.',
      parse: singleLine(63),
    }),
    defineField({
      key: 'password',
      label: 'Password',
      secret: true,
      required: true,
      help: "The role's password.",
      missing: "Enter the role's password.",
      parse: password,
    }),
    sslmode,
    caCertificate,
  ],
  check,
}

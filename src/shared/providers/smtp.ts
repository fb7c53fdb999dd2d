import { caCertificateField } from './endpoint-fields'
import { defineField, host, integer, singleLine } from './fields'
import { password } from './postgres'
import type { FieldIssue, ProviderSpec } from './types'

// A mail server login. The check signs in and leaves without sending anything (runner's smtp.ts).

/** The port each security mode uses when the Port field is empty. */
export const smtpDefaultPorts: Readonly<Record<string, string>> = {
  starttls: '587',
  tls: '465',
  none: '25',
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1'])

const hostField = defineField({
  key: 'host',
  label: 'Host',
  required: true,
  example: 'smtp.example.com',
  help: "The mail server's submission host, e.g. smtp.gmail.com, smtp.office365.com, email-smtp.eu-west-1.amazonaws.com or smtp.sendgrid.net.",
  missing:
    "Enter the mail server's host name, e.g. smtp.example.com (your mail provider's SMTP settings page names it).",
  parse: host('smtp.example.com'),
})
const security = defineField({
  key: 'security',
  label: 'Security',
  options: [
    { value: 'starttls', label: 'STARTTLS — plain connection upgraded to TLS (port 587)' },
    { value: 'tls', label: 'TLS — encrypted from the first byte (port 465)' },
    { value: 'none', label: 'None — unencrypted, only for a server on this machine' },
  ],
  defaultValue: 'starttls',
  help: 'How the connection is encrypted. STARTTLS is required to succeed: a server that does not offer it fails the check rather than receiving the password in clear.',
})
const port = defineField({
  key: 'port',
  label: 'Port',
  input: 'number',
  example: '587',
  help: 'The TCP port. Empty: 587 for STARTTLS, 465 for TLS, 25 for none.',
  parse: integer(1, 65535),
})

function check(values: Readonly<Record<string, string>>): FieldIssue[] {
  const mode = values[security.key] ?? 'starttls'
  const serverHost = values[hostField.key]
  const issues: FieldIssue[] = []
  if (mode === 'none' && serverHost !== undefined && !LOOPBACK_HOSTS.has(serverHost))
    issues.push({
      field: security.key,
      message:
        'Security: "none" would send the password unencrypted over the network, so it is only allowed for a server on this machine (localhost, 127.0.0.1 or ::1). Choose STARTTLS (port 587) or TLS (port 465).',
    })
  if (mode === 'starttls' && values[port.key] === '465')
    issues.push({
      field: port.key,
      message:
        'Port: 465 expects TLS from the first byte. Choose Security "TLS", or use port 587 for STARTTLS.',
    })
  if (mode === 'tls' && (values[port.key] === '587' || values[port.key] === '25'))
    issues.push({
      field: port.key,
      message: `Port: ${values[port.key]} speaks plain SMTP first and upgrades with STARTTLS. Choose Security "STARTTLS", or use port 465 for TLS.`,
    })
  return issues
}

export const smtp: ProviderSpec = {
  id: 'smtp',
  label: 'SMTP',
  category: 'Notifications',
  description:
    'A mail server login (host, port, security, username and password) for sending mail.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    hostField,
    security,
    port,
    defineField({
      key: 'username',
      label: 'Username',
      required: true,
      example: 'alerts@example.com',
      help: 'The SMTP login: usually the mailbox address; SendGrid uses "apikey", Amazon SES its SMTP user name (not an access key ID).',
      missing: 'Enter the SMTP login, usually the sending mailbox address.',
      parse: singleLine(256),
    }),
    defineField({
      key: 'password',
      label: 'Password',
      secret: true,
      required: true,
      help: "The SMTP password. Prefer an app password (Google, Microsoft 365) or an SMTP credential (SES, SendGrid API key) to the mailbox's own password.",
      missing:
        "Enter the SMTP password or app password (your mail provider's security settings create one).",
      parse: password,
    }),
    caCertificateField('the mail server'),
  ],
  check,
}

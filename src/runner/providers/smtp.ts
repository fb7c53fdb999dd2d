import type SMTPTransport from 'nodemailer/lib/smtp-transport'
import { smtpDefaultPorts } from '../../shared/providers/smtp'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidInput } from './define-operations'
import { onFirstUse } from './sdk'

// SMTP: nodemailer's verify() connects, says EHLO, upgrades with STARTTLS (or speaks TLS from the
// start), signs in and says QUIT. No MAIL FROM is ever sent, so checking never delivers mail.

/** nodemailer, loaded on the first SMTP verify (./sdk). */
const nodemailer = onFirstUse(async () => (await import('nodemailer')).default)

const SECURITY_LABELS: Record<string, string> = {
  starttls: 'STARTTLS',
  tls: 'TLS',
  none: 'none (loopback)',
}

const CERTIFICATE_WORDS = /certificate|self[- ]signed|altnames/i

interface SmtpError {
  code?: string
  responseCode?: number
  response?: string
  message?: string
}

function classify(error: unknown, where: string, mode: string): OperationFailure {
  if (error instanceof OperationFailure) return error
  const { code, responseCode, response, message = '' } = error as SmtpError
  const said = (response ?? message).replace(/\s+/g, ' ').slice(0, 200)
  if (code === 'EAUTH' && (responseCode === 535 || responseCode === 534))
    return failure(
      'authentication',
      `${where} refused the username and password (${said}).`,
      'Check the username, and create a new password or app password with your mail provider; then rotate this connection.',
    )
  if (code === 'EAUTH' && responseCode === 530)
    return failure(
      'invalid-config',
      `${where} wants TLS before signing in (${said}).`,
      'Choose Security "STARTTLS" (port 587) or "TLS" (port 465).',
    )
  if (code === 'EAUTH' && responseCode !== undefined && responseCode >= 500)
    return failure(
      'invalid-config',
      `${where} does not accept a sign-in here (${said}).`,
      'Use the submission host and port your mail provider names for authenticated sending (usually port 587 or 465), not a relay port.',
    )
  // nodemailer replaces a TLS error's own code with its own (ETLS, ESOCKET): read the words.
  if (CERTIFICATE_WORDS.test(message))
    return failure(
      'untrusted-certificate',
      `the certificate of ${where} is not trusted (${said}).`,
      /altnames/i.test(message)
        ? "Use the host name the server's certificate was issued for."
        : "Add the CA certificate that signed the server's certificate to the connection (CA certificate field).",
    )
  if (/wrong version number|packet length too long/i.test(message))
    return failure(
      'invalid-config',
      `${where} does not speak TLS from the first byte.`,
      'Choose Security "STARTTLS" for this port, or use port 465 for TLS.',
    )
  if (code === 'ETLS')
    return failure(
      'invalid-config',
      `${where} did not upgrade the connection with STARTTLS (${said}).`,
      'The password is never sent unencrypted: use the port that offers STARTTLS (587), or Security "TLS" on port 465.',
    )
  if (/Greeting never received/i.test(message))
    return failure(
      'unreachable',
      `${where} accepted the connection but sent no SMTP greeting.`,
      mode === 'tls'
        ? 'Check that the port speaks SMTP over TLS (465 usually).'
        : 'A port that expects TLS from the first byte (465) stays silent: choose Security "TLS" for it.',
    )
  return (
    transportFailure(error, where) ??
    unexpected(`${where} answered in an unexpected way (${code ?? 'no code'}: ${said}).`)
  )
}

async function verify({ config, secrets }: ValidInput, context: OperationBudget): Promise<Proof> {
  const host = config.host ?? ''
  const mode = config.security ?? 'starttls'
  const port = Number(config.port ?? smtpDefaultPorts[mode])
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const timeout = context.remainingMs()
  const options: SMTPTransport.Options & { forceAuth: boolean } = {
    host,
    port,
    secure: mode === 'tls',
    // STARTTLS must succeed: a server that does not offer it fails the check instead of
    // receiving the password in clear.
    requireTLS: mode === 'starttls',
    ignoreTLS: mode === 'none',
    auth: { user: config.username ?? '', pass: secrets.password ?? '' },
    // Sign in even when the server advertises no AUTH: otherwise an open relay would pass the
    // check without the credentials ever being tried.
    forceAuth: true,
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  }
  const transport = (await nodemailer()).createTransport(options)
  try {
    await transport.verify()
  } catch (error) {
    throw classify(error, where, mode)
  } finally {
    transport.close()
  }
  return {
    identity: {
      label: `${config.username}@${where}`,
      details: {
        server: where,
        user: config.username ?? '',
        security: SECURITY_LABELS[mode] ?? mode,
      },
    },
  }
}

export const smtpOperations = defineOperations('smtp', { verify })

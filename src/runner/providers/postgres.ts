import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidConnection } from './define-operations'
import { onFirstUse } from './sdk'
import { sslFor, type Ssl } from './postgres-tls'

// PostgreSQL: log in with pg, run SELECT 1 and read the server version and whether TLS is on.
// sslmode follows libpq: disable, allow, prefer (TLS if the server offers it, unverified),
// require (unverified, or verify-ca when a CA is given, as libpq does with a root certificate),
// verify-ca (the CA signed the certificate) and verify-full (and it names the host).

/** node-postgres, loaded on the first PostgreSQL verify (./sdk). */
const postgresClient = onFirstUse(async () => (await import('pg')).default.Client)

const NO_SSL = /does not support SSL/i

function classify(error: unknown, where: string, config: Readonly<Record<string, string>>) {
  if (error instanceof OperationFailure) return error
  const transport = transportFailure(error, where)
  if (transport) return transport
  const { code, message } = error as { code?: string; message?: string }
  const text = (message ?? '').slice(0, 200)
  switch (code) {
    case '28P01':
      return failure(
        'authentication',
        `the server refused the password (${text}).`,
        'Check the user and password, or set a new password (ALTER ROLE … PASSWORD) and rotate this connection.',
      )
    case '28000':
      return failure(
        'permission',
        `the server does not accept this login from here (${text}).`,
        'Ask the database administrator for a pg_hba.conf entry for this user, database and address (and TLS setting).',
      )
    case '3D000':
      return failure(
        'wrong-target',
        `the database ${config.database} does not exist on ${where}.`,
        'Correct the database name, or check that the host is the intended server.',
      )
    case '42501':
      return failure(
        'permission',
        `the user may not connect to ${config.database} (${text}).`,
        'Grant the user CONNECT on the database.',
      )
    case '53300':
    case '57P03':
      return failure(
        'unreachable',
        `${where} does not take connections now (${text}).`,
        'The server is starting, shutting down or full; the next check will try again.',
      )
  }
  if (NO_SSL.test(text))
    return failure(
      'invalid-config',
      `${where} does not support TLS, but SSL mode ${config.sslmode} requires it.`,
      'Enable TLS on the server, or choose SSL mode prefer or disable.',
    )
  if (/timeout|terminated unexpectedly/i.test(text))
    return failure(
      'unreachable',
      `${where} did not complete the login in time.`,
      'Check that the host and port point at PostgreSQL and that a firewall does not drop the connection.',
    )
  return unexpected(`${where} answered in an unexpected way (${code ?? text}).`)
}

async function attempt(connection: ValidConnection, ssl: Ssl, context: OperationBudget) {
  const { config, secrets } = connection
  const Client = await postgresClient()
  const timeout = context.remainingMs()
  const client = new Client({
    host: config.host,
    port: Number(config.port ?? 5432),
    database: config.database,
    user: config.user,
    password: secrets.password,
    ssl,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    application_name: 'bridgekeep-verify',
  })
  client.on('error', () => undefined) // a late socket error after end() must not crash the runner
  const abort = () => void client.end().catch(() => undefined)
  context.signal.addEventListener('abort', abort, { once: true })
  try {
    await client.connect()
    const { rows } = await client.query<{
      ok: number
      version: string
      user: string
      tls: boolean | null
    }>(
      `SELECT 1 AS ok, current_setting('server_version') AS version, current_user AS user,
              (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls`,
    )
    const row = rows[0]
    if (row?.ok !== 1) throw unexpected('SELECT 1 did not return 1.')
    return row
  } finally {
    context.signal.removeEventListener('abort', abort)
    await client.end().catch(() => undefined)
  }
}

async function verify(connection: ValidConnection, context: OperationBudget): Promise<Proof> {
  const { config } = connection
  const host = config.host ?? ''
  const where = `${host.includes(':') ? `[${host}]` : host}:${config.port ?? 5432}`
  const mode = config.sslmode ?? 'prefer'
  const ssl = sslFor(mode, host, config.ca_certificate)
  let row
  try {
    try {
      row = await attempt(connection, ssl, context)
    } catch (error) {
      const text = (error as Error).message ?? ''
      // prefer falls back to plain when the server has no TLS; allow upgrades when it insists.
      if (mode === 'prefer' && NO_SSL.test(text)) row = await attempt(connection, false, context)
      else if (mode === 'allow' && (error as { code?: string }).code === '28000')
        row = await attempt(connection, { rejectUnauthorized: false }, context)
      else throw error
    }
  } catch (error) {
    throw classify(error, where, config)
  }
  return {
    identity: {
      label: `${row.user}@${where}/${config.database}`,
      details: {
        serverVersion: row.version,
        user: row.user,
        database: config.database ?? '',
        tls: row.tls ? (mode.startsWith('verify') ? `on, ${mode}` : 'on, unverified') : 'off',
      },
    },
  }
}

export const postgresOperations = defineOperations('postgres', { verify })

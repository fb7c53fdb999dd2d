import { callApi, errorMessage, statusFailure } from './https-check'
import type { ApiCall } from './https-check'
import { failure } from './failure'
import { endpointName } from './http-client'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidConnection } from './define-operations'
import { fillPlaceholders, httpUrl, urlIsSecret } from '../../shared/providers/http-request'
import { isBridgekeepError } from '../../shared/errors'

/** The URL to call; one that is not a URL once filled in is the connection's configuration. */
function targetUrl(config: ValidConnection['config'], secrets: ValidConnection['secrets']): string {
  try {
    return httpUrl(config, secrets)
  } catch (error) {
    if (!isBridgekeepError(error)) throw error
    throw failure('invalid-config', error.message, error.hint ?? 'Check the URL of the connection.')
  }
}

// Generic HTTP: the connection's templated request, with $(username) and $(password) filled in
// (URL-encoded in the URL, as they are in headers) or the whole URL taken from Password, the
// port field applied, user:password@ in the URL sent as Basic auth, and Basic auth from the two
// fields when no template uses them. Any 2xx or 3xx is healthy. Messages name only the scheme,
// host and port: the path and query may hold the password (and the whole URL may be a secret).

const KEY_BLOCK = /-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/
const CERT_BLOCKS = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

function request({ config, secrets }: ValidConnection) {
  const values = { username: config.username ?? '', password: secrets.password ?? '' }
  const url = new URL(targetUrl(config, secrets))
  const headers: Record<string, string> = {}
  for (const line of (config.headers ?? '').split('\n').filter(Boolean)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = fillPlaceholders(
      line.slice(colon + 1).trim(),
      values,
      false,
    )
  }
  const templated = `${config.url ?? ''}\n${config.headers ?? ''}`.includes('$(')
  if (url.username || url.password) {
    headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    url.username = ''
    url.password = ''
  } else if (!templated && (values.username || values.password) && !headers.authorization) {
    headers.authorization = `Basic ${Buffer.from(`${values.username}:${values.password}`).toString('base64')}`
  }
  return { url, headers }
}

async function verify(connection: ValidConnection, context: OperationBudget): Promise<Proof> {
  const { config, secrets } = connection
  const { url, headers } = request(connection)
  const method = config.method ?? 'GET'
  // A URL taken whole from Password is a secret: not even its host is named.
  const where = urlIsSecret(config.url) ? 'the URL in Password' : endpointName(url)
  const clientPem = secrets.client_certificate
  const call: ApiCall = {
    method,
    headers,
    ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    ...(clientPem
      ? {
          cert: (clientPem.match(CERT_BLOCKS) ?? []).join('\n'),
          key: KEY_BLOCK.exec(clientPem)?.[0] ?? '',
        }
      : {}),
    ...(config.insecure_tls === 'true' ? { insecure: true } : {}),
    name: where,
  }
  const response = await callApi(url.toString(), call, context)
  if (response.status < 200 || response.status >= 400) {
    if (response.status === 404)
      throw failure(
        'wrong-target',
        `${where} has nothing at the requested path (HTTP 404).`,
        'Check the URL template of the connection.',
      )
    throw statusFailure(response, where, {
      service: where,
      ...(errorMessage(response) ? { said: errorMessage(response)! } : {}),
      authentication:
        'Check the username and password (or token) of the connection, and rotate it if they changed.',
      permission: 'Check that these credentials may call this endpoint.',
    })
  }
  return {
    identity: {
      label: `${method} ${where} → HTTP ${response.status}`,
      details: { endpoint: where, method, status: String(response.status) },
    },
    ...(config.insecure_tls === 'true'
      ? { notes: ["The server's certificate was not checked (Skip TLS verification is on)."] }
      : {}),
  }
}

export const httpOperations = defineOperations('http', { verify })

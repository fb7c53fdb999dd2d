import { callApi, errorMessage, statusFailure } from './https-check'
import type { ApiCall } from './https-check'
import { failure } from './failure'
import { endpointName } from './http-client'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidConnection } from './define-operations'

// Generic HTTP: the connection's templated request, with $(username) and $(password) filled in
// (URL-encoded in the URL, as they are in headers), user:password@ in the URL sent as Basic auth,
// and Basic auth from the two fields when no template uses them. Any 2xx or 3xx is healthy.
// Messages name only the scheme, host and port: the path and query may hold the password.

const KEY_BLOCK = /-----BEGIN ((?:RSA |EC )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/
const CERT_BLOCKS = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

function fill(
  template: string,
  values: { username: string; password: string },
  encode: boolean,
): string {
  const value = (text: string) => (encode ? encodeURIComponent(text) : text)
  return template
    .replaceAll('$(username)', value(values.username))
    .replaceAll('$(password)', value(values.password))
}

function request({ config, secrets }: ValidConnection) {
  const values = { username: config.username ?? '', password: secrets.password ?? '' }
  const url = new URL(fill(config.url ?? '', values, true))
  const headers: Record<string, string> = {}
  for (const line of (config.headers ?? '').split('\n').filter(Boolean)) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = fill(
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
  const where = endpointName(url)
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

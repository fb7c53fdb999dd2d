import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { endpointName, httpRequest, jsonBody } from './http-client'
import type { HttpResponse } from './http-client'
import type { OperationBudget } from './define-operations'

// Shared by the providers whose check is one authenticated HTTPS call to an account or user
// endpoint (DigitalOcean, Civo, Cloudflare, GitHub, GitLab, registries, Kubernetes, and the
// notification services but SMTP).

export interface ApiCall {
  method?: string
  headers?: Record<string, string>
  body?: string
  /** The connection's CA certificate, if any. */
  ca?: string
  cert?: string
  key?: string
  insecure?: boolean
  /** Larger answers are cut off (httpRequest's default, 1 MiB, unless set). */
  maxBytes?: number
  /** How messages name the endpoint; its scheme, host and port when absent. */
  name?: string
}

/** One request within the operation's budget; transport problems become classified failures. */
export async function callApi(
  url: string,
  call: ApiCall,
  context: OperationBudget,
): Promise<HttpResponse> {
  try {
    return await httpRequest(url, {
      ...(call.method ? { method: call.method } : {}),
      ...(call.headers ? { headers: call.headers } : {}),
      ...(call.body !== undefined ? { body: call.body } : {}),
      tls: {
        ...(call.ca ? { ca: call.ca } : {}),
        ...(call.cert ? { cert: call.cert } : {}),
        ...(call.key ? { key: call.key } : {}),
        ...(call.insecure ? { insecure: true } : {}),
      },
      ...(call.maxBytes ? { maxBytes: call.maxBytes } : {}),
      signal: context.signal,
      timeoutMs: context.remainingMs(),
    })
  } catch (error) {
    if (error instanceof OperationFailure) throw error
    const where = call.name ?? endpointName(url)
    throw transportFailure(error, where) ?? unexpected(`${where} could not be reached.`)
  }
}

export interface StatusRemedies {
  /** Named in messages: "GitHub", "the DigitalOcean API". */
  service: string
  authentication: string
  permission: string
  /** What the service's own error said, when it says something useful. */
  said?: string
}

/** The failure for a non-2xx answer: 401 authentication, 403 permission, 404 wrong target... */
export function statusFailure(response: HttpResponse, where: string, remedies: StatusRemedies) {
  const said = remedies.said ? ` (${remedies.said.slice(0, 200)})` : ''
  const status = response.status
  if (status === 401)
    return failure(
      'authentication',
      `${remedies.service} rejected the credentials${said}.`,
      remedies.authentication,
    )
  if (status === 403)
    return failure('permission', `${remedies.service} refused access${said}.`, remedies.permission)
  if (status === 404)
    return failure(
      'wrong-target',
      `${where} has no such endpoint (HTTP 404)${said}.`,
      'Check the API base URL of the connection.',
    )
  if (status === 429)
    return failure(
      'unreachable',
      `${remedies.service} is rate limiting this machine (HTTP 429).`,
      'Wait a little; the next check will try again.',
    )
  if (status >= 500)
    return failure(
      'unreachable',
      `${where} answered HTTP ${status}.`,
      `${remedies.service} is having trouble; the next check will try again.`,
    )
  return unexpected(`${where} answered HTTP ${status}${said}.`)
}

/**
 * "Unreachable" for a rate limit (429) or a server error (5xx), else undefined: for APIs whose
 * other failures are answers of their own shape (Telegram's and Pushover's JSON with HTTP 400).
 */
export function unavailable(response: HttpResponse, where: string, service: string) {
  if (response.status !== 429 && response.status < 500) return undefined
  // Neither remedy applies to these statuses.
  return statusFailure(response, where, { service, authentication: '', permission: '' })
}

/** The JSON object of a 2xx answer; anything else fails with `statusFailure`. */
export function okJson(
  response: HttpResponse,
  where: string,
  remedies: StatusRemedies,
): Record<string, unknown> {
  if (response.status >= 200 && response.status < 300) return jsonBody(response, where)
  throw statusFailure(response, where, remedies)
}

/** A string field of an API answer, or undefined. */
export function field(value: unknown, ...path: string[]): string | undefined {
  let current = value
  for (const key of path)
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[key]
        : undefined
  if (typeof current === 'string' && current !== '') return current
  if (typeof current === 'number') return String(current)
  return undefined
}

/** The `message`/`error_description`/`errors[0].message`/`details` of a JSON error body, if any. */
export function errorMessage(response: HttpResponse): string | undefined {
  try {
    const body = JSON.parse(response.body) as Record<string, unknown>
    const errors = Array.isArray(body.errors) ? (body.errors[0] as unknown) : undefined
    return (
      field(body, 'error_description') ??
      field(body, 'message') ??
      field(errors, 'message') ??
      field(body, 'reason') ??
      field(body, 'details') ??
      field(body, 'error')
    )
  } catch {
    return undefined
  }
}

/** An ISO time from the date formats APIs use ("2025-01-01 00:00:00 UTC", "2025-01-01"...). */
export function isoTime(value: string | undefined): string | undefined {
  if (!value) return undefined
  const normalized = value
    .trim()
    .replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})/, '$1T$2')
    .replace(/ ?UTC$/, 'Z')
    .replace(/ ([+-]\d{2})(\d{2})$/, '$1:$2')
  const time = Date.parse(normalized)
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

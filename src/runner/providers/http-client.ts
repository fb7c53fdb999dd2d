import http from 'node:http'
import type { IncomingHttpHeaders } from 'node:http'
import https from 'node:https'
import { unexpected } from './failure'

// A small HTTP(S) client over node:http, so each request can carry its connection's own CA
// certificate and client certificate (fetch in Node 20 cannot without an undici dispatcher,
// and undici is not a dependency of the app). No redirects are followed: a verify talks to the
// endpoint it was given.

export interface TlsOptions {
  /** PEM CA bundle that replaces the system's trusted CAs for this request. */
  ca?: string
  /** PEM client certificate and key, for mutual TLS. */
  cert?: string
  key?: string
  /** Only the HTTP provider's explicit "Skip TLS verification" and Kubernetes' own flag. */
  insecure?: boolean
}

export interface HttpOptions {
  method?: string
  headers?: Record<string, string>
  body?: string
  tls?: TlsOptions
  signal: AbortSignal
  timeoutMs: number
  /** Larger bodies are cut off (and no more is read): a verify needs a few kilobytes at most. */
  maxBytes?: number
}

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

export function httpRequest(target: string | URL, options: HttpOptions): Promise<HttpResponse> {
  const url = typeof target === 'string' ? new URL(target) : target
  const secure = url.protocol === 'https:'
  const transport = secure ? https : http
  const maxBytes = options.maxBytes ?? 1024 * 1024
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          'user-agent': 'Bridgekeep-runner',
          ...(options.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(options.body)) }
            : {}),
          ...options.headers,
        },
        signal: options.signal,
        timeout: options.timeoutMs,
        // A fresh connection per request: no socket outlives the operation that used its CA.
        agent: false,
        ...(secure
          ? {
              ca: options.tls?.ca,
              cert: options.tls?.cert,
              key: options.tls?.key,
              rejectUnauthorized: options.tls?.insecure !== true,
            }
          : {}),
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        const answer = () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          })
        response.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size <= maxBytes) return void chunks.push(chunk)
          // Cut off: what was read is the answer, and the rest is not waited for (an endless
          // body would otherwise be read until the budget ends).
          answer()
          request.destroy()
        })
        response.on('end', answer)
        response.on('error', reject)
      },
    )
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

/** The JSON body of a response, or an "unexpected answer" failure naming the endpoint. */
export function jsonBody(response: HttpResponse, where: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(response.body)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {
    // reported below
  }
  throw unexpected(`${where} answered HTTP ${response.status} without the expected JSON.`)
}

/** A header's value, the first one when repeated. */
export function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

/** Where a request went, for messages: scheme, host and port only (never userinfo or query). */
export function endpointName(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url) : url
  return `${parsed.protocol}//${parsed.host}`
}

import { errorClassPrefixes } from '../../shared/operations'
import type { ErrorClass, Identity, OperationError } from '../../shared/operations'

/**
 * A classified failure. Providers throw it with a detail sentence and a remedy; the message gets
 * the class's prefix ("Authentication failed: <detail>"). Details must never quote a secret (the
 * result is scrubbed as well, as a last line of defence).
 */
export class OperationFailure extends Error {
  override readonly name = 'OperationFailure'
  constructor(
    readonly errorClass: ErrorClass,
    readonly detail: string,
    readonly remedy: string,
    /** What was proven before the failure (the account that is not the expected one). */
    readonly identity?: Identity,
  ) {
    super(`${errorClassPrefixes[errorClass]}: ${detail}`)
  }

  toError(): OperationError {
    return { class: this.errorClass, message: this.message, remedy: this.remedy }
  }
}

export const failure = (
  errorClass: ErrorClass,
  detail: string,
  remedy: string,
  identity?: Identity,
) => new OperationFailure(errorClass, detail, remedy, identity)

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused (nothing listens there)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
  ESOCKETTIMEDOUT: 'the connection timed out',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed while sending',
  EPROTO: 'the TLS handshake failed (is it an https endpoint?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the TLS handshake failed (is it an https endpoint?)',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  TimeoutError: 'the endpoint did not answer in time',
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
])

/** Every code (and name) along an error's cause chain, nested errors included. */
export function errorCodes(error: unknown, depth = 0): string[] {
  if (depth > 6 || typeof error !== 'object' || error === null) return []
  const record = error as Record<string, unknown>
  const own = [record.code, record.errno, record.name].filter(
    (value): value is string => typeof value === 'string',
  )
  const nested = [record.cause, record.error, record.originalError]
  const children = Array.isArray(record.errors) ? record.errors : []
  return [...own, ...[...nested, ...children].flatMap((inner) => errorCodes(inner, depth + 1))]
}

/** Messages of SDKs that report a network failure in words only. */
const NETWORK_MESSAGES = /\bnetwork_error\b|\bnetwork error\b|\bsocket hang up\b|\bfetch failed\b/i

/** Every message along an error's cause chain (depth-limited like errorCodes). */
function errorMessages(error: unknown, depth = 0): string[] {
  if (depth > 6 || typeof error !== 'object' || error === null) return []
  const record = error as Record<string, unknown>
  const own = typeof record.message === 'string' ? [record.message] : []
  const nested = [record.cause, record.error, record.originalError]
  const children = Array.isArray(record.errors) ? record.errors : []
  return [...own, ...[...nested, ...children].flatMap((inner) => errorMessages(inner, depth + 1))]
}

/**
 * Transport failures every provider shares: refused, unresolvable, timed out, or a certificate
 * that is not trusted. `where` names the endpoint (a non-secret host or URL).
 */
export function transportFailure(error: unknown, where: string): OperationFailure | undefined {
  const codes = errorCodes(error)
  const tls = codes.find((code) => TLS_CODES.has(code))
  if (tls)
    return failure(
      'untrusted-certificate',
      `the certificate of ${where} is not trusted (${tls}).`,
      tls === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? "Use the host name the server's certificate was issued for, or a certificate that names this host."
        : "Add the CA certificate that signed the server's certificate to the connection (CA certificate field).",
    )
  const network = codes.find((code) => code in NETWORK_CODES)
  if (network)
    return failure(
      'unreachable',
      `${where}: ${NETWORK_CODES[network]} (${network}).`,
      'Check the endpoint address and that this machine can reach it (VPN, proxy, firewall).',
    )
  // Some SDKs flatten a network failure into a message and drop its cause (MSAL says only
  // "network_error"): read the messages along the chain too, so every provider calls an offline
  // machine "unreachable", never "an unexpected answer".
  const said = errorMessages(error).join('\n')
  const named = Object.keys(NETWORK_CODES).find((code) => new RegExp(`\\b${code}\\b`).test(said))
  if (named)
    return failure(
      'unreachable',
      `${where}: ${NETWORK_CODES[named]} (${named}).`,
      'Check the endpoint address and that this machine can reach it (VPN, proxy, firewall).',
    )
  if (NETWORK_MESSAGES.test(said))
    return failure(
      'unreachable',
      `${where}: the request failed on the network before an answer arrived.`,
      'Check that this machine is online and can reach the endpoint (VPN, proxy, firewall).',
    )
  if (codes.includes('AbortError'))
    return failure(
      'unreachable',
      `${where} did not answer in time.`,
      'Check that the endpoint is up and reachable from this machine, or allow a longer timeout.',
    )
  return undefined
}

/** An answer that fits no known shape (a proxy's HTML page, an empty body...). */
export function unexpected(detail: string): OperationFailure {
  return failure(
    'unexpected',
    detail,
    'Check that the endpoint address points at the service itself, not at a proxy or a web page.',
  )
}

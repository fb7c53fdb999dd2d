import http from 'node:http'
import https from 'node:https'
import type { CredentialSet } from '../../shared/agent-answers'
import { BridgekeepError } from '../../shared/errors'
import { Sha256 } from './node-sha256'

/**
 * An Amazon ECR registry login, as docker-credential-ecr-login makes it: ECR's
 * GetAuthorizationToken (AWS JSON 1.1, signed SigV4 for `ecr` in the registry's region) with the
 * AWS credentials the ECR connection uses (its own keys, or those of the AWS connection it
 * borrows, issued for this use), whose token is base64("AWS:<password>"). The password lasts
 * 12 hours; nothing is kept: docker asks again for every pull or push, and so does this helper.
 */

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken'
/** For the whole call, not per byte: an endpoint trickling its answer must not hang docker. */
const TIMEOUT_MS = 15_000
const MAX_ANSWER_BYTES = 64 * 1024
/** An ECR registry password: printable ASCII (it is base64 text), as docker sends it on. */
const REGISTRY_PASSWORD = /^[\x21-\x7e]+$/

export async function ecrLogin(
  credentials: CredentialSet,
  options: { now?: Date; timeoutMs?: number } = {},
): Promise<{ Username: string; Secret: string }> {
  const now = options.now ?? new Date()
  const { config } = credentials
  const keys = credentials.linked?.aws_connection?.secrets ?? credentials.secrets
  const accessKeyId = keys.access_key_id
  const secretAccessKey = keys.secret_access_key
  if (!accessKeyId || !secretAccessKey)
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      "This ECR connection has no AWS keys to ask ECR for a login with (its AWS connection uses the runner's own identity).",
      'Borrow an AWS connection with stored keys, a role or IAM Identity Center, or give the ECR connection its own access keys.',
    )
  const region = config.region ?? 'us-east-1'
  const endpoint = new URL(config.ecr_endpoint || `https://api.ecr.${region}.amazonaws.com`)
  const body = '{}'
  // Loaded for ECR only: every other helper call would pay for it.
  const { SignatureV4 } = await import('@smithy/signature-v4')
  const signer = new SignatureV4({
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(keys.session_token ? { sessionToken: keys.session_token } : {}),
    },
    region,
    service: 'ecr',
    sha256: Sha256,
  })
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname,
      headers: {
        host: endpoint.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': TARGET,
      },
      body,
    },
    { signingDate: now },
  )
  const where = endpoint.origin
  // AWS's messages may quote the credential scope: the key id, never the secret; both go.
  const scrub = (text: string) =>
    [accessKeyId, secretAccessKey, keys.session_token ?? '']
      .filter((secret) => secret.length >= 4)
      .reduce((out, secret) => out.split(secret).join('[redacted]'), text)
  const answer = await post(endpoint, signed.headers as Record<string, string>, body, config, {
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
  })
  const parsed = parseJson(answer.body)
  if (answer.status !== 200) {
    const type = printable(String(parsed?.__type ?? `HTTP ${answer.status}`).replace(/^.*#/, ''))
    const message =
      typeof parsed?.message === 'string' ? `: ${printable(parsed.message.slice(0, 300))}` : ''
    throw new BridgekeepError(
      'CREDENTIALS_NOT_ISSUED',
      scrub(`Amazon ECR (${where}) refused GetAuthorizationToken: ${type}${message}`),
      /AccessDenied/.test(type)
        ? 'Allow ecr:GetAuthorizationToken to the AWS identity the ECR connection uses.'
        : "Check the ECR connection's AWS credentials (bridgekeep verify <ecr connection>) and its region.",
    )
  }
  const data = Array.isArray(parsed?.authorizationData)
    ? (parsed.authorizationData[0] as { authorizationToken?: unknown } | undefined)
    : undefined
  const decoded =
    typeof data?.authorizationToken === 'string'
      ? Buffer.from(data.authorizationToken, 'base64').toString('latin1')
      : ''
  // ECR's login is always AWS and a base64 password; anything else (another user, control
  // characters docker would send on in a header, a token that was not base64) is not a login.
  if (!decoded.startsWith('AWS:') || !REGISTRY_PASSWORD.test(decoded.slice(4)))
    throw new BridgekeepError(
      'CREDENTIALS_NOT_ISSUED',
      `Amazon ECR (${where}) answered GetAuthorizationToken without a registry login.`,
      'Check that the ECR API endpoint of the connection is an ECR API.',
    )
  return { Username: 'AWS', Secret: decoded.slice(4) }
}

/** An endpoint's words, repeated in a message: no control characters (terminal escapes). */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, '?')
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** One POST, bounded in time and size; the connection's CA certificate, if any, is trusted. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  config: Readonly<Record<string, string>>,
  { timeoutMs }: { timeoutMs: number },
): Promise<{ status: number; body: string }> {
  const transport = url.protocol === 'http:' ? http : https
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
      timeoutMs,
    )
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers,
        timeout: timeoutMs,
        ...(url.protocol === 'https:' && config.ca_certificate
          ? { ca: config.ca_certificate }
          : {}),
      },
      (response) => {
        const chunks: Buffer[] = []
        let size = 0
        response.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_ANSWER_BYTES)
            request.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB`))
          else chunks.push(chunk)
        })
        response.on('end', () => {
          clearTimeout(deadline)
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          })
        })
        // A destroyed request also fails its response: the request's error says why.
        response.on('error', () => undefined)
      },
    )
    request.on('timeout', () =>
      request.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
    )
    request.on('error', (error: Error & { code?: string }) => {
      clearTimeout(deadline)
      reject(
        new BridgekeepError(
          'CREDENTIALS_NOT_ISSUED',
          `Amazon ECR (${url.origin}) could not be reached: ${error.code ?? error.message}.`,
          'Check the network, the region and the ECR API endpoint of the connection.',
        ),
      )
    })
    request.end(body)
  })
}

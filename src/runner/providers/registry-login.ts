import { callApi, errorMessage } from './https-check'
import type { ApiCall } from './https-check'
import { failure, unexpected } from './failure'
import { endpointName, header, jsonBody } from './http-client'
import type { HttpResponse } from './http-client'
import type { OperationBudget } from './define-operations'

// Container registries: the registry v2 login handshake that docker login performs. GET /v2/;
// a 401 names the token service (Bearer realm) or asks for Basic auth; the credentials are
// exchanged for a token there and /v2/ is asked again with it.
// Docker Hub uses the handshake with the Docker ID and access token, Artifact Registry with a
// Google access token (user oauth2accesstoken).

interface Challenge {
  scheme: string
  params: Record<string, string>
}

/** WWW-Authenticate: Bearer realm="...",service="...",scope="..." */
export function parseChallenge(value: string | undefined): Challenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/.exec(value ?? '')
  if (!match) return undefined
  const params: Record<string, string> = {}
  for (const param of (match[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g))
    params[param[1]!.toLowerCase()] = param[2] ?? param[3] ?? ''
  return { scheme: match[1]!.toLowerCase(), params }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

function remedies(service: string) {
  return {
    authentication: `Check the user name and token (or create a new access token) for ${service}, and rotate this connection.`,
    permission: `Give the credentials pull access on ${service}.`,
  }
}

function loginFailure(response: HttpResponse, where: string, service: string) {
  const said = errorMessage(response) ?? `HTTP ${response.status}`
  if (response.status === 401)
    return failure(
      'authentication',
      `${service} refused the login (${said}).`,
      remedies(service).authentication,
    )
  if (response.status === 403)
    return failure(
      'permission',
      `${service} refused access (${said}).`,
      remedies(service).permission,
    )
  if (response.status >= 500)
    return failure(
      'unreachable',
      `${where} answered HTTP ${response.status}.`,
      `${service} is having trouble; the next check will try again.`,
    )
  return unexpected(
    `${where} answered HTTP ${response.status} (${said}); is it a container registry?`,
  )
}

/** docker login's handshake; returns notes about what could not be checked. */
export async function registryLogin(
  base: string,
  user: string,
  password: string,
  options: { ca?: string; service: string },
  context: OperationBudget,
): Promise<string[]> {
  const tls: ApiCall = options.ca ? { ca: options.ca } : {}
  const where = endpointName(base)
  const probe = await callApi(`${base}/v2/`, tls, context)
  if (probe.status === 200)
    return ['The registry accepts anonymous requests, so the credentials were not checked.']
  if (probe.status !== 401) throw loginFailure(probe, where, options.service)
  const challenge = parseChallenge(header(probe, 'www-authenticate'))
  const basicAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  if (challenge?.scheme === 'basic') {
    const again = await callApi(
      `${base}/v2/`,
      { ...tls, headers: { authorization: basicAuth } },
      context,
    )
    if (again.status !== 200) throw loginFailure(again, where, options.service)
    return []
  }
  const realm = challenge?.scheme === 'bearer' ? challenge.params.realm : undefined
  if (!realm) throw unexpected(`${where} asked for a login it did not describe (no Bearer realm).`)
  let realmUrl: URL
  try {
    realmUrl = new URL(realm)
  } catch {
    throw unexpected(`${where} named a token service that is not a URL.`)
  }
  // Credentials go to the token service as Basic auth: never in clear over a network.
  if (
    realmUrl.protocol !== 'https:' &&
    !(realmUrl.protocol === 'http:' && LOOPBACK.has(realmUrl.hostname))
  )
    throw failure(
      'unsupported',
      `the registry's token service ${endpointName(realmUrl)} is not https, so the credentials are not sent there.`,
      'Configure the registry to use an https token service.',
    )
  if (challenge?.params.service) realmUrl.searchParams.set('service', challenge.params.service)
  if (challenge?.params.scope) realmUrl.searchParams.set('scope', challenge.params.scope)
  realmUrl.searchParams.set('account', user)
  realmUrl.searchParams.set('client_id', 'bridgekeep')
  const granted = await callApi(
    realmUrl.toString(),
    { ...tls, headers: { authorization: basicAuth } },
    context,
  )
  if (granted.status !== 200) throw loginFailure(granted, endpointName(realmUrl), options.service)
  const body = jsonBody(granted, endpointName(realmUrl))
  const token =
    typeof body.token === 'string'
      ? body.token
      : typeof body.access_token === 'string'
        ? body.access_token
        : undefined
  if (!token) throw unexpected(`${endpointName(realmUrl)} answered without a token.`)
  const again = await callApi(
    `${base}/v2/`,
    { ...tls, headers: { authorization: `Bearer ${token}` } },
    context,
  )
  if (again.status !== 200) throw loginFailure(again, where, options.service)
  return []
}

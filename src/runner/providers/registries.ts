import { callApi, errorMessage } from './https-check'
import type { ApiCall } from './https-check'
import { awsIdentity, awsSession, stsTarget } from './aws'
import { failure, unexpected } from './failure'
import { googleCredentials, googleIdentity, googleToken } from './gcp'
import { endpointName, header, jsonBody } from './http-client'
import type { HttpResponse } from './http-client'
import { defineOperations } from './define-operations'
import type { OperationContext, Proof, ValidConnection, ValidInput } from './define-operations'

// Container registries: the registry v2 login handshake that docker login performs. GET /v2/;
// a 401 names the token service (Bearer realm) or asks for Basic auth; the credentials are
// exchanged for a token there and /v2/ is asked again with it.
// Docker Hub uses the handshake with the Docker ID and access token; Artifact Registry with a
// Google access token (user oauth2accesstoken); ECR's login needs the ECR API, so ECR is
// verified through STS with the AWS credentials it uses.

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
  context: OperationContext,
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

export const dockerhubOperations = defineOperations('dockerhub', {
  async verify({ config, secrets }, context) {
    const registry = config.registry ?? 'docker.io'
    const base = registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`
    const service = registry === 'docker.io' ? 'Docker Hub' : `the registry ${registry}`
    const notes = await registryLogin(
      base,
      config.username ?? '',
      secrets.access_token ?? '',
      { ...(config.ca_certificate ? { ca: config.ca_certificate } : {}), service },
      context,
    )
    return {
      identity: {
        label: config.username ?? '',
        details: { username: config.username ?? '', registry },
      },
      ...(notes.length ? { notes } : {}),
    }
  },
})

export const garOperations = defineOperations('gar', {
  async verify(input, context) {
    const { config } = input
    const token = await googleToken(input, context)
    const base = config.registry_url ?? `https://${config.host}`
    const notes = await registryLogin(
      base,
      'oauth2accesstoken',
      token.token,
      {
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
        service: config.host ?? 'Artifact Registry',
      },
      context,
    )
    const identity = googleIdentity(token)
    identity.details.registry = config.host ?? ''
    if (config.repository) identity.details.repository = config.repository
    if (config.repository)
      notes.push('Access to the repository itself was not checked; the login to the registry was.')
    return { identity, ...(notes.length ? { notes } : {}) }
  },
  issueCredentials: async (input, context) => googleCredentials(await googleToken(input, context)),
})

/** The AWS connection ECR (or the S3 state backend) acts with: the linked one or its own keys. */
export function awsConnectionOf(input: ValidInput, field = 'aws_connection'): ValidConnection {
  const slug = input.config[field]
  if (slug) {
    if (input.linked?.provider !== 'aws')
      throw failure(
        'invalid-config',
        `the AWS connection ${slug} was not sent with the request.`,
        'Check that the connection exists and is authorized for this environment.',
      )
    return input.linked
  }
  return input
}

function ecrTarget(input: ValidInput) {
  const linked = awsConnectionOf(input)
  // With its own keys, ECR's account_id names the registry, which may well be another account
  // than the keys' (cross-account pulls); it is compared in a note, not enforced.
  const connection =
    linked === input ? { ...input, config: { ...input.config, account_id: '' } } : linked
  return { connection, target: stsTarget(connection.config, input.config.region) }
}

export const ecrOperations = defineOperations('ecr', {
  async verify(input, context): Promise<Proof> {
    const { connection, target } = ecrTarget(input)
    const proof = await awsIdentity(connection, target, context)
    proof.identity.details.registry = `${input.config.account_id}.dkr.ecr.${input.config.region}.amazonaws.com`
    return {
      ...proof,
      notes: [
        'The registry login itself was not checked (it needs the ECR API, which the runner does not include); the AWS credentials were, through STS.',
        ...(proof.identity.details.account !== input.config.account_id
          ? [
              `The credentials belong to account ${proof.identity.details.account}, the registry to ${input.config.account_id}: the repositories need a policy that allows it.`,
            ]
          : []),
      ],
    }
  },
  issueCredentials: async (input, context) => {
    const { connection, target } = ecrTarget(input)
    return awsSession(connection, target, context, input.options?.durationSeconds)
  },
})

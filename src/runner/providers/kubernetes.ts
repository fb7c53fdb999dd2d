import { callApi, errorMessage, field } from './https-check'
import { kubeApiCall, usableKubeAccess } from './kubernetes-call'
import { readKubeReference } from './kubernetes-references'
import { failure, unexpected } from './failure'
import { jsonBody } from './http-client'
import type { HttpResponse } from './http-client'
import { defineOperations } from './define-operations'
import type { OperationBudget, Proof, ValidConnection } from './define-operations'

// Kubernetes: the server version (GET /version, authenticated) and who the credentials are
// (SelfSubjectReview, Kubernetes 1.27+), with a bearer token, a client certificate or basic
// auth from the kubeconfig's chosen context, or the API server URL and token fields; or, runner-
// delegated, from the runner machine's own service account or kubeconfig. read-reference reads
// a Secret's or ConfigMap's key, or a Helm release's value, with the same credentials.

/** A JWT's exp claim (service account tokens are JWTs), without trusting anything else in it. */
function tokenExpiry(token: string | undefined): string | undefined {
  const payload = token?.split('.')[1]
  if (!payload) return undefined
  try {
    const exp = (
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }
    ).exp
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : undefined
  } catch {
    return undefined
  }
}

/** What a refusal says depends on whose credentials they were, and when they expire. */
interface Used {
  expiresAt: string | undefined
  /** The runner's own (its machine renews them), not the connection's. */
  delegated: boolean
}

function failed(response: HttpResponse, server: string, { expiresAt, delegated }: Used) {
  const said = errorMessage(response)
  if (response.status === 401) {
    if (expiresAt && Date.parse(expiresAt) < Date.now())
      return failure(
        'expired',
        `the token expired at ${expiresAt}.`,
        'Create a new token (kubectl create token <service account>) and rotate this connection.',
      )
    return failure(
      'authentication',
      `the API server rejected the credentials (${said ?? 'Unauthorized'}).`,
      delegated
        ? "The runner's own credentials were refused: check its service account or kubeconfig on the runner's machine (kubectl auth whoami there)."
        : 'The token or certificate may be revoked or expired: create a new one (kubectl create token <service account>) and rotate this connection.',
    )
  }
  if (response.status === 403)
    return failure(
      'permission',
      `the API server refused access (${said ?? 'Forbidden'}).`,
      'Bind the user or service account a role that may read the server version (system:public-info-viewer).',
    )
  if (response.status >= 500)
    return failure(
      'unreachable',
      `${server} answered HTTP ${response.status}.`,
      'The API server is having trouble; the next check will try again.',
    )
  return unexpected(`${server} answered HTTP ${response.status}${said ? ` (${said})` : ''}.`)
}

async function verify(connection: ValidConnection, context: OperationBudget): Promise<Proof> {
  const access = usableKubeAccess(connection)
  const server = access.server
  const call = kubeApiCall(access)
  // A pod's token is renewed by the kubelet (and a runner's kubeconfig by its owner): its expiry
  // is not the connection's.
  const delegated = connection.authMode === 'runner-delegated'
  const expiresAt = delegated ? undefined : tokenExpiry(access.token)
  const failedWith = (response: HttpResponse) => failed(response, server, { expiresAt, delegated })
  const version = await callApi(`${server}/version`, call, context)
  if (version.status !== 200) throw failedWith(version)
  const gitVersion = field(jsonBody(version, server), 'gitVersion')
  if (!gitVersion)
    throw unexpected(
      `${server} answered /version without a gitVersion; is it a Kubernetes API server?`,
    )
  const details: Record<string, string> = {
    server,
    serverVersion: gitVersion,
    ...(connection.authMode === 'runner-delegated'
      ? {
          source:
            connection.config.runner_source === 'kubeconfig-context'
              ? `runner's kubeconfig context ${connection.config.runner_context ?? ''}`
              : "runner's service account",
        }
      : {}),
    ...(access.namespace ? { namespace: access.namespace } : {}),
  }
  const notes: string[] = []
  if (access.insecureSkipTlsVerify)
    notes.push("The API server's certificate was not checked (Skip TLS verification is on).")
  let label = `Kubernetes ${gitVersion} at ${server}`
  const review = JSON.stringify({
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  })
  for (const apiVersion of ['v1', 'v1beta1']) {
    const answer = await callApi(
      `${server}/apis/authentication.k8s.io/${apiVersion}/selfsubjectreviews`,
      {
        ...call,
        method: 'POST',
        headers: { ...call.headers, 'content-type': 'application/json' },
        body: review.replace('/v1"', `/${apiVersion}"`),
      },
      context,
    )
    if (answer.status === 404) continue
    if (answer.status !== 200 && answer.status !== 201) throw failedWith(answer)
    const body = jsonBody(answer, server)
    const username = field(body, 'status', 'userInfo', 'username')
    if (!username) throw unexpected(`${server} answered the SelfSubjectReview without a user.`)
    const groups = (body.status as { userInfo?: { groups?: unknown } } | undefined)?.userInfo
      ?.groups
    label = username
    details.username = username
    if (Array.isArray(groups))
      details.groups = groups.filter((group) => typeof group === 'string').join(', ')
    break
  }
  if (!details.username)
    notes.push(
      'Who the credentials are was not checked: SelfSubjectReview needs Kubernetes 1.27 or later.',
    )
  return {
    identity: { label, details },
    ...(expiresAt ? { expiresAt } : {}),
    ...(notes.length ? { notes } : {}),
  }
}

export const kubernetesOperations = defineOperations('kubernetes', {
  verify,
  readReference: readKubeReference,
})

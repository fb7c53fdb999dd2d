import { kubeAccess } from '../../shared/providers/kubeconfig'
import type { KubeAccess } from '../../shared/providers/kubeconfig'
import { failure } from './failure'
import type { ApiCall } from './https-check'
import { runnerKubeAccess } from './kubernetes-runner-access'
import type { ValidConnection } from './define-operations'

// How a Kubernetes connection reaches its API server, shared by every Kubernetes operation
// (verify, read-reference): the server and credentials of the kubeconfig's chosen context, or
// the API server URL and token fields, or (runner-delegated) the runner machine's own.

function accessOf({ authMode, config, secrets }: ValidConnection): KubeAccess {
  if (authMode === 'runner-delegated') return runnerKubeAccess(config)
  if (config.source === 'token')
    return {
      server: config.server ?? '',
      ...(config.ca_certificate ? { caCertificate: config.ca_certificate } : {}),
      insecureSkipTlsVerify: config.insecure_skip_tls_verify === 'true',
      ...(secrets.token ? { token: secrets.token } : {}),
      ...(config.namespace ? { namespace: config.namespace } : {}),
    }
  const read = kubeAccess(secrets.kubeconfig ?? '', config.context)
  if (!read.ok)
    throw failure(
      'invalid-config',
      `Kubeconfig: ${read.problem}`,
      'Export the kubeconfig again with kubectl config view --raw --minify --flatten.',
    )
  return read.access
}

/** The connection's access, refused (with what to use instead) where the runner cannot use it. */
export function usableKubeAccess(connection: ValidConnection): KubeAccess {
  const access = accessOf(connection)
  if (access.plugin)
    throw failure(
      'unsupported',
      `the kubeconfig's user gets its credentials from ${access.plugin === 'exec' ? 'an exec plugin (such as aws eks get-token or kubelogin)' : 'a legacy auth-provider'}, which the runner does not run.`,
      'Use a kubeconfig with a token or client certificate (kubectl create token <service account>), or the API server URL and bearer token.',
    )
  if (access.tlsServerName)
    throw failure(
      'unsupported',
      'the kubeconfig sets tls-server-name, which the runner does not support yet.',
      'Use the API server address its certificate names.',
    )
  return access
}

/** The headers and TLS material of every call to the API server with `access`. */
export function kubeApiCall(access: KubeAccess): ApiCall {
  return {
    headers: {
      accept: 'application/json',
      ...(access.token
        ? { authorization: `Bearer ${access.token}` }
        : access.username
          ? {
              authorization: `Basic ${Buffer.from(`${access.username}:${access.password ?? ''}`).toString('base64')}`,
            }
          : {}),
    },
    ...(access.caCertificate ? { ca: access.caCertificate } : {}),
    ...(access.clientCertificate && access.clientKey
      ? { cert: access.clientCertificate, key: access.clientKey }
      : {}),
    ...(access.insecureSkipTlsVerify ? { insecure: true } : {}),
  }
}

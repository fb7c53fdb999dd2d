import type { CredentialSet } from '../../shared/agent-answers'
import { BridgekeepError } from '../../shared/errors'
import { Sha256 } from './node-sha256'

/**
 * kubectl's exec credential plugin answer (client.authentication.k8s.io/v1 ExecCredential): a
 * bearer token, and when it expires, so kubectl asks again only then.
 */
export interface ExecCredential {
  apiVersion: 'client.authentication.k8s.io/v1'
  kind: 'ExecCredential'
  status: { token: string; expirationTimestamp?: string }
}

const execCredential = (token: string, expires?: Date): ExecCredential => ({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token, ...(expires ? { expirationTimestamp: expires.toISOString() } : {}) },
})

/** A Kubernetes connection's stored token (a service account's, say): it does not expire here. */
export function kubernetesToken(credentials: CredentialSet): ExecCredential {
  const { config, secrets } = credentials
  if (credentials.authMode !== 'inline' || config.source !== 'token' || !secrets.token)
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      credentials.authMode === 'inline'
        ? 'This Kubernetes connection holds a kubeconfig, not a token: kubectl gets it through exec.'
        : "This Kubernetes connection uses the runner's own credentials, which stay on the runner's machine.",
      'Use bridgekeep exec <conn> --env <env> -- kubectl ..., or a Kubernetes connection with a token.',
    )
  return execCredential(secrets.token)
}

/** How long an EKS token is good for: the presigned URL's 15 minutes, less one, as aws eks get-token. */
const EKS_TOKEN_MINUTES = 14

/**
 * An EKS token, as `aws eks get-token` makes it: a presigned STS GetCallerIdentity URL whose
 * signature covers the x-k8s-aws-id header (the cluster's name), base64url-encoded after
 * `k8s-aws-v1.`. EKS calls STS with it and maps the identity through its access entries; the
 * keys never leave this machine, only a signature valid for 60 seconds of STS's time.
 */
export async function eksToken(
  credentials: CredentialSet,
  cluster: string,
  region: string | undefined,
  now = new Date(),
): Promise<ExecCredential> {
  const { config, secrets } = credentials
  if (credentials.provider !== 'aws' || !secrets.access_key_id || !secrets.secret_access_key)
    throw new BridgekeepError(
      'NOT_SUPPORTED',
      credentials.provider === 'aws'
        ? "This AWS connection has no keys to sign an EKS token with (it uses the runner's own identity)."
        : `A ${credentials.provider} connection cannot sign an EKS token.`,
      'Name an AWS connection with stored keys, a role or IAM Identity Center.',
    )
  const signingRegion = region ?? config.default_region ?? 'us-east-1'
  const endpoint = new URL(config.sts_endpoint || `https://sts.${signingRegion}.amazonaws.com`)
  // Loaded for EKS only: every other helper call would pay for it.
  const { SignatureV4 } = await import('@smithy/signature-v4')
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: secrets.access_key_id,
      secretAccessKey: secrets.secret_access_key,
      ...(secrets.session_token ? { sessionToken: secrets.session_token } : {}),
    },
    region: signingRegion,
    service: 'sts',
    sha256: Sha256,
  })
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname,
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, 'x-k8s-aws-id': cluster },
    },
    { expiresIn: 60, signingDate: now },
  )
  const query = new URLSearchParams(presigned.query as Record<string, string>)
  const url = `${endpoint.origin}${endpoint.pathname}?${query.toString()}`
  const token = `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`
  return execCredential(token, new Date(now.getTime() + EKS_TOKEN_MINUTES * 60_000))
}

import type { CredentialSet } from '../../shared/agent-answers'
import { BridgekeepError } from '../../shared/errors'
import { normalizedHost } from './helper-request'
import { ecrLogin } from './ecr-login'

/**
 * docker's credential helper protocol (github.com/docker/docker-credential-helpers): docker runs
 * `docker-credential-<name> get|list|store|erase`; `get` reads a registry's server URL on stdin
 * and answers {ServerURL, Username, Secret} as JSON; `list` answers {ServerURL: Username}.
 */

/**
 * What docker's client reads as "no credentials for this registry" (it then goes on without
 * logging in, as for a public image), not as a failure: the helpers' own words, on stdout.
 */
export const DOCKER_NOT_FOUND = 'credentials not found in native keychain'

/** The registry host of what docker sent: a host, host:port, or a URL (https://index.docker.io/v1/). */
export function registryHost(serverUrl: string): string {
  const text = serverUrl.trim()
  let host: string | undefined
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      host = normalizedHost(new URL(text).host)
    } catch {
      host = undefined
    }
  } else host = normalizedHost(text.split('/')[0] ?? '')
  if (text === '' || host === undefined)
    throw new BridgekeepError(
      'VALIDATION',
      text === ''
        ? 'docker sent no registry address on stdin.'
        : 'What docker sent on stdin is not a registry address (a host, host:port or https:// URL).',
      'This command is run by docker; to try it by hand: echo https://index.docker.io/v1/ | BRIDGEKEEP_ENV=<env> docker-credential-bridgekeep get',
    )
  return host
}

/**
 * The username docker logs in with and the secret, for a registry connection; ECR's comes from
 * the ECR API, asked with the AWS credentials the connection uses.
 */
export async function dockerLogin(
  credentials: CredentialSet,
): Promise<{ Username: string; Secret: string }> {
  const { provider, config, secrets } = credentials
  if (provider === 'ecr') return ecrLogin(credentials)
  if (provider === 'dockerhub' && config.username && secrets.access_token)
    return { Username: config.username, Secret: secrets.access_token }
  if (provider === 'gar') {
    // Short-lived only: an access token instead of the key (Artifact Registry takes both).
    if (secrets.access_token) return { Username: 'oauth2accesstoken', Secret: secrets.access_token }
    if (secrets.service_account_key)
      return { Username: '_json_key', Secret: secrets.service_account_key }
  }
  throw new BridgekeepError(
    'NOT_SUPPORTED',
    `This ${provider} connection has no registry login to give docker.`,
    'Use a Docker Hub, Amazon ECR or Artifact Registry connection with stored credentials.',
  )
}

/** The username `list` shows for a registry connection, from its settings alone (no secret). */
export function listedUsername(provider: string, config: Readonly<Record<string, string>>): string {
  if (provider === 'dockerhub') return config.username ?? ''
  if (provider === 'ecr') return 'AWS'
  return '_json_key'
}

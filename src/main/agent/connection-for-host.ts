import type { CredentialHelperTool } from '../../shared/agent-protocol'
import { BridgekeepError } from '../../shared/errors'
import { getProvider } from '../../shared/providers'
import { listNames } from '../../shared/wording'
import type { VaultCore } from '../services/vault-core'
import { connectionNotFound, connectionsNamed } from '../services/find-by-ref'

/**
 * Which connections a tool's credential helper may hand out, and the hosts each one serves: git
 * asks for the host of a remote, docker for a registry's. Kubernetes and AWS connections are named
 * (kubectl's exec plugin names its connection), so they have no host here.
 */
export const HELPER_PROVIDERS: Record<CredentialHelperTool, readonly string[]> = {
  git: ['github', 'gitlab', 'http'],
  docker: ['dockerhub', 'ecr', 'gar'],
  kubectl: ['kubernetes', 'aws'],
}

/** Docker Hub answers under several names; docker itself asks for https://index.docker.io/v1/. */
const DOCKER_HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io']

/** host[:port] of a URL, lowercase, with the scheme's default port left out (as git sends it). */
function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return undefined
  }
}

/** The hosts a connection serves, from its (non-secret) settings and the catalog's defaults. */
export function hostsServed(provider: string, config: Readonly<Record<string, string>>): string[] {
  const setting = (key: string) =>
    config[key] ??
    getProvider(provider)?.fields.find((field) => field.key === key)?.defaultValue ??
    undefined
  switch (provider) {
    case 'github': {
      // api.github.com serves github.com; GitHub Enterprise Server's API is <host>/api/v3.
      const api = hostOf(setting('api_url'))
      return api === 'api.github.com' ? ['github.com'] : api ? [api] : []
    }
    case 'gitlab':
      return [hostOf(setting('api_url'))].filter((host) => host !== undefined)
    case 'http':
      // The URL template's $(username) and $(password) are placeholders, not part of the host.
      return [hostOf(setting('url')?.replace(/\$\((?:username|password)\)/g, 'x'))].filter(
        (host) => host !== undefined,
      )
    case 'dockerhub': {
      const registry = (setting('registry') ?? 'docker.io').toLowerCase()
      return registry === 'docker.io' ? DOCKER_HUB_HOSTS : [registry]
    }
    case 'ecr':
      return [`${config.account_id}.dkr.ecr.${config.region}.amazonaws.com`]
    case 'gar':
      return config.host ? [config.host.toLowerCase()] : []
    default:
      return []
  }
}

/**
 * The connection a credential helper hands out for `host` in `environment`: the one connection
 * of the tool's providers that serves the host, else the one of those authorized for the
 * environment. One that is not authorized is still returned, so that resolution refuses it with
 * its own message (which environment, how to authorize) and the refusal is audited. A connection
 * named with `ref` must serve the host too: a token goes only to the host it is for, whatever
 * remote or registry the tool was pointed at.
 */
export function connectionForHost(
  services: VaultCore,
  tool: CredentialHelperTool,
  host: string,
  environment: string,
  ref?: string,
): { provider: string; name: string; connectionId: string } {
  const providers = HELPER_PROVIDERS[tool]
  const all = services.connections.list()
  const named = ref === undefined ? all : connectionsNamed(all, ref)
  if (named.length === 0) throw connectionNotFound(ref!)
  const serving = named
    .filter((summary) => providers.includes(summary.provider))
    .filter((summary) =>
      hostsServed(summary.provider, services.connections.get(summary.id).config).includes(host),
    )
  if (ref !== undefined && serving.length === 0)
    throw new BridgekeepError(
      'NOT_AUTHORIZED',
      `Connection ${named[0]!.name} does not serve ${host}: ${tool} gets its credentials only for ${listNames(hostsServed(named[0]!.provider, services.connections.get(named[0]!.id).config), 3) || 'no host'}.`,
      `Leave out --connection to use the connection for ${host}, or check the ${tool} remote or registry.`,
    )
  const found = (connection: { provider: string; slug: string; id: string }) => ({
    provider: connection.provider,
    name: connection.slug,
    connectionId: connection.id,
  })
  if (serving.length === 1) return found(serving[0]!)
  const labels = providers.map((id) => getProvider(id)?.label ?? id)
  const either = `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}`
  if (serving.length === 0)
    throw new BridgekeepError(
      'NO_CONNECTION',
      `No connection in this vault serves ${host} for ${tool}.`,
      `Add a ${either} connection for ${host}, or name one with --connection.`,
    )
  const envId = services.environments.findByRef(environment).id
  const authorized = serving.filter((summary) =>
    services.authorizations.authorizationsFor(summary.id).environmentIds.includes(envId),
  )
  if (authorized.length === 1) return found(authorized[0]!)
  if (authorized.length === 0) return found(serving[0]!)
  throw new BridgekeepError(
    'AMBIGUOUS_CONNECTION',
    `Several connections for ${host} are authorized for environment ${environment}: ${listNames(
      authorized.map((c) => c.name),
      10,
    )}.`,
    'Name the one to use with --connection.',
  )
}

import { sessionLengthLabel } from '../aws/session-duration'
import { scopeResource, TOKEN_SCOPE_FIELD } from './azure-scope'
import type { ProviderId } from './ids'

/**
 * What a use-only recipient's tool receives when it runs with a shared connection. Where the
 * provider has an exchange, Bridgekeep hands the tool short-lived credentials made from the stored
 * secret and the secret itself never leaves the vault; elsewhere the tool gets the stored secret
 * as it is, and "use-only" cannot hide it from a recipient who prints the tool's environment.
 *
 * `exposed` is that second case; `exchanged` the first. Neither: the connection holds no secret
 * for the tool (runner-delegated, or one that names another connection). `what` completes "the
 * recipient's tools receive …".
 */
interface UseOnlyDelivery {
  exposed: boolean
  exchanged: boolean
  what: string
}

type Describe = (authMode: string, config: Readonly<Record<string, string>>) => UseOnlyDelivery

const shortLived = (what: string): UseOnlyDelivery => ({ exposed: false, exchanged: true, what })
const asStored = (what: string): UseOnlyDelivery => ({ exposed: true, exchanged: false, what })
const noSecret = (what: string): UseOnlyDelivery => ({ exposed: false, exchanged: false, what })
// Runner-delegated connections store no secret: the tool uses the credentials of the machine it
// runs on (the recipient's).
const nothingStored = noSecret('no secret: the credentials of the machine the tool runs on')
// A connection that names another one (ECR, the state backends) carries no secret of its own
// there: the tool receives what the named connection in the recipient's vault gives.
const borrowed = (provider: string) =>
  noSecret(`what the ${provider} connection it names gives (no secret of its own)`)

const token = () => asStored('the token itself')

/** Keyed by every provider id: a provider added without saying what it hands over fails to compile. */
const DELIVERY: Record<ProviderId, Describe> = {
  // As long as the connection's Session duration (the sender's choice travels with the share).
  aws: (mode, config) =>
    mode === 'runner-delegated'
      ? nothingStored
      : mode === 'cross-account'
        ? shortLived(`an STS session of the assumed role (${sessionLengthLabel(config)})`)
        : shortLived(`an STS session (${sessionLengthLabel(config)})`),
  // Exchanged at the token endpoint by exec; the tool gets the token in the variables gcloud
  // (CLOUDSDK_AUTH_ACCESS_TOKEN) and Terraform's Google provider (GOOGLE_OAUTH_ACCESS_TOKEN) read.
  gcp: (mode) =>
    mode === 'runner-delegated'
      ? nothingStored
      : shortLived('an OAuth access token (1 h), no key file'),
  // A client-credentials token for Resource Manager (or the connection's Token scope) in
  // AZURE_ACCESS_TOKEN, with the tenant and subscription ids; neither az nor Terraform's azurerm
  // reads a bare token (see docs/sharing.md).
  azure: (mode, config) =>
    mode === 'runner-delegated'
      ? nothingStored
      : shortLived(
          `${config[TOKEN_SCOPE_FIELD] ? `an access token for ${scopeResource(config[TOKEN_SCOPE_FIELD])}` : 'a Resource Manager access token'} (1 h), no client secret`,
        ),
  // Their object-storage keys (Spaces, R2, Civo's object store) are static keys too.
  digitalocean: () => asStored('the token itself (and any Spaces keys)'),
  civo: () => asStored('the API key itself (and any object store keys)'),
  cloudflare: () => asStored('the API token or key itself (and any R2 keys)'),
  github: token,
  gitlab: token,
  dockerhub: token,
  // Its own keys go to docker's ECR credential helper unchanged; only a named AWS connection is
  // exchanged for a session.
  ecr: (_mode, config) =>
    config.aws_connection ? borrowed('AWS') : asStored('the access keys themselves'),
  // docker logs in with the key as its password ("_json_key"): there is no token to hand instead.
  gar: () => asStored('the service-account key itself'),
  's3-state': (_mode, config) =>
    config.aws_connection ? borrowed('AWS') : noSecret('no secret: only the bucket’s region'),
  'gcs-state': (_mode, config) =>
    config.gcp_connection ? borrowed('GCP') : noSecret('no secret: only the bucket’s settings'),
  // Exec refuses runner-delegated Kubernetes: its credentials never leave the runner's machine.
  kubernetes: (mode, config) =>
    mode === 'runner-delegated'
      ? noSecret('nothing: it works only through the runner')
      : config.source === 'token'
        ? token()
        : asStored('the kubeconfig itself'),
  postgres: () => asStored('the password itself'),
  http: () => asStored('the password and client certificate themselves'),
  smtp: () => asStored('the password itself'),
  slack: () => asStored('the token or webhook URL itself'),
  discord: () => asStored('the bot token or webhook URL itself'),
  telegram: () => asStored('the bot token itself'),
  ntfy: () => asStored('the topic and token or password themselves'),
  pushbullet: () => asStored('the access token itself'),
  pushover: () => asStored('the application token and user key themselves'),
  openai: () => asStored('the API key itself'),
  anthropic: () => asStored('the API key itself'),
  ollama: () => asStored('the bearer token itself, if any'),
  scaleway: () => asStored('the API key itself'),
  git: (_mode, config) =>
    asStored(config.transport === 'ssh' ? 'the private key itself' : 'the token itself'),
  'azure-devops': () => asStored('the personal access token itself'),
  opensearch: (_mode, config) =>
    asStored(config.auth === 'api-key' ? 'the API key itself' : 'the password itself'),
  sftp: (_mode, config) =>
    asStored(config.auth === 'key' ? 'the private key itself' : 'the password itself'),
  smb: () => asStored('the password itself'),
}

/** What a use-only recipient's tool receives from a connection of `provider` in `authMode`. */
export function useOnlyDelivery(
  provider: string,
  authMode: string,
  config: Readonly<Record<string, string>> = {},
): UseOnlyDelivery {
  const describe = Object.hasOwn(DELIVERY, provider) ? DELIVERY[provider as ProviderId] : undefined
  // An unknown provider (a newer sender's share) is assumed to hand its secret over: never
  // promise protection that cannot be checked.
  return describe ? describe(authMode, config) : asStored('the stored secret itself')
}

/**
 * Whether an owner's "short-lived credentials only" setting means anything for a connection: it
 * stores a secret that exec exchanges (AWS keys, a GCP key, an Azure client secret). Cross-account
 * AWS always gets a session, and a static token has nothing to be exchanged for.
 */
export function offersShortLivedOnly(
  provider: string,
  authMode: string,
  config: Readonly<Record<string, string>> = {},
): boolean {
  return authMode === 'inline' && useOnlyDelivery(provider, authMode, config).exchanged
}

/** The name of the sender's setting, as the app shows it and refusals name it. */
export const REFUSE_EXPOSED_USE_ONLY_LABEL =
  'Refuse use-only shares of secrets that tools receive as they are'

/** Of `connections`, those whose tools would receive the stored secret itself, with what. */
export function exposedUnderUseOnly<
  C extends { name: string; provider: string; authMode: string; config: Record<string, string> },
>(connections: readonly C[]): { connection: C; what: string }[] {
  return connections.flatMap((connection) => {
    const delivery = useOnlyDelivery(connection.provider, connection.authMode, connection.config)
    return delivery.exposed ? [{ connection, what: delivery.what }] : []
  })
}

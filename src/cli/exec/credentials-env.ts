import { stringify } from 'yaml'
import { parseJson, parseYamlDocument } from '../../shared/parse-untrusted'
import type { ProviderId } from '../../shared/providers'

/**
 * Credentials of one connection, ready to use: issued values under the provider's field keys, and
 * the credentials of connections it borrows (ECR, state backends), keyed by the borrowing field.
 */
export interface CredentialSet {
  provider: string
  authMode: string
  config: Readonly<Record<string, string>>
  secrets: Readonly<Record<string, string>>
  linked?: Readonly<Record<string, CredentialSet>>
}

/** A file the tool reads (key file, kubeconfig, docker config), under exec's private temp dir. */
export interface PlannedFile {
  /** Relative to the temp dir. */
  path: string
  content: string
}

/**
 * What exec puts in the child's environment. Values may contain `tempPath(...)` markers, replaced
 * with real paths once the temp dir exists. `unset` removes variables inherited from the caller
 * that would make tools pick other credentials than the ones given (a stray AWS_PROFILE, a
 * GOOGLE_CREDENTIALS that Terraform prefers over GOOGLE_APPLICATION_CREDENTIALS...).
 */
export interface EnvPlan {
  set: Record<string, string>
  unset: string[]
  files: PlannedFile[]
}

const MARK = '\u0000bk-temp:'

/** A placeholder for a path inside exec's temp dir ('' is the dir itself). */
export function tempPath(relative: string): string {
  return `${MARK}${relative}\u0000`
}

/** Replaces the `tempPath` markers in a value with real paths under `dir`. */
export function resolveTempPaths(value: string, join: (relative: string) => string): string {
  let result = ''
  let rest = value
  for (let start = rest.indexOf(MARK); start >= 0; start = rest.indexOf(MARK)) {
    const end = rest.indexOf('\u0000', start + MARK.length)
    if (end < 0) break
    result += rest.slice(0, start) + join(rest.slice(start + MARK.length, end))
    rest = rest.slice(end + 1)
  }
  return result + rest
}

/**
 * Maps a connection's credentials to the environment variables its tools read: the AWS CLI and
 * SDKs, gcloud and Google client libraries, az and Azure SDKs (and Terraform's ARM_*), libpq
 * (psql, pg_dump), gh, glab, doctl, the civo CLI, wrangler, docker, kubectl, and Terraform's
 * providers. Pure: no files are written here and nothing is read from the process.
 */
export function credentialsEnv(credentials: CredentialSet): EnvPlan {
  const plan: EnvPlan = { set: {}, unset: [], files: [] }
  const mapper = MAPPERS[credentials.provider as ProviderId]
  if (!mapper) throw new Error(`No environment mapping for provider ${credentials.provider}.`)
  mapper(credentials, plan)
  // Never unset what is set.
  plan.unset = [...new Set(plan.unset)].filter((name) => !(name in plan.set))
  return plan
}

type Mapper = (credentials: CredentialSet, plan: EnvPlan) => void

/** Variables through which the AWS SDKs would find other credentials than the ones given. */
const AWS_OTHER_CREDENTIALS = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
]

/**
 * A config key an STS endpoint override would have. The catalog has no such field today; the
 * caller's own AWS_ENDPOINT_URL_STS passes through unchanged.
 */
export const STS_ENDPOINT_FIELD = 'sts_endpoint'

function awsKeys(
  plan: EnvPlan,
  keys: { id?: string; secret?: string; token?: string },
  region: string | undefined,
): void {
  if (keys.id && keys.secret) {
    plan.set.AWS_ACCESS_KEY_ID = keys.id
    plan.set.AWS_SECRET_ACCESS_KEY = keys.secret
    if (keys.token) plan.set.AWS_SESSION_TOKEN = keys.token
    plan.unset.push(...AWS_OTHER_CREDENTIALS)
  }
  if (region) {
    plan.set.AWS_REGION = region
    plan.set.AWS_DEFAULT_REGION = region
  }
}

function awsFrom(credentials: CredentialSet, plan: EnvPlan, region?: string): void {
  const { secrets, config } = credentials
  awsKeys(
    plan,
    {
      id: secrets.access_key_id,
      secret: secrets.secret_access_key,
      token: secrets.session_token,
    },
    region ?? config.default_region,
  )
  const sts = config[STS_ENDPOINT_FIELD]
  if (sts) plan.set.AWS_ENDPOINT_URL_STS = sts
}

const GOOGLE_OTHER_CREDENTIALS = [
  'GOOGLE_CREDENTIALS',
  'GOOGLE_CLOUD_KEYFILE_JSON',
  'GCLOUD_KEYFILE_JSON',
  'GOOGLE_OAUTH_ACCESS_TOKEN',
  'CLOUDSDK_AUTH_ACCESS_TOKEN_FILE',
  'CLOUDSDK_CORE_ACCOUNT',
]

/** Writes the key file and points gcloud and the client libraries at it. */
function googleKey(plan: EnvPlan, key: string | undefined, file: string): string | undefined {
  if (!key) return undefined
  plan.files.push({ path: file, content: key })
  plan.set.GOOGLE_APPLICATION_CREDENTIALS = tempPath(file)
  plan.set.CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE = tempPath(file)
  plan.unset.push(...GOOGLE_OTHER_CREDENTIALS)
  try {
    const project = (parseJson(key) as { project_id?: unknown } | null)?.project_id
    return typeof project === 'string' ? project : undefined
  } catch {
    return undefined
  }
}

function googleProject(plan: EnvPlan, project: string | undefined): void {
  if (!project) return
  plan.set.CLOUDSDK_CORE_PROJECT = project
  plan.set.GOOGLE_CLOUD_PROJECT = project
}

function gcpFrom(credentials: CredentialSet, plan: EnvPlan): void {
  const keyProject = googleKey(plan, credentials.secrets.service_account_key, 'gcp-key.json')
  googleProject(plan, credentials.config.project_id ?? keyProject)
}

/** A docker config dir whose config.json holds `auths` (or credential helpers). */
function dockerConfig(plan: EnvPlan, config: Record<string, unknown>): void {
  plan.files.push({ path: 'docker/config.json', content: `${JSON.stringify(config, null, 2)}\n` })
  plan.set.DOCKER_CONFIG = tempPath('docker')
}

const basicAuth = (user: string, password: string) =>
  Buffer.from(`${user}:${password}`, 'utf8').toString('base64')

const AZURE_CLOUDS: Record<string, { authority: string; arm: string }> = {
  public: { authority: 'https://login.microsoftonline.com', arm: 'public' },
  usgovernment: { authority: 'https://login.microsoftonline.us', arm: 'usgovernment' },
  china: { authority: 'https://login.chinacloudapi.cn', arm: 'china' },
}

function kubeconfigFor(credentials: CredentialSet): string {
  const { config, secrets } = credentials
  if (config.source === 'token') {
    const cluster: Record<string, unknown> = { server: config.server }
    if (config.ca_certificate)
      cluster['certificate-authority-data'] = Buffer.from(config.ca_certificate).toString('base64')
    if (config.insecure_skip_tls_verify === 'true') cluster['insecure-skip-tls-verify'] = true
    const context: Record<string, unknown> = { cluster: 'bridgekeep', user: 'bridgekeep' }
    if (config.namespace) context.namespace = config.namespace
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'bridgekeep', cluster }],
      users: [{ name: 'bridgekeep', user: { token: secrets.token } }],
      contexts: [{ name: 'bridgekeep', context }],
      'current-context': 'bridgekeep',
    })
  }
  // A stored kubeconfig: select the chosen context and default namespace, keep the rest.
  // Validated when stored; parsed quietly anyway, since it is a secret.
  const doc = parseYamlDocument(secrets.kubeconfig ?? '')
  const chosen = config.context ?? (doc.get('current-context') as string | undefined)
  if (config.context) doc.set('current-context', config.context)
  if (config.namespace && chosen) {
    const contexts = doc.toJS() as { contexts?: { name?: string }[] }
    const index = (contexts.contexts ?? []).findIndex((entry) => entry.name === chosen)
    if (index >= 0) doc.setIn(['contexts', index, 'context', 'namespace'], config.namespace)
  }
  return doc.toString()
}

function postgresUrl(
  config: Readonly<Record<string, string>>,
  password: string | undefined,
): string {
  const url = new URL('postgresql://placeholder')
  url.hostname = config.host!.includes(':') ? `[${config.host}]` : config.host!
  url.port = config.port ?? '5432'
  url.pathname = `/${encodeURIComponent(config.database ?? '')}`
  url.username = encodeURIComponent(config.user ?? '')
  if (password !== undefined) url.password = encodeURIComponent(password)
  url.searchParams.set('sslmode', config.sslmode ?? 'prefer')
  const text = url.toString()
  // The CA path is only known once the temp dir exists: appended as a marker, unencoded.
  return config.ca_certificate ? `${text}&sslrootcert=${tempPath('postgres-ca.pem')}` : text
}

/** Fills $(username) and $(password) in a generic HTTP template (URL-encoded in the URL). */
function fill(template: string, values: Record<string, string | undefined>, encode: boolean) {
  return template.replace(/\$\((username|password)\)/g, (_, name: string) => {
    const value = values[name] ?? ''
    return encode ? encodeURIComponent(value) : value
  })
}

const MAPPERS: Record<ProviderId, Mapper> = {
  aws: (credentials, plan) => awsFrom(credentials, plan),

  gcp: gcpFrom,

  azure: ({ config, secrets }, plan) => {
    const cloud = AZURE_CLOUDS[config.cloud ?? 'public'] ?? AZURE_CLOUDS.public!
    const set = (name: string, value: string | undefined) => {
      if (value === undefined) return
      plan.set[`AZURE_${name}`] = value
      plan.set[`ARM_${name}`] = value
    }
    set('TENANT_ID', config.tenant_id)
    set('SUBSCRIPTION_ID', config.subscription_id)
    set('CLIENT_ID', config.client_id)
    set('CLIENT_SECRET', secrets.client_secret)
    plan.set.AZURE_AUTHORITY_HOST = cloud.authority
    plan.set.ARM_ENVIRONMENT = cloud.arm
    if (secrets.client_secret)
      plan.unset.push(
        'AZURE_CLIENT_CERTIFICATE_PATH',
        'AZURE_USERNAME',
        'AZURE_PASSWORD',
        'AZURE_FEDERATED_TOKEN_FILE',
        'ARM_CLIENT_CERTIFICATE_PATH',
        'ARM_USE_MSI',
        'ARM_USE_OIDC',
        'ARM_OIDC_TOKEN',
      )
  },

  digitalocean: ({ secrets }, plan) => {
    // Terraform reads DIGITALOCEAN_TOKEN, doctl DIGITALOCEAN_ACCESS_TOKEN.
    if (secrets.api_token) {
      plan.set.DIGITALOCEAN_TOKEN = secrets.api_token
      plan.set.DIGITALOCEAN_ACCESS_TOKEN = secrets.api_token
    }
    if (secrets.spaces_access_key_id && secrets.spaces_secret_key) {
      plan.set.SPACES_ACCESS_KEY_ID = secrets.spaces_access_key_id
      plan.set.SPACES_SECRET_ACCESS_KEY = secrets.spaces_secret_key
    }
  },

  // The civo CLI and Terraform provider read CIVO_TOKEN (and CIVO_REGION).
  civo: ({ config, secrets }, plan) => {
    if (secrets.api_key) plan.set.CIVO_TOKEN = secrets.api_key
    if (config.default_region) plan.set.CIVO_REGION = config.default_region
  },

  cloudflare: ({ config, secrets }, plan) => {
    if (secrets.api_token) {
      plan.set.CLOUDFLARE_API_TOKEN = secrets.api_token
      plan.unset.push('CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL')
    } else if (secrets.global_api_key) {
      plan.set.CLOUDFLARE_API_KEY = secrets.global_api_key
      if (config.email) plan.set.CLOUDFLARE_EMAIL = config.email
      plan.unset.push('CLOUDFLARE_API_TOKEN')
    }
    if (config.account_id) plan.set.CLOUDFLARE_ACCOUNT_ID = config.account_id
  },

  github: ({ config, secrets }, plan) => {
    if (!secrets.token) return
    plan.set.GITHUB_TOKEN = secrets.token
    plan.set.GH_TOKEN = secrets.token
    const api = config.api_url ?? 'https://api.github.com'
    if (new URL(api).hostname !== 'api.github.com') {
      // GitHub Enterprise Server: gh reads GH_HOST and GH_ENTERPRISE_TOKEN.
      plan.set.GH_HOST = new URL(api).host
      plan.set.GH_ENTERPRISE_TOKEN = secrets.token
      plan.set.GITHUB_API_URL = api
    }
  },

  gitlab: ({ config, secrets }, plan) => {
    if (!secrets.token) return
    plan.set.GITLAB_TOKEN = secrets.token
    const api = config.api_url ?? 'https://gitlab.com/api/v4'
    if (new URL(api).hostname !== 'gitlab.com') plan.set.GITLAB_HOST = new URL(api).origin
  },

  dockerhub: ({ config, secrets }, plan) => {
    const registry = config.registry ?? 'docker.io'
    // Docker keeps Docker Hub's credentials under its historical index URL.
    const key = registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry
    dockerConfig(plan, {
      auths: { [key]: { auth: basicAuth(config.username ?? '', secrets.access_token ?? '') } },
    })
  },

  ecr: (credentials, plan) => {
    const { config, secrets } = credentials
    const borrowed = credentials.linked?.aws_connection
    if (borrowed) awsFrom(borrowed, plan, config.region)
    else
      awsKeys(plan, { id: secrets.access_key_id, secret: secrets.secret_access_key }, config.region)
    // ECR tokens last 12 hours and need an API call: docker asks the ECR credential helper
    // (docker-credential-ecr-login), which reads the AWS variables above.
    const host = `${config.account_id}.dkr.ecr.${config.region}.amazonaws.com`
    dockerConfig(plan, { credHelpers: { [host]: 'ecr-login' } })
  },

  gar: ({ config, secrets }, plan) => {
    const key = secrets.service_account_key ?? ''
    googleProject(plan, googleKey(plan, key, 'gar-key.json'))
    dockerConfig(plan, {
      auths: { [config.host ?? '']: { auth: basicAuth('_json_key', key) } },
    })
  },

  's3-state': (credentials, plan) => {
    const borrowed = credentials.linked?.aws_connection
    if (borrowed) awsFrom(borrowed, plan, credentials.config.region)
    else awsKeys(plan, {}, credentials.config.region)
  },

  'gcs-state': (credentials, plan) => {
    const borrowed = credentials.linked?.gcp_connection
    if (borrowed) gcpFrom(borrowed, plan)
  },

  kubernetes: (credentials, plan) => {
    plan.files.push({ path: 'kubeconfig', content: kubeconfigFor(credentials) })
    plan.set.KUBECONFIG = tempPath('kubeconfig')
  },

  postgres: ({ config, secrets }, plan) => {
    plan.set.PGHOST = config.host ?? ''
    plan.set.PGPORT = config.port ?? '5432'
    plan.set.PGDATABASE = config.database ?? ''
    plan.set.PGUSER = config.user ?? ''
    if (secrets.password !== undefined) plan.set.PGPASSWORD = secrets.password
    plan.set.PGSSLMODE = config.sslmode ?? 'prefer'
    if (config.ca_certificate) {
      plan.files.push({ path: 'postgres-ca.pem', content: config.ca_certificate })
      plan.set.PGSSLROOTCERT = tempPath('postgres-ca.pem')
    }
    // A service file or another CA would override or confuse what is set here.
    plan.unset.push('PGSERVICE', 'PGSERVICEFILE', 'PGSSLROOTCERT')
    plan.set.DATABASE_URL = postgresUrl(config, secrets.password)
  },

  // No tool has standard variables for an arbitrary endpoint: Bridgekeep's own, filled in.
  http: ({ config, secrets }, plan) => {
    const values = { username: config.username, password: secrets.password }
    plan.set.BRIDGEKEEP_HTTP_URL = fill(config.url ?? '', values, true)
    plan.set.BRIDGEKEEP_HTTP_METHOD = config.method ?? 'GET'
    if (config.headers) plan.set.BRIDGEKEEP_HTTP_HEADERS = fill(config.headers, values, false)
    if (config.username !== undefined) plan.set.BRIDGEKEEP_HTTP_USERNAME = config.username
    if (secrets.password !== undefined) plan.set.BRIDGEKEEP_HTTP_PASSWORD = secrets.password
    if (secrets.client_certificate) {
      plan.files.push({ path: 'http-client.pem', content: secrets.client_certificate })
      plan.set.BRIDGEKEEP_HTTP_CLIENT_CERT = tempPath('http-client.pem')
    }
    if (config.insecure_tls === 'true') plan.set.BRIDGEKEEP_HTTP_INSECURE_TLS = 'true'
  },
}

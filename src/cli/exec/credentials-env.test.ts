import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { providers, validateConnectionValues } from '../../shared/providers'
import { exampleValues } from '../../../test/catalog-values'
import {
  credentialsEnv,
  resolveTempPaths,
  STS_ENDPOINT_FIELD,
  tempPath,
  type CredentialSet,
  type EnvPlan,
} from './credentials-env'

const inline = (
  provider: string,
  config: Record<string, string>,
  secrets: Record<string, string> = {},
  linked?: Record<string, CredentialSet>,
): CredentialSet => ({
  provider,
  authMode: 'inline',
  config,
  secrets,
  ...(linked ? { linked } : {}),
})

/** The plan with its temp paths resolved under /T, as exec would see it. */
function resolved(plan: EnvPlan) {
  const set = Object.fromEntries(
    Object.entries(plan.set).map(([k, v]) => [
      k,
      resolveTempPaths(v, (rel) => (rel ? `/T/${rel}` : '/T')),
    ]),
  )
  const files = Object.fromEntries(plan.files.map((file) => [file.path, file.content]))
  return { set, files, unset: plan.unset }
}

const AWS_KEYS = {
  access_key_id: 'AKIAIOSFODNN7EXAMPLE',
  secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
}
const SA_KEY = JSON.stringify({
  type: 'service_account',
  project_id: 'key-project-123',
  private_key: 'PK',
})

describe('credentialsEnv: provider -> standard variables', () => {
  it('aws: keys, region, session token, and stale credential variables removed', () => {
    const plain = resolved(credentialsEnv(inline('aws', { default_region: 'eu-west-1' }, AWS_KEYS)))
    expect(plain.set).toEqual({
      AWS_ACCESS_KEY_ID: AWS_KEYS.access_key_id,
      AWS_SECRET_ACCESS_KEY: AWS_KEYS.secret_access_key,
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    })
    expect(plain.unset).toEqual(
      expect.arrayContaining(['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_WEB_IDENTITY_TOKEN_FILE']),
    )
    const session = resolved(
      credentialsEnv(
        inline('aws', { default_region: 'us-east-1' }, { ...AWS_KEYS, session_token: 'TOKEN' }),
      ),
    )
    expect(session.set.AWS_SESSION_TOKEN).toBe('TOKEN')
    expect(session.unset).not.toContain('AWS_SESSION_TOKEN')
    // An STS endpoint override (no catalog field yet) would become AWS_ENDPOINT_URL_STS.
    const sts = credentialsEnv(
      inline('aws', { [STS_ENDPOINT_FIELD]: 'http://127.0.0.1:9' }, AWS_KEYS),
    )
    expect(sts.set.AWS_ENDPOINT_URL_STS).toBe('http://127.0.0.1:9')
    // The runner's own identity: only the region; the caller's ambient credentials stay.
    const ambient = credentialsEnv({
      provider: 'aws',
      authMode: 'runner-delegated',
      config: { default_region: 'eu-west-1' },
      secrets: {},
    })
    expect(ambient).toEqual({
      set: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' },
      unset: [],
      files: [],
    })
  })

  it('gcp: a key file for gcloud and the client libraries, and the project', () => {
    const plan = resolved(credentialsEnv(inline('gcp', {}, { service_account_key: SA_KEY })))
    expect(plan.set).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: '/T/gcp-key.json',
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: '/T/gcp-key.json',
      CLOUDSDK_CORE_PROJECT: 'key-project-123',
      GOOGLE_CLOUD_PROJECT: 'key-project-123',
    })
    expect(plan.files).toEqual({ 'gcp-key.json': SA_KEY })
    expect(plan.unset).toContain('GOOGLE_CREDENTIALS')
    const overridden = credentialsEnv(
      inline('gcp', { project_id: 'other-project' }, { service_account_key: SA_KEY }),
    )
    expect(overridden.set.CLOUDSDK_CORE_PROJECT).toBe('other-project')
  })

  it('azure: AZURE_* for the SDKs and az, ARM_* for Terraform, per cloud', () => {
    const plan = credentialsEnv(
      inline(
        'azure',
        { tenant_id: 'T', subscription_id: 'S', client_id: 'C', cloud: 'china' },
        { client_secret: 'SECRET' },
      ),
    )
    expect(plan.set).toEqual({
      AZURE_TENANT_ID: 'T',
      ARM_TENANT_ID: 'T',
      AZURE_SUBSCRIPTION_ID: 'S',
      ARM_SUBSCRIPTION_ID: 'S',
      AZURE_CLIENT_ID: 'C',
      ARM_CLIENT_ID: 'C',
      AZURE_CLIENT_SECRET: 'SECRET',
      ARM_CLIENT_SECRET: 'SECRET',
      AZURE_AUTHORITY_HOST: 'https://login.chinacloudapi.cn',
      ARM_ENVIRONMENT: 'china',
    })
    expect(plan.unset).toContain('AZURE_CLIENT_CERTIFICATE_PATH')
  })

  it('digitalocean, civo, github, gitlab: their tokens', () => {
    expect(
      credentialsEnv(
        inline(
          'digitalocean',
          {},
          { api_token: 'dop', spaces_access_key_id: 'ID', spaces_secret_key: 'SK' },
        ),
      ).set,
    ).toEqual({
      DIGITALOCEAN_TOKEN: 'dop',
      DIGITALOCEAN_ACCESS_TOKEN: 'dop',
      SPACES_ACCESS_KEY_ID: 'ID',
      SPACES_SECRET_ACCESS_KEY: 'SK',
    })
    expect(
      credentialsEnv(inline('civo', { default_region: 'LON1' }, { api_key: 'K' })).set,
    ).toEqual({ CIVO_TOKEN: 'K', CIVO_REGION: 'LON1' })
    expect(
      credentialsEnv(inline('github', { api_url: 'https://api.github.com' }, { token: 'ghp' })).set,
    ).toEqual({ GITHUB_TOKEN: 'ghp', GH_TOKEN: 'ghp' })
    expect(
      credentialsEnv(
        inline('github', { api_url: 'https://ghe.example.com/api/v3' }, { token: 'ghp' }),
      ).set,
    ).toEqual({
      GITHUB_TOKEN: 'ghp',
      GH_TOKEN: 'ghp',
      GH_HOST: 'ghe.example.com',
      GH_ENTERPRISE_TOKEN: 'ghp',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    })
    expect(
      credentialsEnv(inline('gitlab', { api_url: 'https://gitlab.com/api/v4' }, { token: 'glpat' }))
        .set,
    ).toEqual({ GITLAB_TOKEN: 'glpat' })
    expect(
      credentialsEnv(
        inline('gitlab', { api_url: 'https://git.example.com/api/v4' }, { token: 'glpat' }),
      ).set,
    ).toEqual({
      GITLAB_TOKEN: 'glpat',
      GITLAB_HOST: 'https://git.example.com',
    })
  })

  it('cloudflare: an API token, or the global key with its email, never both', () => {
    const token = credentialsEnv(inline('cloudflare', { account_id: 'acc' }, { api_token: 'TOK' }))
    expect(token.set).toEqual({ CLOUDFLARE_API_TOKEN: 'TOK', CLOUDFLARE_ACCOUNT_ID: 'acc' })
    expect(token.unset).toEqual(['CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL'])
    const key = credentialsEnv(
      inline('cloudflare', { email: 'ops@example.com' }, { global_api_key: 'KEY' }),
    )
    expect(key.set).toEqual({ CLOUDFLARE_API_KEY: 'KEY', CLOUDFLARE_EMAIL: 'ops@example.com' })
    expect(key.unset).toEqual(['CLOUDFLARE_API_TOKEN'])
  })

  it('registries: a DOCKER_CONFIG folder with the auth (Docker Hub, GAR) or the ECR helper', () => {
    const hub = resolved(
      credentialsEnv(
        inline(
          'dockerhub',
          { username: 'acmeci', registry: 'docker.io' },
          { access_token: 'dckr_pat_x' },
        ),
      ),
    )
    expect(hub.set).toEqual({ DOCKER_CONFIG: '/T/docker' })
    expect(JSON.parse(hub.files['docker/config.json']!)).toEqual({
      auths: {
        'https://index.docker.io/v1/': {
          auth: Buffer.from('acmeci:dckr_pat_x').toString('base64'),
        },
      },
    })
    const gar = resolved(
      credentialsEnv(
        inline('gar', { host: 'europe-west1-docker.pkg.dev' }, { service_account_key: SA_KEY }),
      ),
    )
    expect(gar.set.GOOGLE_APPLICATION_CREDENTIALS).toBe('/T/gar-key.json')
    expect(JSON.parse(gar.files['docker/config.json']!)).toEqual({
      auths: {
        'europe-west1-docker.pkg.dev': {
          auth: Buffer.from(`_json_key:${SA_KEY}`).toString('base64'),
        },
      },
    })
    // ECR with its own keys, or borrowing an AWS connection's (in the ECR region).
    const own = resolved(
      credentialsEnv(inline('ecr', { region: 'eu-west-1', account_id: '123456789012' }, AWS_KEYS)),
    )
    expect(own.set).toMatchObject({
      AWS_ACCESS_KEY_ID: AWS_KEYS.access_key_id,
      AWS_REGION: 'eu-west-1',
      DOCKER_CONFIG: '/T/docker',
    })
    expect(JSON.parse(own.files['docker/config.json']!)).toEqual({
      credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login' },
    })
    const lender = inline(
      'aws',
      { default_region: 'us-east-1' },
      { ...AWS_KEYS, access_key_id: 'AKIAOTHERKEY00000000' },
    )
    const borrowed = credentialsEnv(
      inline(
        'ecr',
        { region: 'eu-west-1', account_id: '1', aws_connection: 'prod-aws' },
        {},
        { aws_connection: lender },
      ),
    )
    expect(borrowed.set).toMatchObject({
      AWS_ACCESS_KEY_ID: 'AKIAOTHERKEY00000000',
      AWS_REGION: 'eu-west-1',
    })
  })

  it('state backends: the borrowed connection’s credentials, in the bucket’s region', () => {
    const lender = inline('aws', { default_region: 'us-east-1' }, AWS_KEYS)
    expect(
      credentialsEnv(
        inline(
          's3-state',
          { bucket: 'b', region: 'eu-west-2', aws_connection: 'x' },
          {},
          { aws_connection: lender },
        ),
      ).set,
    ).toEqual({
      AWS_ACCESS_KEY_ID: AWS_KEYS.access_key_id,
      AWS_SECRET_ACCESS_KEY: AWS_KEYS.secret_access_key,
      AWS_REGION: 'eu-west-2',
      AWS_DEFAULT_REGION: 'eu-west-2',
    })
    expect(credentialsEnv(inline('s3-state', { bucket: 'b', region: 'eu-west-2' })).set).toEqual({
      AWS_REGION: 'eu-west-2',
      AWS_DEFAULT_REGION: 'eu-west-2',
    })
    const gcs = resolved(
      credentialsEnv(
        inline(
          'gcs-state',
          { bucket: 'b', gcp_connection: 'g' },
          {},
          { gcp_connection: inline('gcp', {}, { service_account_key: SA_KEY }) },
        ),
      ),
    )
    expect(gcs.set.GOOGLE_APPLICATION_CREDENTIALS).toBe('/T/gcp-key.json')
    expect(credentialsEnv(inline('gcs-state', { bucket: 'b' }))).toEqual({
      set: {},
      unset: [],
      files: [],
    })
  })

  it('kubernetes: a KUBECONFIG file, built from a token or the stored one with context and namespace', () => {
    const token = resolved(
      credentialsEnv(
        inline(
          'kubernetes',
          {
            source: 'token',
            server: 'https://k8s.example.com:6443',
            ca_certificate: 'PEM',
            namespace: 'platform',
            insecure_skip_tls_verify: 'false',
          },
          { token: 'BEARER' },
        ),
      ),
    )
    expect(token.set).toEqual({ KUBECONFIG: '/T/kubeconfig' })
    expect(parseYaml(token.files.kubeconfig!)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'bridgekeep',
          cluster: {
            server: 'https://k8s.example.com:6443',
            'certificate-authority-data': Buffer.from('PEM').toString('base64'),
          },
        },
      ],
      users: [{ name: 'bridgekeep', user: { token: 'BEARER' } }],
      contexts: [
        {
          name: 'bridgekeep',
          context: { cluster: 'bridgekeep', user: 'bridgekeep', namespace: 'platform' },
        },
      ],
      'current-context': 'bridgekeep',
    })
    const stored = [
      'apiVersion: v1',
      'kind: Config',
      'current-context: a',
      'clusters: [{ name: c, cluster: { server: "https://x" } }]',
      'users: [{ name: u, user: { token: t } }]',
      'contexts:',
      '  - { name: a, context: { cluster: c, user: u } }',
      '  - { name: b, context: { cluster: c, user: u } }',
    ].join('\n')
    const chosen = parseYaml(
      credentialsEnv(
        inline(
          'kubernetes',
          { source: 'kubeconfig', context: 'b', namespace: 'ns' },
          { kubeconfig: stored },
        ),
      ).files[0]!.content,
    )
    expect(chosen['current-context']).toBe('b')
    expect(chosen.contexts[1].context).toEqual({ cluster: 'c', user: 'u', namespace: 'ns' })
    expect(chosen.contexts[0].context).toEqual({ cluster: 'c', user: 'u' })
  })

  it('postgres: PG* for libpq and a DATABASE_URL with the password encoded', () => {
    const plan = resolved(
      credentialsEnv(
        inline(
          'postgres',
          {
            host: 'db.example.com',
            port: '6432',
            database: 'app db',
            user: 'deploy',
            sslmode: 'verify-full',
            ca_certificate: 'CA',
          },
          { password: 'p@ss:w/rd %' },
        ),
      ),
    )
    expect(plan.set).toEqual({
      PGHOST: 'db.example.com',
      PGPORT: '6432',
      PGDATABASE: 'app db',
      PGUSER: 'deploy',
      PGPASSWORD: 'p@ss:w/rd %',
      PGSSLMODE: 'verify-full',
      PGSSLROOTCERT: '/T/postgres-ca.pem',
      DATABASE_URL:
        'postgresql://deploy:p%40ss%3Aw%2Frd%20%25@db.example.com:6432/app%20db?sslmode=verify-full&sslrootcert=/T/postgres-ca.pem',
    })
    expect(plan.files).toEqual({ 'postgres-ca.pem': 'CA' })
    expect(plan.unset).toEqual(['PGSERVICE', 'PGSERVICEFILE'])
    const url = new URL(plan.set.DATABASE_URL!)
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd %')
  })

  it('http: Bridgekeep’s own variables with the template filled', () => {
    const plan = credentialsEnv(
      inline(
        'http',
        {
          url: 'https://$(username):$(password)@h.example.com/x',
          method: 'POST',
          headers: 'Authorization: Bearer $(password)',
          username: 'mon',
        },
        { password: 'a b' },
      ),
    )
    expect(plan.set).toEqual({
      BRIDGEKEEP_HTTP_URL: 'https://mon:a%20b@h.example.com/x',
      BRIDGEKEEP_HTTP_METHOD: 'POST',
      BRIDGEKEEP_HTTP_HEADERS: 'Authorization: Bearer a b',
      BRIDGEKEEP_HTTP_USERNAME: 'mon',
      BRIDGEKEEP_HTTP_PASSWORD: 'a b',
    })
  })

  /** Secrets no tool has a standard variable for: S3-compatible storage keys of non-AWS clouds. */
  const UNMAPPED = new Set([
    'civo.object_store_access_key_id',
    'civo.object_store_secret_key',
    'cloudflare.r2_access_key_id',
    'cloudflare.r2_secret_access_key',
  ])

  describe.each(
    providers.flatMap((p) =>
      p.authModes.filter((m) => m !== 'cross-account').map((m) => [p.id, m] as const),
    ),
  )('every catalog provider: %s (%s)', (providerId, authMode) => {
    it('maps the catalog example, handing every stored secret to the tool', () => {
      const provider = providers.find((p) => p.id === providerId)!
      const validated = validateConnectionValues(
        providerId,
        authMode,
        exampleValues(provider, authMode),
      )
      if (!validated.ok) throw new Error(JSON.stringify(validated.issues))
      const lender = {
        aws_connection: inline('aws', { default_region: 'us-east-1' }, AWS_KEYS),
        gcp_connection: inline('gcp', {}, { service_account_key: SA_KEY }),
      }
      const plan = credentialsEnv({
        provider: providerId,
        authMode,
        config: validated.config,
        secrets: validated.secrets,
        linked: lender,
      })
      expect(Object.keys(plan.set).length + plan.files.length).toBeGreaterThan(0)
      // Docker's auth entries hold base64 of user:secret; kubeconfigs are re-serialised.
      const dockerAuths = plan.files
        .filter((f) => f.path === 'docker/config.json')
        .flatMap((f) =>
          Object.values(
            (JSON.parse(f.content) as { auths?: Record<string, { auth: string }> }).auths ?? {},
          ),
        )
        .map((entry) => Buffer.from(entry.auth, 'base64').toString('utf8'))
      const kubeconfig = plan.files.find((f) => f.path === 'kubeconfig')
      const everything = [
        ...Object.values(plan.set),
        ...plan.files.map((f) => f.content),
        ...dockerAuths,
      ].join('\n')
      for (const [field, value] of Object.entries(validated.secrets)) {
        if (UNMAPPED.has(`${providerId}.${field}`)) continue
        if (field === 'kubeconfig') {
          const original = parseYaml(value) as Record<string, unknown>
          expect(parseYaml(kubeconfig!.content)).toMatchObject({
            clusters: original.clusters,
            users: original.users,
          })
          continue
        }
        expect(everything.includes(value), `${providerId}.${field}`).toBe(true)
      }
      for (const name of Object.keys(plan.set)) expect(name).toMatch(/^[A-Z][A-Z0-9_]*$/)
      for (const file of plan.files) expect(file.path).not.toMatch(/^\/|\.\./)
    })
  })

  it('resolves temp path markers, and leaves other text alone', () => {
    expect(
      resolveTempPaths(`a=${tempPath('x.json')};b=${tempPath('')}`, (rel) => `/dir/${rel}`),
    ).toBe('a=/dir/x.json;b=/dir/')
    expect(resolveTempPaths('plain', () => 'never')).toBe('plain')
  })
})

// Fake credential material for the tests. Every value is obviously fake; token-shaped ones are
// assembled at run time so that secret scanners do not flag this file.
import type { AuthMode, ProviderId } from './types'

/** prefix + filler, cut to exactly `length` characters. */
export const fake = (prefix: string, length: number, filler = 'EXAMPLE0'): string =>
  (prefix + filler.repeat(Math.ceil(length / filler.length))).slice(0, length)

/** DER-looking bytes: an ASN.1 SEQUENCE header, then filler. */
function fakeDer(size: number): string {
  let binary = String.fromCharCode(0x30, 0x82, (size >> 8) & 0xff, size & 0xff)
  for (let i = 0; i < size; i++) binary += String.fromCharCode((i * 37) % 256)
  return btoa(binary)
}

export function fakePem(label: string, size = 300): string {
  const body = fakeDer(size).match(/.{1,64}/g) ?? []
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join('\n')
}

export const certificate = fakePem('CERTIFICATE')

export function serviceAccountKey(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'acme-platform-prod',
    private_key_id: fake('', 40, '0123456789abcdef'),
    private_key: `${fakePem('PRIVATE KEY', 600)}\n`,
    client_email: 'deployer@acme-platform-prod.iam.gserviceaccount.com',
    client_id: '100000000000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    ...overrides,
  })
}

export function kubeconfig(options: { current?: string | null; fileCa?: boolean } = {}): string {
  const current = options.current === undefined ? 'prod-eu' : options.current
  const ca = options.fileCa
    ? '    certificate-authority: /home/me/.minikube/ca.crt'
    : `    certificate-authority-data: ${btoa(certificate)}`
  return [
    'apiVersion: v1',
    'kind: Config',
    ...(current === null ? [] : [`current-context: ${current}`]),
    'clusters:',
    '- name: prod-eu',
    '  cluster:',
    '    server: https://k8s.example.com:6443',
    ca,
    '- name: staging',
    '  cluster:',
    '    server: https://staging.k8s.example.com',
    'users:',
    '- name: deployer',
    '  user:',
    `    token: ${fake('eyJhbGciOiJSUzI1NiJ9.', 120)}`,
    'contexts:',
    '- name: prod-eu',
    '  context:',
    '    cluster: prod-eu',
    '    user: deployer',
    '    namespace: platform',
    '- name: staging',
    '  context:',
    '    cluster: staging',
    '    user: deployer',
  ].join('\n')
}

export const secrets = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  tempAccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: fake('IQoJb3JpZ2luX2VjEXAMPLE', 400, 'ExAmPlE/+0'),
  doToken: `dop_v1_${'0123456789abcdef'.repeat(4)}`,
  spacesId: 'DO00EXAMPLE7KEYID123',
  spacesSecret: fake('EXAMPLE', 43, 'a1B2/'),
  civoKey: fake('EXAMPLE', 50, 'a1B2c3'),
  civoStoreId: 'CIVOEXAMPLEACCESSKEY',
  civoStoreSecret: fake('EXAMPLE', 40, 'x9Y8/'),
  cfToken: fake('EXAMPLE_cf-', 40, 'tOkEn_'),
  cfGlobalKey: fake('', 37, 'abcdef0123456789'),
  r2Id: 'fedcba9876543210fedcba9876543210',
  r2Secret: fake('', 64, '0123456789abcdef'),
  ghClassic: `ghp_${fake('EXAMPLE', 36, 'exAMPle0')}`,
  ghFineGrained: `github_pat_${fake('EXAMPLE_', 82, 'exAMPle_0')}`,
  glToken: `glpat-${fake('EXAMPLE-', 20, 'ex_AMPLE')}`,
  dockerToken: `dckr_pat_${fake('EXAMPLE', 27, 'exAMPLE-')}`,
  azureSecret: fake('Xy8Q~EXAMPLE.', 40, 'aB3_-'),
  k8sToken: fake('eyJhbGciOiJSUzI1NiJ9.eyJFWEFNUExFIjp0cnVlfQ.', 300, 'c2lnbmF0dXJl'),
  pgPassword: 'correct horse battery staple',
}

export interface ValidSet {
  provider: ProviderId
  authMode: AuthMode
  /** Names the set in test titles and in the invalid-value table. */
  name: string
  values: Record<string, string>
  /** Expected normalized config (exactly), when the test should pin it. */
  config?: Record<string, string>
}

const role = 'arn:aws:iam::210987654321:role/bridgekeep-deploy'

export const validSets: ValidSet[] = [
  {
    provider: 'aws',
    authMode: 'inline',
    name: 'aws inline',
    values: {
      access_key_id: secrets.accessKeyId,
      secret_access_key: secrets.secretAccessKey,
      account_id: '1234-5678-9012',
      default_region: 'US-EAST-1',
    },
    config: { account_id: '123456789012', default_region: 'us-east-1' },
  },
  {
    provider: 'aws',
    authMode: 'inline',
    name: 'aws inline temporary',
    values: {
      access_key_id: secrets.tempAccessKeyId,
      secret_access_key: secrets.secretAccessKey,
      session_token: secrets.sessionToken,
      default_region: 'eu-west-1',
    },
  },
  {
    provider: 'aws',
    authMode: 'runner-delegated',
    name: 'aws runner',
    values: { default_region: 'eu-central-1', account_id: '123456789012' },
  },
  {
    provider: 'aws',
    authMode: 'cross-account',
    name: 'aws cross-account',
    values: {
      role_arn: role,
      external_id: 'bk-7f3e9a12-prod',
      account_id: '210987654321',
      default_region: 'us-west-2',
    },
    config: {
      account_id: '210987654321',
      default_region: 'us-west-2',
      role_arn: role,
      external_id: 'bk-7f3e9a12-prod',
      session_name: 'bridgekeep',
    },
  },
  {
    provider: 'aws',
    authMode: 'cross-account',
    name: 'aws cross-account govcloud with base keys',
    values: {
      access_key_id: secrets.accessKeyId,
      secret_access_key: secrets.secretAccessKey,
      role_arn: 'arn:aws-us-gov:iam::210987654321:role/ci/deployer',
      external_id: 'external:id/with=odd,chars@x',
      session_name: 'ci-pipeline',
      default_region: 'us-gov-west-1',
    },
  },
  {
    provider: 'gcp',
    authMode: 'inline',
    name: 'gcp inline',
    values: { service_account_key: serviceAccountKey() },
    config: {},
  },
  {
    provider: 'gcp',
    authMode: 'inline',
    name: 'gcp inline base64 with project override',
    values: { service_account_key: btoa(serviceAccountKey()), project_id: 'acme-shared-dev' },
    config: { project_id: 'acme-shared-dev' },
  },
  {
    provider: 'gcp',
    authMode: 'runner-delegated',
    name: 'gcp runner',
    values: { project_id: 'acme-platform-prod' },
  },
  {
    provider: 'azure',
    authMode: 'inline',
    name: 'azure inline',
    values: {
      tenant_id: 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D',
      subscription_id: '{9b2c7e41-5a3d-4f8e-b1c6-0d4e8f2a6b13}',
      client_id: '3e5f1a2b-7c4d-4e9f-8a6b-1c2d3e4f5a6b',
      client_secret: secrets.azureSecret,
    },
    config: {
      tenant_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      subscription_id: '9b2c7e41-5a3d-4f8e-b1c6-0d4e8f2a6b13',
      client_id: '3e5f1a2b-7c4d-4e9f-8a6b-1c2d3e4f5a6b',
      cloud: 'public',
    },
  },
  {
    provider: 'azure',
    authMode: 'runner-delegated',
    name: 'azure runner',
    values: {
      tenant_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      subscription_id: '9b2c7e41-5a3d-4f8e-b1c6-0d4e8f2a6b13',
      cloud: 'usgovernment',
    },
  },
  {
    provider: 'digitalocean',
    authMode: 'inline',
    name: 'digitalocean',
    values: { api_token: secrets.doToken, default_region: 'fra1' },
  },
  {
    provider: 'digitalocean',
    authMode: 'inline',
    name: 'digitalocean with spaces',
    values: {
      api_token: '0123456789abcdef'.repeat(4),
      default_region: 'ams3',
      spaces_access_key_id: secrets.spacesId,
      spaces_secret_key: secrets.spacesSecret,
    },
  },
  {
    provider: 'civo',
    authMode: 'inline',
    name: 'civo',
    values: {
      api_key: secrets.civoKey,
      default_region: 'lon1',
      object_store_access_key_id: secrets.civoStoreId,
      object_store_secret_key: secrets.civoStoreSecret,
    },
    config: { default_region: 'LON1' },
  },
  {
    provider: 'cloudflare',
    authMode: 'inline',
    name: 'cloudflare token',
    values: { api_token: secrets.cfToken },
  },
  {
    provider: 'cloudflare',
    authMode: 'inline',
    name: 'cloudflare global key with r2',
    values: {
      global_api_key: secrets.cfGlobalKey,
      email: 'Ops@Example.com',
      account_id: '0123456789ABCDEF0123456789ABCDEF',
      r2_access_key_id: secrets.r2Id,
      r2_secret_access_key: secrets.r2Secret,
      r2_endpoint: 'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/',
    },
    config: {
      email: 'ops@example.com',
      account_id: '0123456789abcdef0123456789abcdef',
      r2_endpoint: 'https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com',
    },
  },
  {
    provider: 'github',
    authMode: 'inline',
    name: 'github classic',
    values: { token: secrets.ghClassic },
    config: { api_url: 'https://api.github.com' },
  },
  {
    provider: 'github',
    authMode: 'inline',
    name: 'github enterprise fine-grained',
    values: { token: secrets.ghFineGrained, api_url: 'https://github.example.com/api/v3/' },
    config: { api_url: 'https://github.example.com/api/v3' },
  },
  {
    provider: 'gitlab',
    authMode: 'inline',
    name: 'gitlab self-managed',
    values: { token: secrets.glToken, api_url: 'http://localhost:8080/api/v4' },
  },
  {
    provider: 'dockerhub',
    authMode: 'inline',
    name: 'dockerhub',
    values: { username: 'AcmeCI', access_token: secrets.dockerToken },
    config: { username: 'acmeci', registry: 'docker.io' },
  },
  {
    provider: 'ecr',
    authMode: 'inline',
    name: 'ecr via connection',
    values: { region: 'eu-west-1', account_id: '123456789012', aws_connection: 'prod-aws' },
  },
  {
    provider: 'ecr',
    authMode: 'inline',
    name: 'ecr with keys',
    values: {
      region: 'eu-west-1',
      account_id: '123456789012',
      access_key_id: secrets.accessKeyId,
      secret_access_key: secrets.secretAccessKey,
    },
  },
  {
    provider: 'gar',
    authMode: 'inline',
    name: 'gar',
    values: {
      host: 'europe-west1-docker.pkg.dev',
      service_account_key: serviceAccountKey(),
      repository: 'acme-platform-prod/containers/',
    },
    config: { host: 'europe-west1-docker.pkg.dev', repository: 'acme-platform-prod/containers' },
  },
  {
    provider: 'gar',
    authMode: 'inline',
    name: 'gcr',
    values: { host: 'EU.GCR.IO', service_account_key: serviceAccountKey(), repository: 'acme' },
  },
  {
    provider: 's3-state',
    authMode: 'inline',
    name: 's3 state',
    values: {
      bucket: 'acme-terraform-state',
      region: 'eu-west-1',
      key_prefix: 'teams/platform',
      lock_table: 'terraform-locks',
      aws_connection: 'prod-aws',
    },
  },
  {
    provider: 'gcs-state',
    authMode: 'inline',
    name: 'gcs state',
    values: {
      bucket: 'state.acme.example.com',
      prefix: 'teams/platform',
      gcp_connection: 'prod-gcp',
    },
  },
  {
    provider: 'kubernetes',
    authMode: 'inline',
    name: 'kubernetes kubeconfig',
    values: { source: 'kubeconfig', kubeconfig: kubeconfig(), context: 'staging' },
    config: { source: 'kubeconfig', context: 'staging' },
  },
  {
    provider: 'kubernetes',
    authMode: 'inline',
    name: 'kubernetes kubeconfig current-context',
    values: { source: 'kubeconfig', kubeconfig: kubeconfig(), namespace: 'platform' },
  },
  {
    provider: 'kubernetes',
    authMode: 'inline',
    name: 'kubernetes token',
    values: {
      source: 'token',
      server: 'https://k8s.example.com:6443',
      token: secrets.k8sToken,
      ca_certificate: btoa(certificate),
    },
    config: {
      source: 'token',
      server: 'https://k8s.example.com:6443',
      ca_certificate: certificate,
      insecure_skip_tls_verify: 'false',
    },
  },
  {
    provider: 'postgres',
    authMode: 'inline',
    name: 'postgres verify-full',
    values: {
      host: 'db.internal.example.com',
      port: '6432',
      database: 'app_production',
      user: 'deploy',
      password: secrets.pgPassword,
      sslmode: 'verify-full',
      ca_certificate: `subject=CN=Example Root CA\n${certificate}\n${certificate}`,
    },
  },
  {
    provider: 'postgres',
    authMode: 'inline',
    name: 'postgres defaults',
    values: { host: '10.0.3.17', database: 'app', user: 'deploy', password: secrets.pgPassword },
    config: { host: '10.0.3.17', port: '5432', database: 'app', user: 'deploy', sslmode: 'prefer' },
  },
  {
    provider: 'http',
    authMode: 'inline',
    name: 'http full',
    values: {
      url: 'https://$(username):$(password)@status.example.com/api/health',
      method: 'post',
      headers: 'Accept:application/json\n\nAuthorization: Bearer $(password)',
      username: 'monitor',
      password: secrets.pgPassword,
      client_certificate: `${certificate}\n${fakePem('PRIVATE KEY')}`,
      insecure_tls: 'TRUE',
    },
    config: {
      url: 'https://$(username):$(password)@status.example.com/api/health',
      method: 'POST',
      headers: 'Accept: application/json\nAuthorization: Bearer $(password)',
      username: 'monitor',
      insecure_tls: 'true',
    },
  },
  {
    provider: 'http',
    authMode: 'inline',
    name: 'http minimal',
    values: { url: 'http://127.0.0.1:9100/metrics' },
  },
]

export function validSet(name: string): ValidSet {
  const set = validSets.find((candidate) => candidate.name === name)
  if (!set) throw new Error(`No valid set named ${name}`)
  return set
}

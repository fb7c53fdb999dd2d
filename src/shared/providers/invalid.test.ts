import { describe, expect, it } from 'vitest'
import { fieldApplies } from './fields'
import { getProvider, providers, validateConnectionValues, type FieldSpec } from './index'
import {
  certificate,
  fake,
  fakeOpensshKey,
  fakePem,
  kubeconfig,
  secrets,
  serviceAccountKey,
  validSet,
  validSets,
} from '../../../test/fixtures/provider-values'

/** [valid set to start from, field, invalid values] — every field of every provider. */
const table: [string, string, string[]][] = [
  ['aws inline', 'access_key_id', ['AKIA123', 'akiaiosfodnn7example', secrets.secretAccessKey]],
  ['aws inline', 'secret_access_key', ['Zq7x', `${secrets.secretAccessKey}x`, secrets.accessKeyId]],
  ['aws inline temporary', 'session_token', ['not a token', 'tooShort']],
  ['aws inline', 'account_id', ['12345', '1234-5678-901x']],
  ['aws inline', 'default_region', ['us-moon-1', 'europe']],
  [
    'aws sso',
    'sso_start_url',
    [
      'my-org.awsapps.com/start',
      'http://my-org.awsapps.com/start',
      'https://u:p@my-org.awsapps.com/start',
    ],
  ],
  ['aws sso', 'sso_region', ['us-moon-1']],
  ['aws sso', 'sso_account_id', ['12345']],
  ['aws sso', 'sso_role_name', ['Admin Access', 'a/b']],
  [
    'aws cross-account',
    'role_arn',
    [
      'arn:aws:iam::123:role/x',
      'arn:aws:sts::210987654321:assumed-role/deploy/session',
      'arn:aws:iam::210987654321:user/alice',
    ],
  ],
  ['aws cross-account', 'external_id', ['x', 'has spaces in it']],
  ['aws cross-account', 'session_name', ['a', 'has space']],
  [
    'aws inline',
    'mfa_serial',
    ['arn:aws:iam::123:mfa/alice', 'arn:aws:iam::123456789012:user/alice', 'gaht1234', '123456'],
  ],
  ['aws inline', 'capabilities', [',', 'eks,bogus', 'EKS S3']],
  ['aws inline', 'session_duration', ['10m', '37h', 'soon', '1d', '0']],
  ['aws cross-account', 'session_duration', ['13h', '24h']],
  ['gcp inline', 'service_account_key', ['{"type":"service_account"}', 'not json at all']],
  ['gcp inline', 'project_id', ['My Project', 'ab']],
  ['azure inline', 'tenant_id', ['contoso.onmicrosoft.com', '1234']],
  ['azure inline', 'subscription_id', ['sub-1']],
  ['azure inline', 'client_id', ['my-app']],
  [
    'azure inline',
    'client_secret',
    ['3e5f1a2b-7c4d-4e9f-8a6b-1c2d3e4f5a6b', 'Zq7x', 'has a space in it ok'],
  ],
  ['azure inline', 'cloud', ['mars']],
  [
    'azure inline',
    'token_scope',
    ['vault', 'http://vault.azure.net', 'https://graph.microsoft.com/User.Read'],
  ],
  ['digitalocean', 'api_token', ['dop_v1_123', `doo_v1_${'a'.repeat(64)}`]],
  ['digitalocean', 'default_region', ['nyc2', 'us-east-1']],
  ['digitalocean with spaces', 'spaces_access_key_id', ['do00lowercase0000000', 'SHORT']],
  ['digitalocean with spaces', 'spaces_secret_key', ['Zq7x', `${secrets.spacesSecret}xyz`]],
  ['civo', 'api_key', ['Zq7x', 'has-dashes-which-civo-keys-do-not']],
  ['civo', 'default_region', ['LON2']],
  ['civo', 'object_store_access_key_id', ['bad id!']],
  ['civo', 'object_store_secret_key', ['Zq7x', 'has space in the middle of it']],
  ['cloudflare token', 'api_token', ['Zq7x', secrets.cfGlobalKey]],
  ['cloudflare global key with r2', 'global_api_key', ['abc', secrets.cfToken]],
  ['cloudflare global key with r2', 'email', ['not-an-email']],
  ['cloudflare global key with r2', 'account_id', ['0123']],
  ['cloudflare global key with r2', 'r2_access_key_id', ['SHORT12345', 'has-dashes-0123456789']],
  ['cloudflare global key with r2', 'r2_secret_access_key', ['Zq7x', 'has a space']],
  ['cloudflare global key with r2', 'r2_endpoint', ['http://r2.example.com', 'not a url']],
  [
    'github classic',
    'token',
    ['ghp_short', `github_pat_${'a'.repeat(20)}`, 'glpat-xxxxxxxxxxxxxxxxxxxx', 'a'.repeat(40)],
  ],
  [
    'github classic',
    'api_url',
    [
      'http://github.example.com/api/v3',
      'https://github.com',
      'ftp://x',
      'https://u:p@h.example.com',
    ],
  ],
  ['gitlab self-managed', 'token', ['glpat-short', `gldt-${'a'.repeat(20)}`]],
  [
    'gitlab self-managed',
    'api_url',
    ['https://gitlab.example.com', 'http://gitlab.example.com/api/v4'],
  ],
  ['dockerhub', 'username', ['me@example.com', 'abc', 'has_underscore']],
  ['dockerhub', 'access_token', ['Zq7x', 'dckr_pat_ with spaces inside']],
  ['dockerhub', 'registry', ['https://docker.io', 'docker.io:99999']],
  ['ecr via connection', 'region', ['mars-1']],
  ['ecr via connection', 'account_id', ['abc']],
  ['ecr via connection', 'aws_connection', ['Prod AWS', '-prod']],
  ['ecr with keys', 'access_key_id', ['AKIA-Zq7']],
  ['ecr with keys', 'secret_access_key', ['Zq7x']],
  [
    'gar',
    'host',
    ['docker.io', 'https://europe-west1-docker.pkg.dev', 'europe-west1-docker.pkg.dev/acme/x'],
  ],
  ['gar', 'service_account_key', [serviceAccountKey({ type: 'authorized_user' })]],
  [
    'gar',
    'repository',
    ['/acme/containers', 'Acme/Containers', 'europe-west1-docker.pkg.dev/acme/x'],
  ],
  [
    's3 state',
    'bucket',
    [
      'ab',
      'Acme-State',
      '192.168.1.1',
      'acme..state',
      'xn--acme',
      's3://acme-state',
      'acme-s3alias',
    ],
  ],
  ['s3 state', 'region', ['eu-west-9']],
  ['s3 state', 'key_prefix', ['/teams/platform', 'teams/../etc']],
  ['s3 state', 'lock_table', ['ab', 'has space']],
  ['s3 state', 'aws_connection', ['prod_aws']],
  [
    'gcs state',
    'bucket',
    ['gs://acme', 'google-state', 'goog-acme', 'Acme', `${'a'.repeat(64)}`, '-acme'],
  ],
  ['gcs state', 'prefix', ['/state']],
  ['gcs state', 'gcp_connection', ['Prod']],
  ['kubernetes kubeconfig', 'source', ['file']],
  [
    'kubernetes kubeconfig',
    'kubeconfig',
    ['clusters: [', 'apiVersion: v1\nkind: Pod', 'apiVersion: v1\nkind: Config\ncontexts: []'],
  ],
  ['kubernetes kubeconfig', 'context', ['two\nlines']],
  ['kubernetes kubeconfig', 'namespace', ['Platform', 'a_b']],
  ['kubernetes token', 'server', ['http://k8s.example.com', 'k8s.example.com']],
  ['kubernetes token', 'token', [`Bearer ${secrets.k8sToken}`, 'Zq7x', 'has spaces in the token']],
  [
    'kubernetes token',
    'ca_certificate',
    ['not a cert', fakePem('PRIVATE KEY'), '-----BEGIN CERTIFICATE-----\nMIIB'],
  ],
  ['kubernetes token', 'insecure_skip_tls_verify', ['yes please']],
  [
    'postgres verify-full',
    'host',
    [
      'postgres://u:p@db.example.com/app',
      'db.example.com:5432',
      'bad host!',
      'a:b:c',
      'fe80::1::2',
    ],
  ],
  ['postgres verify-full', 'port', ['0', '65536', 'abc', '-1']],
  ['postgres verify-full', 'database', ['two\nlines', 'x'.repeat(64)]],
  ['postgres verify-full', 'user', ['tab\tuser']],
  ['postgres verify-full', 'password', ['bell\u0007char', 'x'.repeat(1025)]],
  ['postgres verify-full', 'sslmode', ['strict']],
  [
    'postgres verify-full',
    'ca_certificate',
    ['-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----'],
  ],
  [
    'http full',
    'url',
    [
      'https://status.example.com/$(token)',
      'https://status.example.com/$(user',
      'https://admin:hunter2hunter2@status.example.com/',
      'ftp://status.example.com',
      'not a url',
      '$(password)/health',
      '$(username)',
      'https://$(password).example.com/',
    ],
  ],
  ['http full', 'method', ['DELETE']],
  ['http full', 'port', ['0', '65536', 'https', '-1']],
  [
    'http full',
    'properties',
    [
      'tenant=acme',
      '["tenant"]',
      '[["","acme"]]',
      '[["1st","x"]]',
      '[["tenant","a"],["tenant","b"]]',
      '{"api-version":"1","api_version":"2"}',
      '{"tenant":3}',
      '{"tenant":"line\nbreak"}',
      `{"tenant":"${'x'.repeat(1025)}"}`,
      JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, 'v']))),
    ],
  ],
  [
    'http full',
    'headers',
    [
      'no colon here',
      'Bad Name: x',
      'Authorization: Bearer literal-token-value',
      'X-Thing: $(apikey)',
    ],
  ],
  ['http full', 'username', ['line\nbreak']],
  ['http full', 'password', ['null\u0000byte']],
  [
    'http full',
    'client_certificate',
    [certificate, `${certificate}\n${fakePem('ENCRYPTED PRIVATE KEY')}`],
  ],
  ['http full', 'insecure_tls', ['1']],
  // Advanced endpoint overrides and CA certificates (verification)
  [
    'aws inline',
    'sts_endpoint',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  [
    'aws inline',
    'iam_endpoint',
    ['http://iam.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  ['aws inline', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['gcp inline', 'token_endpoint', ['http://oauth2.example.com/token', 'not a url']],
  ['gcp inline', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['azure inline', 'authority_host', ['http://localhost:8443', 'login.microsoftonline.us']],
  ['azure inline', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  [
    'digitalocean',
    'api_url',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  ['digitalocean', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  [
    'civo',
    'api_url',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  ['civo', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  [
    'cloudflare token',
    'api_url',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  ['cloudflare token', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['github classic', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['gitlab self-managed', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['dockerhub', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  [
    'ecr with keys',
    'sts_endpoint',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  [
    'ecr with keys',
    'ecr_endpoint',
    ['http://api.ecr.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  ['ecr with keys', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  [
    'gar',
    'registry_url',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  [
    'gar',
    'token_endpoint',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  ['gar', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  [
    'gcs state',
    'storage_endpoint',
    ['http://sts.example.com', 'ftp://x.example.com', 'https://user:pw@x.example.com'],
  ],
  ['http minimal', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  // Notifications
  ['smtp starttls', 'host', ['smtp://smtp.example.com', 'smtp.example.com:587', 'bad host!']],
  ['smtp starttls', 'security', ['ssl', 'none']],
  ['smtp starttls', 'port', ['0', '465', 'abc']],
  ['smtp loopback without tls', 'port', ['65536']],
  ['smtp starttls', 'username', ['two\nlines']],
  ['smtp starttls', 'password', ['bell\u0007char', 'x'.repeat(1025)]],
  ['smtp starttls', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['slack token', 'credential', ['oauth']],
  [
    'slack token',
    'token',
    [
      `Bearer ${secrets.slackToken}`,
      'xapp-1-A0123-456-abcdefabcdef',
      'xoxb-short',
      secrets.slackWebhook,
    ],
  ],
  [
    'slack webhook',
    'webhook_url',
    ['https://hooks.slack.com/services/T0/B0', secrets.slackToken, 'http://hooks.slack.com/x'],
  ],
  ['slack token', 'api_url', ['http://slack.example.com/api', 'not a url']],
  ['slack token', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['discord bot', 'credential', ['oauth']],
  ['discord bot', 'bot_token', [`Bot ${secrets.discordToken}`, 'Zq7x', secrets.discordWebhook]],
  [
    'discord webhook',
    'webhook_url',
    ['https://discord.com/api/webhooks/123/abc', 'https://evil.example.com/api/webhooks/1/2'],
  ],
  ['discord bot', 'api_url', ['http://discord.example.com/api', 'not a url']],
  ['discord bot', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['telegram', 'bot_token', [`bot${secrets.telegramToken}`, '123456789:short', 'Zq7x']],
  ['telegram', 'chat_id', ['general', '@ab', '12.5']],
  ['telegram', 'api_url', ['http://telegram.example.com', 'not a url']],
  ['telegram', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['ntfy token', 'server_url', ['ntfy.sh', 'http://ntfy.example.com', 'https://u:p@ntfy.sh']],
  ['ntfy token', 'topic', ['https://ntfy.sh/deploys', 'has spaces', 'x'.repeat(65)]],
  ['ntfy token', 'access_token', [`Bearer ${secrets.ntfyToken}`, 'tk_short', secrets.pgPassword]],
  ['ntfy self-hosted login', 'username', ['two\nlines']],
  ['ntfy self-hosted login', 'password', ['bell\u0007char']],
  ['ntfy self-hosted login', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['pushbullet', 'access_token', ['o.short', `Access-Token: ${secrets.pushbulletToken}`, 'Zq7x']],
  ['pushbullet', 'api_url', ['http://pushbullet.example.com', 'not a url']],
  ['pushbullet', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  ['pushover', 'app_token', ['short', `${secrets.pushoverApp}x`, 'has-dashes-in-it-000000000000']],
  ['pushover', 'user_key', ['short', `${secrets.pushoverUser}x`]],
  ['pushover', 'device', ['my phone', 'x'.repeat(26), 'a,,b']],
  ['pushover', 'api_url', ['http://pushover.example.com', 'not a url']],
  ['pushover', 'ca_certificate', ['not a certificate', fakePem('PRIVATE KEY')]],
  [
    'openai',
    'api_key',
    ['sk-short', `sk-admin-${'a'.repeat(40)}`, secrets.anthropicKey, 'has space in it sk-'],
  ],
  ['openai', 'organization_id', ['acme', 'org_EXAMPLE7Kx2mQ9rT4vW1']],
  ['openai', 'project_id', ['proj-EXAMPLE3hN8pL5sD2fG6', 'default']],
  ['openai', 'api_url', ['http://api.example.com/v1', 'not a url']],
  ['openai', 'ca_certificate', ['not a certificate']],
  [
    'anthropic',
    'api_key',
    [secrets.openaiKey, `sk-ant-admin01-${'a'.repeat(40)}`, 'sk-ant-api03-short'],
  ],
  ['anthropic', 'api_url', ['http://api.example.com', 'ftp://x.example.com']],
  ['anthropic', 'ca_certificate', ['not a certificate']],
  ['ollama on the LAN', 'base_url', ['localhost:11434', 'ftp://x.example.com', 'http://u:p@h']],
  ['ollama with token', 'api_key', ['Zq7x', 'has a space in it']],
  ['ollama with token', 'ca_certificate', ['not a certificate']],
  ['scaleway', 'access_key', ['AKIAIOSFODNN7EXAMPLE', 'SCW123']],
  ['scaleway', 'secret_key', ['Zq7x', '1b2c3d4e5f604a7b8c9d0e1f2a3b4c5d']],
  ['scaleway', 'default_project_id', ['default', 'acme-prod']],
  ['scaleway', 'default_organization_id', ['acme']],
  ['scaleway', 'default_region', ['fr-par-1', 'eu-west-1']],
  ['scaleway', 'default_zone', ['nl-ams-9', 'fr-par-1']],
  ['scaleway', 'api_url', ['http://api.example.com', 'not a url']],
  ['scaleway', 'ca_certificate', ['not a certificate']],
  ['git https', 'transport', ['ftp']],
  [
    'git https',
    'repository_url',
    [
      'git@git.example.com:team/app.git',
      'http://git.example.com/a.git',
      'https://git.example.com/',
    ],
  ],
  ['git https', 'username', ['two\nlines']],
  ['git https', 'token', ['Zq7x', 'has a space in it']],
  ['git https', 'ca_certificate', ['not a certificate']],
  ['git ssh', 'ssh_url', ['https://git.example.com/a.git', 'git.example.com', 'git@host: a b']],
  [
    'git ssh',
    'private_key',
    [
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE me@laptop',
      fakeOpensshKey('aes256-ctr'),
      fakePem('ENCRYPTED PRIVATE KEY'),
      certificate,
      'not a key',
    ],
  ],
  [
    'azure-devops',
    'organization_url',
    ['https://dev.azure.com/contoso/project', 'http://tfs.example.com', 'dev.azure.com/contoso'],
  ],
  ['azure-devops', 'pat', ['Zq7x', `${secrets.azdoPat}x`]],
  ['azure-devops', 'ca_certificate', ['not a certificate']],
  ['opensearch basic', 'url', ['http://search.example.com:9200', 'search.example.com']],
  ['opensearch basic', 'auth', ['token']],
  ['opensearch basic', 'username', ['two\nlines']],
  ['opensearch basic', 'password', ['null\u0000byte']],
  ['elasticsearch api key', 'api_key', ['Zq7x', 'has a space in it, not base64']],
  ['opensearch basic', 'ca_certificate', ['not a certificate']],
  ['sftp password', 'host', ['sftp://files.example.com', 'files.example.com:22', 'bad host!']],
  ['sftp password', 'port', ['0', '65536', 'ssh']],
  [
    'sftp password',
    'username',
    ['deploy@files.example.com', 'two words', 'a/b', '-oProxyCommand=x'],
  ],
  ['sftp password', 'auth', ['agent']],
  ['sftp password', 'password', ['bell\u0007char']],
  [
    'sftp key with passphrase',
    'private_key',
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample me@laptop', 'not a key', fakePem('CERTIFICATE')],
  ],
  ['sftp key with passphrase', 'passphrase', ['null\u0000byte']],
  [
    'sftp password',
    'host_key_fingerprint',
    [
      'MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48',
      '16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48',
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample',
      'SHA256:tooShort',
      'files.example.com',
    ],
  ],
  ['sftp key with passphrase', 'remote_path', ['C:\\upload', 'two\nlines']],
  ['smb', 'host', ['\\\\nas.example.com', 'smb://nas.example.com', 'nas.example.com:445']],
  ['smb', 'port', ['0', 'cifs']],
  ['smb', 'share', ['\\\\nas\\backups', '//nas/backups', 'back:ups', 'x'.repeat(81), '..', '.']],
  ['smb', 'domain', ['CONTOSO\\alice', 'two words', '-dash']],
  ['smb', 'username', ['CONTOSO\\alice', 'user%password', 'two\nlines', '-Nuser']],
  ['smb', 'password', ['bell\u0007char', 'x'.repeat(1025)]],
  // The runner a connection's operations go to: a runner name (that it exists is the vault's check)
  ['aws runner', 'runner', ['Build EU', 'build_eu', 'x'.repeat(41)]],
  ['aws cross-account', 'runner', ['EU']],
  ['gcp runner', 'runner', ['build eu']],
  ['azure runner', 'runner', ['build.eu']],
  ['kubernetes runner in-cluster', 'runner', ['Pod EU']],
  ['kubernetes runner in-cluster', 'runner_source', ['pod']],
  ['kubernetes runner context', 'runner_context', ['two\nlines']],
  ['aws runner', 'profile', ['my profile', 'x'.repeat(129), '[deploy]']],
]

const labelOf = (providerId: string, key: string): FieldSpec => {
  const field = getProvider(providerId)?.fields.find((candidate) => candidate.key === key)
  if (!field) throw new Error(`${providerId} has no field ${key}`)
  return field
}

describe('invalid values', () => {
  it('the table covers every field of every provider', () => {
    const covered = new Set(table.map(([set, key]) => `${validSet(set).provider}.${key}`))
    const missing = providers
      .flatMap((provider) => provider.fields.map((field) => `${provider.id}.${field.key}`))
      .filter((entry) => !covered.has(entry))
    expect(missing).toEqual([])
  })

  const cases = table.flatMap(([setName, key, values]) =>
    values.map((value) => [setName, key, JSON.stringify(value).slice(0, 50), value] as const),
  )

  it.each(cases)('%s: %s = %s', (setName, key, _shown, value) => {
    const set = validSet(setName)
    const field = labelOf(set.provider, key)
    const values = { ...set.values, [key]: value }
    expect(fieldApplies(field, set.authMode, values)).toBe(true)
    const result = validateConnectionValues(set.provider, set.authMode, values)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toHaveLength(1)
    const [issue] = result.issues
    expect(issue?.field).toBe(key)
    expect(issue?.message.startsWith(`${field.label}: `)).toBe(true)
    expect(issue?.message).toMatch(/[.)?]$/)
    if (field.secret) expect(issue?.message).not.toContain(value.trim())
  })
})

describe('secret values never appear in messages', () => {
  const canary = `C4NARY${Math.random().toString(36).slice(2, 10).toUpperCase()}`
  /** Invalid values in many shapes, each carrying the canary where a parser might echo it. */
  const shapes = [
    `${canary} \u0007 invalid`,
    `${canary}`,
    `AKIA${canary}`,
    `ghp_${canary}`,
    `glpat-${canary}!`,
    `dop_v1_${canary}`,
    `Bearer ${canary}`,
    `{"type":"service_account","project_id":"${canary}"`,
    `{"type":"${canary}","private_key":"${canary}"}`,
    btoa(
      serviceAccountKey({
        private_key: `-----BEGIN PRIVATE KEY-----\n${canary}\n-----END PRIVATE KEY-----`,
      }),
    ),
    serviceAccountKey({ client_email: canary }),
    `-----BEGIN CERTIFICATE-----\n${canary}\n-----END CERTIFICATE-----`,
    `apiVersion: v1\nkind: Config\ncontexts:\n- name: ${canary}\n  context: [${canary}`,
    `apiVersion: v1\nkind: ${canary}`,
    `apiVersion: v1\nkind: Config\ncontexts:\n- name: ${canary}\n  context:\n    cluster: ${canary}\n    user: x`,
    `${canary}: *${canary}`,
    `key: !!${canary} value\nother: [`,
  ]
  // Every set where a given secret field applies; each shape in each of them.
  const cases = validSets.flatMap((set) => {
    const provider = getProvider(set.provider)
    return (provider?.fields ?? [])
      .filter((field) => field.secret && fieldApplies(field, set.authMode, set.values))
      .map((field) => [set.name, field.key, set] as const)
  })

  it.each(cases)('%s: %s', (_name, key, set) => {
    for (const shape of shapes) {
      const result = validateConnectionValues(set.provider, set.authMode, {
        ...set.values,
        [key]: shape,
      })
      if (shape.includes('\u0007')) expect(result.ok).toBe(false)
      if (result.ok) continue
      for (const issue of result.issues) expect(issue.message).not.toContain(canary)
    }
  })

  it('a secret value in a cross-field message would be redacted', () => {
    // ASIA key without a session token: the message talks about the key but must not quote it.
    const result = validateConnectionValues('aws', 'inline', {
      access_key_id: secrets.tempAccessKeyId,
      secret_access_key: secrets.secretAccessKey,
      default_region: 'us-west-2',
    })
    expect(!result.ok && result.issues.map((issue) => issue.field)).toEqual(['session_token'])
    expect(JSON.stringify(result)).not.toContain(secrets.tempAccessKeyId)
  })

  it('a long token of the right shape but wrong length is described, not quoted', () => {
    const token = `ghp_${fake('', 30, 'Zq9')}`
    const result = validateConnectionValues('github', 'inline', { token })
    expect(JSON.stringify(result)).not.toContain(token.slice(4))
  })

  it('kubeconfig YAML errors give a position, not a snippet', () => {
    const text = `${kubeconfig()}\npreferences: [C4NARYSNIPPET`
    const result = validateConnectionValues('kubernetes', 'inline', {
      source: 'kubeconfig',
      kubeconfig: text,
    })
    expect(!result.ok && result.issues[0]?.message).toMatch(
      /^Kubeconfig: is not valid YAML \(line \d+, column \d+\)/,
    )
    expect(JSON.stringify(result)).not.toContain('C4NARYSNIPPET')
  })
})

describe('hostile input', () => {
  // 64 KiB is the most a form value may hold (connections.ts). Deep nesting once crashed the
  // process from inside the YAML parser; quadratic patterns took seconds.
  const inputs = [
    '['.repeat(60_000),
    '- '.repeat(32_000),
    `a@${'a.'.repeat(32_000)}!`,
    '-----BEGIN A-----'.repeat(3_800),
    '$('.repeat(32_000),
    'a:'.repeat(32_000),
  ]
  const cases = providers.map((provider) => {
    const set = validSets.find((candidate) => candidate.provider === provider.id)
    if (!set) throw new Error(`no valid set for ${provider.id}`)
    return [provider.id, set] as const
  })

  it.each(cases)('%s stays fast', (_id, set) => {
    const provider = getProvider(set.provider)
    for (const field of provider?.fields ?? [])
      for (const input of inputs) {
        const started = performance.now()
        validateConnectionValues(set.provider, set.authMode, { ...set.values, [field.key]: input })
        expect(performance.now() - started, `${field.key}: ${input.slice(0, 8)}`).toBeLessThan(
          1_000,
        )
      }
  })
})

import { describe, expect, it } from 'vitest'
import { getProvider, validateConnectionValues, type ValidationResult } from './index'
import {
  certificate,
  fakeOpensshKey,
  kubeconfig,
  secrets,
  serviceAccountKey,
  validSet,
} from '../../../test/fixtures/provider-values'

type Values = Record<string, string>

function validate(provider: string, mode: string, values: Values, edit = false): ValidationResult {
  const result = validateConnectionValues(provider, mode, values, { keepExistingSecrets: edit })
  // Cross-field messages talk about secrets but must never quote them.
  const secretKeys = getProvider(provider)?.fields.filter((field) => field.secret) ?? []
  if (!result.ok)
    for (const field of secretKeys) {
      const value = values[field.key]
      if (value) for (const issue of result.issues) expect(issue.message).not.toContain(value)
    }
  return result
}

/** The issues as field -> message, to assert both at once. */
function issues(result: ValidationResult): Record<string, string> {
  if (result.ok) return {}
  return Object.fromEntries(result.issues.map((issue) => [issue.field, issue.message]))
}

const base = (name: string): Values => ({ ...validSet(name).values })

describe('AWS auth modes', () => {
  const crossAccount = base('aws cross-account')

  it('cross-account: base keys are optional, but both or neither', () => {
    expect(validate('aws', 'cross-account', crossAccount).ok).toBe(true)
    const onlyId = validate('aws', 'cross-account', {
      ...crossAccount,
      access_key_id: secrets.accessKeyId,
    })
    expect(issues(onlyId)).toEqual({
      secret_access_key: expect.stringMatching(
        /^Secret access key: required when the other base key is given/,
      ),
    })
    const onlySecret = validate('aws', 'cross-account', {
      ...crossAccount,
      secret_access_key: secrets.secretAccessKey,
    })
    expect(Object.keys(issues(onlySecret))).toEqual(['access_key_id'])
  })

  it('cross-account needs a role ARN and external ID', () => {
    const result = validate('aws', 'cross-account', { default_region: 'us-west-2' })
    expect(Object.keys(issues(result))).toEqual(['role_arn', 'external_id'])
  })

  it('cross-account: the role partition matches the region, the account matches the role', () => {
    const gov = validate('aws', 'cross-account', {
      ...crossAccount,
      default_region: 'us-gov-east-1',
    })
    expect(issues(gov).role_arn).toMatch(
      /partition "aws" but the default region us-gov-east-1 is in "aws-us-gov"/,
    )
    const account = validate('aws', 'cross-account', {
      ...crossAccount,
      account_id: '123456789012',
    })
    expect(issues(account).account_id).toMatch(/does not match the role ARN's account 210987654321/)
  })

  it('an MFA device: its ARN or a hardware serial; not with temporary keys, not a user ARN', () => {
    const inline = base('aws inline')
    for (const serial of ['arn:aws:iam::123456789012:mfa/alice', 'GAHT12345678'])
      expect(validate('aws', 'inline', { ...inline, mfa_serial: serial }).ok).toBe(true)
    expect(
      validate('aws', 'cross-account', {
        ...crossAccount,
        mfa_serial: 'arn:aws:iam::123456789012:mfa/ci/alice',
      }).ok,
    ).toBe(true)
    const user = validate('aws', 'inline', {
      ...inline,
      mfa_serial: 'arn:aws:iam::123456789012:user/alice',
    })
    expect(issues(user).mfa_serial).toMatch(/is a user or role ARN, not an MFA device's/)
    const temporary = validate('aws', 'inline', {
      ...base('aws inline temporary'),
      mfa_serial: 'GAHT12345678',
    })
    expect(issues(temporary).mfa_serial).toMatch(
      /temporary keys \(with a session token\) cannot start an MFA session/,
    )
  })

  it('runner-delegated needs only a region', () => {
    expect(validate('aws', 'runner-delegated', { default_region: 'ap-southeast-2' }).ok).toBe(true)
  })

  it('temporary keys need their session token; long-term keys must not have one', () => {
    const temporary = base('aws inline temporary')
    delete temporary.session_token
    expect(Object.keys(issues(validate('aws', 'inline', temporary)))).toEqual(['session_token'])
    const longTerm = { ...base('aws inline'), session_token: secrets.sessionToken }
    expect(issues(validate('aws', 'inline', longTerm)).session_token).toMatch(/only temporary keys/)
    const tokenOnly = { ...crossAccount, session_token: secrets.sessionToken }
    expect(Object.keys(issues(validate('aws', 'cross-account', tokenOnly)))).toEqual([
      'access_key_id',
      'secret_access_key',
    ])
  })

  it('editing: kept keys satisfy inline and do not trigger the pair rule', () => {
    expect(validate('aws', 'inline', { default_region: 'us-west-2' }, true).ok).toBe(true)
    expect(validate('aws', 'cross-account', crossAccount, true).ok).toBe(true)
    const rotateSecret = { ...crossAccount, secret_access_key: secrets.secretAccessKey }
    expect(validate('aws', 'cross-account', rotateSecret, true).ok).toBe(true)
  })
})

describe('GCP modes', () => {
  it('inline needs the key, runner-delegated the project', () => {
    expect(Object.keys(issues(validate('gcp', 'inline', {})))).toEqual(['service_account_key'])
    expect(Object.keys(issues(validate('gcp', 'runner-delegated', {})))).toEqual(['project_id'])
  })

  it('takes the project from the key when Project ID is empty, and asks for it when the key has none', () => {
    const withProject = serviceAccountKey()
    expect(validate('gcp', 'inline', { service_account_key: withProject }).ok).toBe(true)
    const withoutProject = serviceAccountKey({ project_id: undefined })
    expect(issues(validate('gcp', 'inline', { service_account_key: withoutProject }))).toEqual({
      project_id:
        "Project ID: required, because the service account key has no project_id. Enter the project ID from the console's project picker (its ID column), e.g. acme-platform-prod.",
    })
    const given = { service_account_key: withoutProject, project_id: 'acme-platform-prod' }
    expect(validate('gcp', 'inline', given).ok).toBe(true)
    // Editing with the key kept: its content is unknown here, so nothing is asked.
    expect(validate('gcp', 'inline', {}, true).ok).toBe(true)
    expect(getProvider('gcp')!.derive!({}, { service_account_key: withProject })).toEqual({
      project_id: 'acme-platform-prod',
    })
    expect(
      getProvider('gcp')!.derive!(
        { project_id: 'acme-given' },
        { service_account_key: withProject },
      ),
    ).toEqual({})
    expect(getProvider('gcp')!.derive!({}, { service_account_key: withoutProject })).toEqual({})
  })
})

describe('Cloudflare: token or global key', () => {
  const token = base('cloudflare token')
  const key = base('cloudflare global key with r2')

  it('rejects both methods at once, and neither', () => {
    const both = validate('cloudflare', 'inline', { ...key, api_token: secrets.cfToken })
    expect(issues(both)).toEqual({
      '': expect.stringMatching(/^Use either an API token, or the Global API key/),
    })
    const neither = validate('cloudflare', 'inline', { account_id: key.account_id ?? '' })
    expect(issues(neither)).toEqual({ '': expect.stringMatching(/^Enter an API token/) })
  })

  it('the global key needs the email and vice versa', () => {
    expect(
      issues(validate('cloudflare', 'inline', { global_api_key: secrets.cfGlobalKey })),
    ).toEqual({
      email: expect.stringMatching(/^Email: required with the Global API key method/),
    })
    expect(
      Object.keys(issues(validate('cloudflare', 'inline', { email: 'ops@example.com' }))),
    ).toEqual(['global_api_key'])
  })

  it('R2 keys are both or neither; the endpoint follows from the account ID', () => {
    const { r2_endpoint: _endpoint, r2_secret_access_key: _secret, ...partial } = key
    expect(Object.keys(issues(validate('cloudflare', 'inline', partial)))).toEqual([
      'r2_secret_access_key',
    ])
    const { r2_endpoint: _given, ...derived } = key
    expect(validate('cloudflare', 'inline', derived).ok).toBe(true)
    const { account_id: _account, ...noAccount } = derived
    expect(issues(validate('cloudflare', 'inline', noAccount))).toEqual({
      r2_endpoint: expect.stringMatching(/^R2 endpoint: required for R2 when no Account ID/),
    })
    expect(
      validate('cloudflare', 'inline', { ...token, r2_endpoint: key.r2_endpoint ?? '' }).ok,
    ).toBe(false)
  })

  it('the R2 endpoint belongs to the account', () => {
    const other = validate('cloudflare', 'inline', {
      ...key,
      r2_endpoint: 'https://ffffffffffffffffffffffffffffffff.r2.cloudflarestorage.com',
    })
    expect(issues(other).r2_endpoint).toMatch(/is not for account 0123456789abcdef0123456789abcdef/)
  })

  it('editing: the email tells which method the kept secret belongs to', () => {
    expect(validate('cloudflare', 'inline', {}, true).ok).toBe(true)
    expect(validate('cloudflare', 'inline', { email: 'ops@example.com' }, true).ok).toBe(true)
    expect(validate('cloudflare', 'inline', { global_api_key: secrets.cfGlobalKey }, true).ok).toBe(
      false,
    )
  })
})

describe('object storage key pairs', () => {
  it('DigitalOcean Spaces: both or neither', () => {
    const set = base('digitalocean with spaces')
    delete set.spaces_secret_key
    expect(issues(validate('digitalocean', 'inline', set))).toEqual({
      spaces_secret_key: expect.stringMatching(
        /^Spaces secret key: required with the other Spaces key/,
      ),
    })
  })

  it('Civo Object Store: both or neither', () => {
    const set = base('civo')
    delete set.object_store_access_key_id
    expect(Object.keys(issues(validate('civo', 'inline', set)))).toEqual([
      'object_store_access_key_id',
    ])
    delete set.object_store_secret_key
    expect(validate('civo', 'inline', set).ok).toBe(true)
  })
})

describe('ECR credentials', () => {
  const connection = base('ecr via connection')
  const keys = base('ecr with keys')

  it('needs a connection or keys, not both', () => {
    const both = validate('ecr', 'inline', { ...keys, aws_connection: 'prod-aws' })
    expect(issues(both)).toEqual({
      '': expect.stringMatching(/^Use either an AWS connection or access keys/),
    })
    const neither = validate('ecr', 'inline', { region: 'eu-west-1', account_id: '123456789012' })
    expect(issues(neither)).toEqual({
      '': expect.stringMatching(/^Credentials: enter the slug of an AWS connection/),
    })
  })

  it('keys come in pairs', () => {
    const { secret_access_key: _secret, ...onlyId } = keys
    expect(Object.keys(issues(validate('ecr', 'inline', onlyId)))).toEqual(['secret_access_key'])
    expect(validate('ecr', 'inline', connection).ok).toBe(true)
  })
})

describe('Kubernetes source', () => {
  it('requires the fields of the chosen source only', () => {
    expect(Object.keys(issues(validate('kubernetes', 'inline', { source: 'kubeconfig' })))).toEqual(
      ['kubeconfig'],
    )
    const token = issues(
      validate('kubernetes', 'inline', { source: 'token', kubeconfig: kubeconfig() }),
    )
    expect(Object.keys(token)).toEqual(['server', 'token'])
    expect(token.server).toMatch(/or set Credentials to "Kubeconfig file"/)
  })

  it("runner-delegated: the runner's service account, or a context of the runner's kubeconfig", () => {
    const inCluster = validate('kubernetes', 'runner-delegated', {
      runner_source: 'in-cluster',
      runner: 'pod-eu',
    })
    expect(inCluster).toMatchObject({
      ok: true,
      config: { runner_source: 'in-cluster', runner: 'pod-eu' },
      secrets: {},
    })
    expect(
      issues(validate('kubernetes', 'runner-delegated', { runner_source: 'kubeconfig-context' })),
    ).toEqual({
      runner_context: expect.stringMatching(
        /^Context: required\. Enter a context of the runner machine's kubeconfig/,
      ),
    })
    // The stored-credential fields do not apply: nothing secret is kept for this mode.
    const ignored = validate('kubernetes', 'runner-delegated', {
      runner_source: 'kubeconfig-context',
      runner_context: 'prod',
      kubeconfig: kubeconfig(),
    })
    expect(ignored).toMatchObject({ ok: true, secrets: {} })
  })

  it('the context must exist; empty means current-context', () => {
    const missing = validate('kubernetes', 'inline', {
      source: 'kubeconfig',
      kubeconfig: kubeconfig(),
      context: 'prod-us',
    })
    expect(issues(missing).context).toMatch(
      /^Context: "prod-us" is not a context in the kubeconfig/,
    )
    const noCurrent = validate('kubernetes', 'inline', {
      source: 'kubeconfig',
      kubeconfig: kubeconfig({ current: null }),
    })
    expect(issues(noCurrent).context).toMatch(/has no current-context/)
    const danglingCurrent = validate('kubernetes', 'inline', {
      source: 'kubeconfig',
      kubeconfig: kubeconfig({ current: 'gone' }),
    })
    expect(issues(danglingCurrent).context).toMatch(/current-context is not one of its contexts/)
  })

  it('flags kubeconfigs that point at local files or undefined users', () => {
    const files = validate('kubernetes', 'inline', {
      source: 'kubeconfig',
      kubeconfig: kubeconfig({ fileCa: true }),
    })
    expect(issues(files).kubeconfig).toMatch(
      /uses files on this computer \(certificate-authority\)/,
    )
    const dangling = kubeconfig().replace(
      '    user: deployer\n    namespace',
      '    user: nobody\n    namespace',
    )
    expect(
      issues(validate('kubernetes', 'inline', { source: 'kubeconfig', kubeconfig: dangling }))
        .kubeconfig,
    ).toMatch(/refers to a user that is not defined/)
  })

  it('skip-TLS-verify and a CA certificate are alternatives', () => {
    const set: Values = { ...base('kubernetes token'), insecure_skip_tls_verify: 'true' }
    expect(Object.keys(issues(validate('kubernetes', 'inline', set)))).toEqual([
      'insecure_skip_tls_verify',
    ])
    delete set.ca_certificate
    expect(validate('kubernetes', 'inline', set).ok).toBe(true)
  })

  it('http: skip-TLS-verify and a CA certificate are alternatives', () => {
    const set: Values = { ...base('http full'), ca_certificate: certificate }
    expect(Object.keys(issues(validate('http', 'inline', set)))).toEqual(['insecure_tls'])
    set.insecure_tls = 'false'
    expect(validate('http', 'inline', set).ok).toBe(true)
  })

  it('editing: a kept kubeconfig is not re-checked against the context', () => {
    expect(
      validate('kubernetes', 'inline', { source: 'kubeconfig', context: 'anything' }, true).ok,
    ).toBe(true)
  })
})

describe('PostgreSQL sslmode and CA', () => {
  const set = base('postgres verify-full')

  it('verify-ca and verify-full need the CA certificate', () => {
    for (const sslmode of ['verify-ca', 'verify-full']) {
      const { ca_certificate: _ca, ...rest }: Values = { ...set, sslmode }
      expect(issues(validate('postgres', 'inline', rest))).toEqual({
        ca_certificate: expect.stringMatching(
          new RegExp(`^CA certificate: required with SSL mode ${sslmode}`),
        ),
      })
    }
  })

  it('require works without a CA; disable rejects one', () => {
    const { ca_certificate: _ca, ...rest }: Values = { ...set, sslmode: 'require' }
    expect(validate('postgres', 'inline', rest).ok).toBe(true)
    expect(
      issues(validate('postgres', 'inline', { ...set, sslmode: 'disable' })).ca_certificate,
    ).toMatch(/not used with SSL mode disable/)
    expect(
      validate('postgres', 'inline', { ...set, sslmode: 'require', ca_certificate: certificate })
        .ok,
    ).toBe(true)
  })
})

describe('HTTP placeholders', () => {
  it('a placeholder in use needs its field', () => {
    const set = base('http full')
    delete set.password
    delete set.username
    expect(Object.keys(issues(validate('http', 'inline', set)))).toEqual(['username', 'password'])
    expect(validate('http', 'inline', set, true).ok).toBe(false) // username is not a secret
    expect(validate('http', 'inline', { ...set, username: 'monitor' }, true).ok).toBe(true)
  })

  it('names the unknown placeholders', () => {
    const result = validate('http', 'inline', {
      url: 'https://x.example.com/?k=$(api_key)&t=$(token)',
    })
    expect(issues(result).url).toBe(
      'URL template: unknown placeholder $(api_key), $(token); only $(username) and $(password) are supported.',
    )
  })
})

describe('Artifact Registry repository', () => {
  it('is <project>/<repository> for pkg.dev hosts', () => {
    const result = validate('gar', 'inline', { ...base('gar'), repository: 'acme-platform-prod' })
    expect(issues(result).repository).toMatch(/<project>\/<repository>/)
  })

  it('SMTP: no TLS only towards this machine', () => {
    const set = { ...base('smtp loopback without tls'), host: 'mail.example.com' }
    const result = validate('smtp', 'inline', set)
    expect(issues(result)).toEqual({
      security: expect.stringContaining('only allowed for a server on this machine') as string,
    })
    for (const host of ['localhost', '::1', '127.0.0.1'])
      expect(validate('smtp', 'inline', { ...set, host }).ok).toBe(true)
  })

  it('SMTP: the port matches the security mode', () => {
    const set = { ...base('smtp starttls'), security: 'tls', port: '587' }
    expect(Object.keys(issues(validate('smtp', 'inline', set)))).toEqual(['port'])
    expect(validate('smtp', 'inline', { ...set, port: '465' }).ok).toBe(true)
  })

  it('ntfy: a token or a login, not both; a login needs both halves', () => {
    const login = base('ntfy self-hosted login')
    expect(
      Object.keys(
        issues(
          validate('ntfy', 'inline', { ...login, access_token: base('ntfy token').access_token! }),
        ),
      ),
    ).toEqual(['access_token'])
    delete login.password
    expect(Object.keys(issues(validate('ntfy', 'inline', login)))).toEqual(['password'])
    expect(validate('ntfy', 'inline', login, true).ok).toBe(true)
  })
})

describe('SFTP key passphrase', () => {
  it('is required for a key protected by one, and refused for a key without one', () => {
    const set = base('sftp key with passphrase')
    delete set.passphrase
    expect(issues(validate('sftp', 'inline', set))).toEqual({
      passphrase: expect.stringContaining('the private key is protected by one') as string,
    })
    const plain: Values = { ...set, private_key: fakeOpensshKey() }
    expect(validate('sftp', 'inline', plain).ok).toBe(true)
    expect(issues(validate('sftp', 'inline', { ...plain, passphrase: 'not needed here' }))).toEqual(
      {
        passphrase: expect.stringContaining('is not protected by a passphrase') as string,
      },
    )
  })

  it('editing: a kept key or a kept passphrase is trusted (their content is unknown)', () => {
    const set = base('sftp key with passphrase')
    delete set.private_key
    delete set.passphrase
    expect(validate('sftp', 'inline', set, true).ok).toBe(true)
    expect(
      validate('sftp', 'inline', { ...set, private_key: fakeOpensshKey('aes256-ctr') }, true).ok,
    ).toBe(true)
  })

  it('a password sign-in ignores the key fields', () => {
    const result = validate('sftp', 'inline', base('sftp password'))
    expect(result.ok && result.secrets).toEqual({ password: secrets.sftpPassword })
  })
})

describe('Ollama: a token never over plain http to another machine', () => {
  it('refuses a token for http on the LAN, allows it on localhost or https', () => {
    const lan = { ...base('ollama on the LAN'), api_key: secrets.ollamaToken }
    expect(issues(validate('ollama', 'inline', lan))).toEqual({
      api_key: expect.stringMatching(/^Bearer token: would be sent over plain http to 192\.168/),
    })
    // Editing a LAN server's other fields: an unknown kept token is not held against it.
    expect(validate('ollama', 'inline', { base_url: 'http://192.168.1.20:11434' }, true).ok).toBe(
      true,
    )
    expect(validate('ollama', 'inline', { ...lan, base_url: 'http://localhost:11434' }).ok).toBe(
      true,
    )
    expect(validate('ollama', 'inline', base('ollama with token')).ok).toBe(true)
    expect(validate('ollama', 'inline', base('ollama on the LAN')).ok).toBe(true)
  })
})

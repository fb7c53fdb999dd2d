// Cross-field rules of the providers that reach a host: Kubernetes, databases, HTTP, mail,
// notifications, SFTP and Ollama.
import { describe, expect, it } from 'vitest'
import {
  certificate,
  fakeOpensshKey,
  kubeconfig,
  secrets,
} from '../../../test/fixtures/provider-values'
import { base, issues, validate, type Values } from '../../../test/fixtures/cross-field'

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

describe('SMTP and ntfy', () => {
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

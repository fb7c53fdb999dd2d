import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../log'
import { MemoryKeyStore } from '../../security/keystore'
import { createServices } from '..'

const CREDENTIALS = `# my keys
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = 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

[staging]
aws_access_key_id=AKIAI44QH8DHBEXAMPLE
aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
region = eu-west-1

[broken]
aws_access_key_id = NOTAKEY
aws_secret_access_key = short

[sso-only]
sso_session = corp
`
const CONFIG = `[default]
region = us-east-2
[profile staging]
region = eu-central-1
`

function fixtureHome() {
  const home = mkdtempSync(join(tmpdir(), 'bk-home-'))
  mkdirSync(join(home, '.aws'))
  writeFileSync(join(home, '.aws', 'credentials'), CREDENTIALS)
  writeFileSync(join(home, '.aws', 'config'), CONFIG)
  mkdirSync(join(home, '.kube'))
  const ca = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUEXAMPLE\n-----END CERTIFICATE-----\n'
  writeFileSync(join(home, '.kube', 'ca.crt'), ca)
  writeFileSync(
    join(home, '.kube', 'config'),
    `apiVersion: v1
kind: Config
current-context: dev
clusters:
  - name: dev-cluster
    cluster:
      server: https://dev.k8s.example.com:6443
      certificate-authority: ca.crt
  - name: prod-cluster
    cluster:
      server: https://prod.k8s.example.com
      certificate-authority: /nonexistent/ca.crt
users:
  - name: dev-user
    user:
      token: dev-token-1234567890abcdef
  - name: prod-user
    user:
      token: prod-token-1234567890abcdef
contexts:
  - name: dev
    context: { cluster: dev-cluster, user: dev-user, namespace: apps }
  - name: prod
    context: { cluster: prod-cluster, user: prod-user }
  - name: ghost
    context: { cluster: nowhere, user: dev-user }
`,
  )
  return { home, ca }
}

async function services(home: string) {
  const result = createServices({
    dataDir: mkdtempSync(join(tmpdir(), 'bk-imp-')),
    appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
    log: memoryLogger(),
    keyStore: new MemoryKeyStore(),
    home,
    env: {},
  })
  await result.vault.create({ mode: 'keychain' })
  return result
}

describe('ImportsService: AWS profiles', () => {
  it('previews profiles with keys, masked, with their region, and says what is wrong with bad ones', async () => {
    const { home } = fixtureHome()
    const { imports } = await services(home)
    const preview = imports.awsPreview()
    expect(preview.found).toBe(true)
    expect(preview.items.map((item) => item.profile)).toEqual(['default', 'staging', 'broken'])
    expect(preview.items[0]).toEqual({
      profile: 'default',
      accessKeyId: expect.stringMatching(/•+MPLE$/) as string,
      region: 'us-east-2',
      temporary: false,
    })
    expect(preview.items[1]!.region).toBe('eu-west-1') // the credentials file wins over config
    expect(preview.items[2]!.problem).toMatch(/^Access key ID: /)
    expect(JSON.stringify(preview)).not.toContain('Qx7vLmN2pR8sT4uW9yZ1')
  })

  it('imports the chosen profiles in one go and leaves the files untouched', async () => {
    const { home } = fixtureHome()
    const { imports, connections } = await services(home)
    const before = readFileSync(join(home, '.aws', 'credentials'), 'utf8')
    const created = imports.importAws([
      { source: 'default', name: 'aws-default' },
      { source: 'staging', name: 'aws-staging' },
    ])
    expect(created.map((c) => c.name).sort()).toEqual(['aws-default', 'aws-staging'])
    const staging = created.find((c) => c.name === 'aws-staging')!
    expect(connections.reveal(staging.id, 'secret_access_key')).toBe(
      'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    )
    expect(connections.get(staging.id).config.default_region).toBe('eu-west-1')
    expect(readFileSync(join(home, '.aws', 'credentials'), 'utf8')).toBe(before)
  })

  it('imports nothing when one chosen profile is bad, naming it', async () => {
    const { home } = fixtureHome()
    const { imports, connections } = await services(home)
    expect(() =>
      imports.importAws([
        { source: 'default', name: 'ok' },
        { source: 'broken', name: 'bad' },
      ]),
    ).toThrow(/AWS profile "broken" cannot be imported: Access key ID/)
    expect(connections.list()).toEqual([])
  })

  it('audits each import, or its failure, with the sources named, and previews only unlocked', async () => {
    const { home } = fixtureHome()
    const { imports, audit, vault } = await services(home)
    const [one] = imports.importAws([{ source: 'default', name: 'aws-default' }])
    imports.importAws([{ source: 'staging', name: 'aws-staging' }])
    expect(() => imports.importAws([{ source: 'broken', name: 'bad' }])).toThrow()
    expect(
      audit
        .query({ filter: { actions: ['connection.import'] } })
        .entries.map((e) => [e.outcome, e.targetName, e.detail])
        .reverse(),
    ).toEqual([
      ['success', 'aws-default', '1 from AWS profiles: default'],
      ['success', 'aws-staging', '1 from AWS profiles: staging'],
      ['failure', null, '1 from AWS profiles: broken; VALIDATION'],
    ])
    expect(one!.name).toBe('aws-default')
    vault.lock()
    expect(() => imports.awsPreview()).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect(() => imports.kubePreview()).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
  })

  it('reports a missing credentials file plainly', async () => {
    const { imports } = await services(mkdtempSync(join(tmpdir(), 'bk-empty-home-')))
    expect(imports.awsPreview()).toMatchObject({ found: false, items: [] })
  })
})

describe('ImportsService: kubeconfig contexts', () => {
  it('previews each context with its cluster and problems', async () => {
    const { home } = fixtureHome()
    const { imports } = await services(home)
    const preview = imports.kubePreview()
    expect(preview.items.map((item) => [item.context, item.problem ?? null])).toEqual([
      ['dev', null],
      ['prod', expect.stringContaining('certificate-authority (/nonexistent/ca.crt)')],
      ['ghost', 'Context "ghost" refers to a cluster "nowhere" that the file does not define.'],
    ])
    expect(JSON.stringify(preview)).not.toContain('dev-token')
  })

  it('imports a context as a kubeconfig of its own, with the CA file embedded', async () => {
    const { home, ca } = fixtureHome()
    const { imports, connections } = await services(home)
    const [dev] = imports.importKube([{ source: 'dev', name: 'k8s-dev' }])
    const kubeconfig = parse(connections.reveal(dev!.id, 'kubeconfig')) as {
      'current-context': string
      contexts: unknown[]
      clusters: { cluster: Record<string, string> }[]
      users: { user: Record<string, string> }[]
    }
    expect(kubeconfig['current-context']).toBe('dev')
    expect(kubeconfig.contexts).toHaveLength(1)
    expect(kubeconfig.clusters[0]!.cluster['certificate-authority-data']).toBe(
      Buffer.from(ca).toString('base64'),
    )
    expect(kubeconfig.clusters[0]!.cluster['certificate-authority']).toBeUndefined()
    expect(kubeconfig.users[0]!.user.token).toBe('dev-token-1234567890abcdef')
    expect(JSON.stringify(kubeconfig)).not.toContain('prod-token')
  })
})

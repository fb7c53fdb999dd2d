import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { parseReferenceText } from '../../../shared/secret-reference'
import { canary } from '../../../../test/fixtures/canary'
import { startKubeApi, type KubeApiFixture } from '../../../../test/fixtures/kube-api'
import { helmReleaseSecret, secretData } from '../../../../test/fixtures/kube-objects'
import { createTestCa } from '../../../../test/fixtures/test-ca'
import { environmentIds, unlockedServices } from '../../../../test/services'
import { readKubernetesReference } from './kubernetes-reference'
import { secretsForUse } from './secrets-for-use'

// The reader as the reference core calls it: a real vault, a Kubernetes connection authorized
// for development only, the runner's read-reference in this process (as the CLI runs verify), and
// a loopback API server over TLS that checks the connection's bearer token.

const token = canary.alnum(64)
const dbPassword = `pw-${canary.alnum(32)}`
const helmPassword = `helm-${canary.alnum(32)}`
const githubToken = `ghp_${canary.alnum(36)}`
const secrets = [token, dbPassword, helmPassword, githubToken]

let api: KubeApiFixture
let setup: Awaited<ReturnType<typeof unlockedServices>>

beforeAll(async () => {
  const ca = await createTestCa()
  api = await startKubeApi({
    tls: { ...(await ca.server()), clientCa: ca.cert },
    tokens: { [token]: { username: 'system:serviceaccount:apps:bridgekeep', groups: [] } },
    store: {
      secrets: [
        { namespace: 'apps', name: 'db', data: secretData({ password: dbPassword }) },
        { namespace: 'ci', name: 'github', data: secretData({ token: githubToken }) },
        helmReleaseSecret({
          namespace: 'apps',
          name: 'shop-db',
          version: 4,
          status: 'deployed',
          chartValues: { auth: { postgresPassword: '' } },
          config: { auth: { postgresPassword: helmPassword } },
        }),
      ],
      configMaps: [{ namespace: 'apps', name: 'settings', data: { REGION: 'eu-west-1' } }],
    },
  })
  setup = await unlockedServices()
  const { services } = setup
  const k8s = services.connections.create({
    name: 'Prod cluster',
    provider: 'kubernetes',
    authMode: 'inline',
    values: { source: 'token', server: api.url, ca_certificate: ca.cert, token },
  })
  services.authorizations.applyChanges({
    grants: [{ connectionId: k8s.id, environmentId: environmentIds(services).development! }],
  })
})
afterAll(() => api.close())

const slugOf = (name: string) =>
  setup.services.environments.list().find((env) => env.name === name)!.slug
const read = (text: string, environment = 'development') =>
  readKubernetesReference(setup.services, parseReferenceText(text), slugOf(environment))

describe('readKubernetesReference', () => {
  it('reads through a connection authorized for the environment, by slug or name, and audits the reference only', async () => {
    expect(await read('secret:prod-cluster/apps/db/password')).toBe(dbPassword)
    expect(await read('configmap:Prod cluster/apps/settings/REGION')).toBe('eu-west-1')
    expect(await read('helm:prod-cluster/apps/shop-db/auth.postgresPassword')).toBe(helmPassword)
    const entries = setup.services.audit
      .query({ limit: 100 })
      .entries.filter((entry) => entry.action === 'reference.read')
    expect(entries.map((entry) => [entry.outcome, entry.detail])).toEqual(
      expect.arrayContaining([
        ['success', 'Read secret:prod-cluster/apps/db/password'],
        ['success', 'Read configmap:Prod cluster/apps/settings/REGION'],
        ['success', 'Read helm:prod-cluster/apps/shop-db/auth.postgresPassword'],
      ]),
    )
    const [connection] = setup.services.connections.list()
    expect(connection?.lastUsedAt).toBeTruthy()
  })

  it('refuses an environment the Kubernetes connection is not authorized for, naming the reference', async () => {
    const before = api.paths.length
    await expect(read('secret:prod-cluster/apps/db/password', 'staging')).rejects.toMatchObject({
      code: 'NOT_AUTHORIZED',
      message:
        'Reference secret:prod-cluster/apps/db/password: Connection Prod cluster is not authorized for environment staging',
      hint: 'Authorize it for staging in the matrix.',
    })
    expect(api.paths.length).toBe(before) // nothing was read
    await expect(read('secret:no-such/apps/db/password')).rejects.toMatchObject({
      message: expect.stringContaining('Reference secret:no-such/apps/db/password: ') as string,
    })
    // A connection of another provider is no Kubernetes connection, even by its exact name.
    const { id } = setup.services.connections.create({
      name: 'gh-ci',
      provider: 'github',
      authMode: 'inline',
      values: { token: `ghp_${canary.alnum(36)}` },
    })
    setup.services.authorizations.applyChanges({
      grants: [{ connectionId: id, environmentId: environmentIds(setup.services).development! }],
    })
    await expect(read('secret:gh-ci/apps/db/password')).rejects.toMatchObject({
      message:
        'Reference secret:gh-ci/apps/db/password: Connection gh-ci is a GitHub connection, not Kubernetes.',
    })
    const refused = setup.services.audit
      .query({ filter: { outcome: 'failure' }, limit: 100 })
      .entries.filter((entry) => entry.action === 'reference.read')
    expect(refused.map((entry) => entry.detail)).toContain(
      'Reference secret:prod-cluster/apps/db/password not read; NOT_AUTHORIZED',
    )
  })

  it("says why the runner could not read it, with the reference's text", async () => {
    await expect(read('secret:prod-cluster/apps/db/passwd')).rejects.toMatchObject({
      code: 'OPERATION_FAILED',
      message:
        'Reference secret:prod-cluster/apps/db/passwd: Wrong target: Secret apps/db has no key passwd (its keys: password).',
    })
    await expect(read('env:HOME')).rejects.toMatchObject({ code: 'VALIDATION' })
  })

  it('serves a connection whose secret field is a Kubernetes reference, at its use', async () => {
    const { services } = setup
    const github = services.connections.create({
      name: 'ci-github',
      provider: 'github',
      authMode: 'inline',
      values: {},
      references: { token: parseReferenceText('secret:prod-cluster/ci/github/token') },
    })
    const development = services.environments.findByRef('development')
    services.authorizations.applyChanges({
      grants: [{ connectionId: github.id, environmentId: development.id }],
    })
    const use = {
      environment: { id: development.id, name: development.name, slug: development.slug },
      env: {},
    }
    const { secrets: used } = await secretsForUse(services, github.id, use)
    expect(used.token).toBe(githubToken)
    const resolved = services.audit.query({
      filter: { actions: ['connection.reference-resolved'] },
      limit: 10,
    }).entries
    expect(resolved.map((entry) => entry.outcome)).toEqual(['success'])
    expect(resolved[0]!.detail).toContain('secret:prod-cluster/ci/github/token')
    // A value the field refuses fails the use, naming the reference (never the value).
    const broken = services.connections.create({
      name: 'broken-github',
      provider: 'github',
      authMode: 'inline',
      values: {},
      references: { token: parseReferenceText('secret:prod-cluster/apps/db/password') },
    })
    services.authorizations.applyChanges({
      grants: [{ connectionId: broken.id, environmentId: development.id }],
    })
    const failure = await secretsForUse(services, broken.id, use).catch((error: Error) => error)
    expect(String((failure as Error).message)).toContain('secret:prod-cluster/apps/db/password')
    expect(String((failure as Error).message)).not.toContain(dbPassword)
  })

  it('keeps every value and the token out of the trail and the vault file', () => {
    const raw = new BetterSqlite3(setup.services.vault.path, { readonly: true })
    const rows = JSON.stringify(raw.prepare('SELECT * FROM audit_log').all())
    raw.close()
    const trail = setup.services.audit.export({ format: 'jsonl' }).content
    const logs = JSON.stringify(setup.log.lines)
    for (const secret of secrets)
      for (const text of [rows, trail, logs]) expect(text.includes(secret)).toBe(false)
  })

  it('refuses to read through a Kubernetes connection whose own credentials are references (no request without them, no loop through itself)', async () => {
    const { services } = setup
    for (const [name, ref] of [
      ['Env cluster', 'env:KUBE_TOKEN'],
      ['Self cluster', 'secret:self-cluster/apps/db/password'],
    ] as const) {
      const { id } = services.connections.create({
        name,
        provider: 'kubernetes',
        authMode: 'inline',
        values: { source: 'token', server: api.url },
        references: { token: parseReferenceText(ref) },
      })
      services.authorizations.applyChanges({
        grants: [{ connectionId: id, environmentId: environmentIds(services).development! }],
      })
      const before = api.paths.length
      const slug = services.connections.get(id).slug
      await expect(read(`secret:${slug}/apps/db/password`)).rejects.toMatchObject({
        code: 'NOT_SUPPORTED',
        message: `Reference secret:${slug}/apps/db/password: Connection ${name}: Bearer token is itself a reference (${ref}); a Kubernetes connection that references are read through must hold its credentials.`,
      })
      // A use of the connection itself reads its own reference; through itself, that is refused
      // (not a loop).
      const use = secretsForUse(services, id, {
        environment: {
          id: environmentIds(services).development!,
          name: 'development',
          slug: slugOf('development'),
        },
        env: { KUBE_TOKEN: token },
      })
      if (ref.startsWith('env:')) expect((await use).secrets).toEqual({ token })
      else
        await expect(use).rejects.toMatchObject({
          code: 'OPERATION_FAILED',
          message: expect.stringContaining('is itself a reference') as string,
        })
      expect(api.paths.length).toBe(before) // nothing was asked without credentials
    }
  })
})

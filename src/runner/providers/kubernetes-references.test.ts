import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { parseReferenceText } from '../../shared/secret-reference'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startKubeApi, type KubeApiFixture } from '../../../test/fixtures/kube-api'
import { helmReleaseSecret, secretData } from '../../../test/fixtures/kube-objects'
import { closedPort } from '../../../test/fixtures/loopback'
import { createTestCa, type TestCa } from '../../../test/fixtures/test-ca'
import { kubernetesOperations } from './kubernetes'

// read-reference against a loopback API server over real TLS that checks the bearer token and
// RBAC, serving a Secret, a ConfigMap and a Helm release stored as helm stores it.

const token = canary.alnum(64)
const limitedToken = canary.alnum(64)
const deployer = { username: 'system:serviceaccount:apps:deployer', groups: [] }
const limited = { username: 'system:serviceaccount:apps:limited', groups: [] }
const dbPassword = `pw-${canary.alnum(32)}`
const apiKey = canary.alnum(40)
const binaryValue = `bin-${canary.alnum(24)}`
const chartPassword = `chart-${canary.alnum(24)}`
const userPassword = `user-${canary.alnum(24)}`
const oldPassword = `old-${canary.alnum(24)}`
const failedPassword = `failed-${canary.alnum(24)}`
const values = [
  dbPassword,
  apiKey,
  binaryValue,
  chartPassword,
  userPassword,
  oldPassword,
  failedPassword,
]

let ca: TestCa
let api: KubeApiFixture

const release = (version: number, status: string, password: string) =>
  helmReleaseSecret({
    namespace: 'apps',
    name: 'shop-db',
    version,
    status,
    chartValues: {
      auth: { username: 'shop', postgresPassword: chartPassword, database: 'shop' },
      primary: { persistence: { size: '8Gi' }, replicas: 1 },
      metrics: { enabled: false },
      extraEnv: ['A', 'B'],
    },
    config: { auth: { postgresPassword: password }, primary: { replicas: 3 }, metrics: null },
  })

const twice = (version: number, tier: string) =>
  helmReleaseSecret({
    namespace: 'apps',
    name: 'twice',
    version,
    status: 'deployed',
    chartValues: { tier },
    config: {},
  })

/** A release Secret whose helm-encoded payload is `payload` (base64 of it, as helm writes). */
const helmLabelled = (name: string, version: number, payload: Buffer) => ({
  namespace: 'apps',
  name: `sh.helm.release.v1.${name}.v${version}`,
  labels: { owner: 'helm', name, version: String(version), status: 'deployed' },
  data: secretData({ release: payload.toString('base64') }),
})

beforeAll(async () => {
  ca = await createTestCa()
  api = await startKubeApi({
    tls: { ...(await ca.server()), clientCa: ca.cert },
    tokens: { [token]: deployer, [limitedToken]: limited },
    store: {
      secrets: [
        { namespace: 'apps', name: 'db', data: secretData({ password: dbPassword, user: 'shop' }) },
        { namespace: 'apps', name: 'empty' },
        release(1, 'superseded', oldPassword),
        release(2, 'deployed', userPassword),
        release(3, 'failed', failedPassword),
        // Two revisions left deployed (an interrupted upgrade): the higher one is current.
        twice(1, 'first'),
        twice(2, 'second'),
        // Plain release JSON (helm reads it without gzip), and data that is no release at all.
        helmLabelled('plain', 1, Buffer.from(JSON.stringify({ config: { a: { b: 'plain' } } }))),
        helmLabelled('damaged', 1, Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3])),
        helmReleaseSecret({
          namespace: 'apps',
          name: 'broken',
          version: 1,
          status: 'failed',
          chartValues: {},
          config: {},
        }),
      ],
      configMaps: [
        {
          namespace: 'apps',
          name: 'settings',
          data: { API_KEY: apiKey, REGION: 'eu' },
          binaryData: { blob: Buffer.from(binaryValue).toString('base64') },
        },
      ],
      // The limited account may read ConfigMaps only.
      allows: (user, _verb, resource) => user !== limited || resource === 'configmaps',
    },
  })
})
afterAll(() => api.close())

const input = (secret: string, config: Record<string, string> = {}): OperationInput => ({
  provider: 'kubernetes',
  authMode: 'inline',
  config: { source: 'token', server: api.url, ca_certificate: ca.cert, ...config },
  secrets: { token: secret },
})

const read = (text: string, withInput = input(token)) =>
  kubernetesOperations.readReference!(withInput, parseReferenceText(text))

async function failing(text: string, withInput = input(token)) {
  const result = await read(text, withInput)
  if (result.status !== 'failing') throw new Error(`${text} was read`)
  expectNoSecrets(result, [...values, token, limitedToken])
  return result.error
}

describe('kubernetes read-reference', () => {
  it("reads a Secret's key, a ConfigMap's data and binaryData", async () => {
    expect(await read('secret:k8s/apps/db/password')).toMatchObject({
      status: 'read',
      value: dbPassword,
    })
    expect(await read('configmap:k8s/apps/settings/API_KEY')).toMatchObject({ value: apiKey })
    expect(await read('configmap:k8s/apps/settings/blob')).toMatchObject({ value: binaryValue })
    expect(api.paths).toContain('GET /api/v1/namespaces/apps/secrets/db')
  })

  it("reads the deployed revision's values: the user's over the chart's, scalars as text", async () => {
    expect(await read('helm:k8s/apps/shop-db/auth.postgresPassword')).toMatchObject({
      value: userPassword,
    })
    expect(await read('helm:k8s/apps/shop-db/auth.username')).toMatchObject({ value: 'shop' })
    expect(await read('helm:k8s/apps/shop-db/primary.replicas')).toMatchObject({ value: '3' })
    expect(await read('helm:k8s/apps/shop-db/primary.persistence.size')).toMatchObject({
      value: '8Gi',
    })
    expect(await read('helm:k8s/apps/twice/tier')).toMatchObject({ value: 'second' })
    expect(await read('helm:k8s/apps/plain/a.b')).toMatchObject({ value: 'plain' })
    expect(await failing('helm:k8s/apps/damaged/a')).toMatchObject({
      class: 'unexpected',
      message: expect.stringContaining(
        'Helm release apps/damaged revision 1 is not a release helm 3 wrote',
      ) as string,
    })
  })

  it("reads with a kubeconfig's client certificate", async () => {
    const alice = await ca.client('alice', ['platform-admins'])
    const kubeconfig = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'c',
      clusters: [
        {
          name: 'c',
          cluster: {
            server: api.url,
            'certificate-authority-data': Buffer.from(ca.cert).toString('base64'),
          },
        },
      ],
      users: [
        {
          name: 'alice',
          user: {
            'client-certificate-data': Buffer.from(alice.cert).toString('base64'),
            'client-key-data': Buffer.from(alice.key).toString('base64'),
          },
        },
      ],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'alice' } }],
    })
    const withKubeconfig: OperationInput = {
      provider: 'kubernetes',
      authMode: 'inline',
      config: { source: 'kubeconfig' },
      secrets: { kubeconfig },
    }
    expect(await read('secret:k8s/apps/db/user', withKubeconfig)).toMatchObject({ value: 'shop' })
  })

  it('names the key, the object and the RBAC verb that failed, never a value', async () => {
    expect(await failing('secret:k8s/apps/db/passwd')).toMatchObject({
      class: 'wrong-target',
      message: 'Wrong target: Secret apps/db has no key passwd (its keys: password, user).',
    })
    expect((await failing('secret:k8s/apps/empty/x')).message).toContain('it has no keys')
    expect((await failing('configmap:k8s/apps/settings/api_key')).message).toContain(
      'its keys: API_KEY, REGION, blob',
    )
    expect(await failing('secret:k8s/apps/nope/password')).toMatchObject({
      class: 'wrong-target',
      message: expect.stringContaining('Secret apps/nope was not found') as string,
    })
    expect(await failing('configmap:k8s/other/settings/API_KEY')).toMatchObject({
      message: expect.stringContaining('ConfigMap other/settings was not found') as string,
    })
    const forbidden = await failing('secret:k8s/apps/db/password', input(limitedToken))
    expect(forbidden).toMatchObject({
      class: 'permission',
      message: expect.stringContaining('may not get secrets in namespace apps') as string,
      remedy: expect.stringContaining('kubectl auth can-i get secrets -n apps') as string,
    })
    expect(await failing('helm:k8s/apps/shop-db/auth.username', input(limitedToken))).toMatchObject(
      {
        class: 'permission',
        message: expect.stringContaining('may not list secrets in namespace apps') as string,
      },
    )
    // The limited account still reads what it may.
    expect(await read('configmap:k8s/apps/settings/REGION', input(limitedToken))).toMatchObject({
      value: 'eu',
    })
    expect(await failing('secret:k8s/apps/db/password', input(canary.alnum(64)))).toMatchObject({
      class: 'authentication',
    })
  })

  it("says why a Helm value can't be read: no release, none deployed, no such path, not a scalar", async () => {
    expect(await failing('helm:k8s/apps/nope/auth.password')).toMatchObject({
      class: 'wrong-target',
      message: expect.stringContaining('Helm release apps/nope was not found') as string,
    })
    expect((await failing('helm:k8s/apps/broken/a')).message).toContain(
      'Helm release apps/broken has no deployed revision (revision 1 failed)',
    )
    expect((await failing('helm:k8s/apps/shop-db/auth.password')).message).toContain(
      "the release's values have no auth.password (auth has the keys username, postgresPassword, database)",
    )
    // metrics was removed by the user's null.
    expect((await failing('helm:k8s/apps/shop-db/metrics.enabled')).message).toContain(
      'the top level has the keys auth, primary, extraEnv',
    )
    expect(await failing('helm:k8s/apps/shop-db/auth')).toMatchObject({
      message: expect.stringContaining("the release's value auth is a map") as string,
      remedy: expect.stringContaining('auth.username, auth.postgresPassword') as string,
    })
    expect((await failing('helm:k8s/apps/shop-db/extraEnv')).message).toContain('is a list')
  })

  it('names TLS and connection failures', async () => {
    const other = await createTestCa()
    expect(
      await failing('secret:k8s/apps/db/password', input(token, { ca_certificate: other.cert })),
    ).toMatchObject({ class: 'untrusted-certificate' })
    const port = await closedPort()
    expect(
      await failing(
        'secret:k8s/apps/db/password',
        input(token, { server: `https://127.0.0.1:${port}` }),
      ),
    ).toMatchObject({
      class: 'unreachable',
      message: expect.stringContaining('refused') as string,
    })
  })

  it('is refused for a reference it does not read, and for a malformed request', async () => {
    const result = await kubernetesOperations.readReference!(
      input(token),
      parseReferenceText('env:DB_PASSWORD'),
    )
    expect(result).toMatchObject({ status: 'failing', error: { class: 'unsupported' } })
    expect(
      await kubernetesOperations.readReference!(
        { ...input(token), config: { source: 'token' } },
        parseReferenceText('secret:k8s/apps/db/password'),
      ),
    ).toMatchObject({ status: 'failing', error: { class: 'invalid-config' } })
  })
})

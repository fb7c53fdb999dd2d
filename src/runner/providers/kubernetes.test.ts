import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startKubeApi } from '../../../test/fixtures/kube-api'
import type { KubeApiFixture } from '../../../test/fixtures/kube-api'
import { closedPort } from '../../../test/fixtures/loopback'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { Issued, TestCa } from '../../../test/fixtures/test-ca'
import { kubernetesOperations } from './kubernetes'

const b64 = (text: string) => Buffer.from(text).toString('base64url')
const jwt = (exp: number) =>
  `${b64(JSON.stringify({ alg: 'RS256', kid: 'k1' }))}.${b64(JSON.stringify({ sub: 'system:serviceaccount:platform:deployer', exp }))}.${canary.alnum(86)}`
const token = jwt(Math.floor(Date.now() / 1000) + 86_400)
const expiredToken = jwt(Math.floor(Date.now() / 1000) - 60)
const serviceAccount = {
  username: 'system:serviceaccount:platform:deployer',
  groups: ['system:serviceaccounts', 'system:authenticated'],
}

let ca: TestCa
let client: Issued
let api: KubeApiFixture

beforeAll(async () => {
  ca = await createTestCa()
  client = await ca.client('alice', ['platform-admins'])
  api = await startKubeApi({
    tls: { ...(await ca.server()), clientCa: ca.cert },
    tokens: { [token]: serviceAccount },
  })
})
afterAll(() => api.close())

const withToken = (value: string, config: Record<string, string> = {}): OperationInput => ({
  provider: 'kubernetes',
  authMode: 'inline',
  config: { source: 'token', server: api.url, ca_certificate: ca.cert, ...config },
  secrets: { token: value },
})

function kubeconfig(user: string[], server = api.url): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'current-context: test',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(ca.cert).toString('base64')}`,
    'users:',
    '- name: me',
    '  user:',
    ...user.map((line) => `    ${line}`),
    'contexts:',
    '- name: test',
    '  context:',
    '    cluster: test',
    '    user: me',
    '    namespace: platform',
  ].join('\n')
}
const withKubeconfig = (text: string): OperationInput => ({
  provider: 'kubernetes',
  authMode: 'inline',
  config: { source: 'kubeconfig' },
  secrets: { kubeconfig: text },
})

describe('kubernetes verify', () => {
  it('reads the server version and who the token is, and when it expires', async () => {
    const result = await kubernetesOperations.verify(withToken(token))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: serviceAccount.username,
        details: {
          serverVersion: 'v1.30.4',
          groups: 'system:serviceaccounts, system:authenticated',
        },
      },
    })
    expect(Date.parse(result.expiresAt!) - Date.now()).toBeGreaterThan(86_000_000)
    expect(api.paths.slice(-2)).toEqual([
      'GET /version',
      'POST /apis/authentication.k8s.io/v1/selfsubjectreviews',
    ])
    expectNoSecrets(result, [token])
  })

  it('a wrong token is "Authentication failed", an expired one "Credentials expired"', async () => {
    const wrong = await kubernetesOperations.verify(withToken(canary.alnum(64)))
    expect(wrong.error?.class).toBe('authentication')
    expect(wrong.error?.message).toBe(
      'Authentication failed: the API server rejected the credentials (Unauthorized).',
    )
    const expired = await kubernetesOperations.verify(withToken(expiredToken))
    expect(expired.error?.class).toBe('expired')
    expectNoSecrets([wrong, expired], [token, expiredToken])
  })

  it('a kubeconfig with a client certificate', async () => {
    const text = kubeconfig([
      `client-certificate-data: ${Buffer.from(client.cert).toString('base64')}`,
      `client-key-data: ${Buffer.from(client.key).toString('base64')}`,
    ])
    const result = await kubernetesOperations.verify(withKubeconfig(text))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: 'alice',
        details: { groups: 'platform-admins, system:authenticated', namespace: 'platform' },
      },
    })
    const keyLines = client.key.split('\n').filter((line) => line && !line.startsWith('-----'))
    expectNoSecrets(result, [...keyLines, Buffer.from(client.key).toString('base64').slice(0, 40)])
  })

  it('a kubeconfig with the token, and one whose user runs an exec plugin', async () => {
    const good = await kubernetesOperations.verify(withKubeconfig(kubeconfig([`token: ${token}`])))
    expect(good.identity?.label).toBe(serviceAccount.username)
    const exec = await kubernetesOperations.verify(
      withKubeconfig(
        kubeconfig([
          'exec:',
          '      apiVersion: client.authentication.k8s.io/v1beta1',
          '      command: aws',
        ]),
      ),
    )
    expect(exec.error?.class).toBe('unsupported')
    expect(exec.error?.message).toMatch(/exec plugin/)
  })

  it('an older cluster without SelfSubjectReview is healthy, with a note', async () => {
    const old = await startKubeApi({
      tls: { ...(await ca.server()), clientCa: ca.cert },
      tokens: { [token]: serviceAccount },
      selfSubjectReview: false,
      gitVersion: 'v1.26.9',
    })
    try {
      const result = await kubernetesOperations.verify(withToken(token, { server: old.url }))
      expect(result.status).toBe('healthy')
      expect(result.identity?.label).toBe(`Kubernetes v1.26.9 at ${old.url}`)
      expect(result.notes?.[0]).toMatch(/SelfSubjectReview needs Kubernetes 1.27/)
    } finally {
      await old.close()
    }
  })

  it('needs the CA unless verification is explicitly skipped; unreachable fails fast', async () => {
    const untrusted = await kubernetesOperations.verify(withToken(token, { ca_certificate: '' }))
    expect(untrusted.error?.class).toBe('untrusted-certificate')
    const skipped = await kubernetesOperations.verify(
      withToken(token, { ca_certificate: '', insecure_skip_tls_verify: 'true' }),
    )
    expect(skipped.status).toBe('healthy')
    expect(skipped.notes).toContain(
      "The API server's certificate was not checked (Skip TLS verification is on).",
    )
    const port = await closedPort()
    const unreachable = await kubernetesOperations.verify(
      withToken(token, { server: `https://127.0.0.1:${port}` }),
    )
    expect(unreachable.error?.class).toBe('unreachable')
  })
})

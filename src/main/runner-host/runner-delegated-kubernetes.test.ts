import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { canary } from '../../../test/fixtures/canary'
import { startKubeApi } from '../../../test/fixtures/kube-api'
import { secretData } from '../../../test/fixtures/kube-objects'
import { createTestCa } from '../../../test/fixtures/test-ca'
import { parseReferenceText } from '../../shared/secret-reference'
import { readKubernetesReference } from '../services/references/kubernetes-reference'
import { appWithRemoteRunner } from '../../../test/remote-runner'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** Every file under `dir`, as text (the vault, logs, anything the app wrote). */
function everyFile(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) => (statSync(path).isDirectory() ? everyFile(path) : readFileSync(path, 'latin1')))
    .join('\n')
}

const serviceAccount = {
  username: 'system:serviceaccount:platform:bridgekeep-runner',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:platform', 'system:authenticated'],
}
const deployer = { username: 'ci-deployer', groups: ['deployers', 'system:authenticated'] }

/**
 * A remote runner that plays a pod (a service account directory and KUBERNETES_SERVICE_*) on a
 * machine with a kubeconfig in its HOME, and a loopback API server over real TLS (a CA made here)
 * that knows the pod's token, the kubeconfig's token and its client certificate.
 */
async function world() {
  const ca = await createTestCa()
  const podToken = `eyJ${canary.alnum(120)}`
  const fileToken = canary.alnum(64)
  const alice = await ca.client('alice', ['platform-admins'])
  const dbPassword = `pw-${canary.alnum(40)}`
  const api = await startKubeApi({
    tls: { ...(await ca.server()), clientCa: ca.cert },
    tokens: { [podToken]: serviceAccount, [fileToken]: deployer },
    // A Secret the pod's service account may read and the deployer may not.
    store: {
      secrets: [{ namespace: 'apps', name: 'db', data: secretData({ password: dbPassword }) }],
      allows: (user) => user.username === serviceAccount.username,
    },
  })
  cleanup.push(() => api.close())

  const machine = mkdtempSync(join(tmpdir(), 'bk-k8s-runner-'))
  const account = join(machine, 'serviceaccount')
  mkdirSync(account)
  writeFileSync(join(account, 'token'), `${podToken}\n`)
  writeFileSync(join(account, 'ca.crt'), ca.cert)
  writeFileSync(join(account, 'namespace'), 'platform')
  const kube = join(machine, 'home', '.kube')
  mkdirSync(join(kube, 'certs'), { recursive: true })
  writeFileSync(join(kube, 'certs', 'ca.crt'), ca.cert)
  writeFileSync(join(kube, 'certs', 'alice.crt'), alice.cert)
  writeFileSync(join(kube, 'certs', 'alice.key'), alice.key, { mode: 0o600 })
  writeFileSync(join(kube, 'deployer-token'), fileToken, { mode: 0o600 })
  // Files relative to the kubeconfig, as kubectl resolves them; one CA embedded, one a file.
  writeFileSync(
    join(kube, 'config'),
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: by-token',
      'clusters:',
      '- name: embedded-ca',
      `  cluster: { server: "${api.url}", certificate-authority-data: ${Buffer.from(ca.cert).toString('base64')} }`,
      '- name: ca-file',
      `  cluster: { server: "${api.url}", certificate-authority: certs/ca.crt }`,
      'users:',
      '- name: alice',
      '  user: { client-certificate: certs/alice.crt, client-key: certs/alice.key }',
      '- name: deployer',
      '  user: { tokenFile: deployer-token }',
      'contexts:',
      '- name: by-cert',
      '  context: { cluster: embedded-ca, user: alice }',
      '- name: by-token',
      '  context: { cluster: ca-file, user: deployer, namespace: ci }',
    ].join('\n'),
  )

  const app = await appWithRemoteRunner(
    'pod-eu',
    {
      BRIDGEKEEP_TEST_SERVICE_ACCOUNT_DIR: account,
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(api.port),
      HOME: join(machine, 'home'),
      KUBECONFIG: '',
    },
    cleanup,
  )
  const add = (name: string, values: Record<string, string>) =>
    app.addDelegated(name, 'kubernetes', { runner: 'pod-eu', ...values })
  const secrets = [podToken, fileToken, alice.key.split('\n')[1]!]
  return { ...app, api, account, add, secrets, dbPassword }
}

describe('runner-delegated Kubernetes (a real runner process, a loopback API server over TLS)', () => {
  it("proves the pod's service account and kubeconfig contexts on the runner's machine, and nothing secret comes back", async () => {
    const w = await world()
    const results: unknown[] = []
    const verify = async (connectionId: string) => {
      const result = await w.services.health.verify({ connectionId })
      results.push(result)
      return result
    }
    const inCluster = w.add('Pod identity', { runner_source: 'in-cluster' })
    expect(await verify(inCluster)).toMatchObject({
      status: 'healthy',
      checkedBy: 'pod-eu',
      identity: {
        label: serviceAccount.username,
        details: {
          username: serviceAccount.username,
          groups: serviceAccount.groups.join(', '),
          namespace: 'platform',
          serverVersion: 'v1.30.4',
          source: "runner's service account",
        },
      },
    })
    const byCert = w.add('Alice on the runner', {
      runner_source: 'kubeconfig-context',
      runner_context: 'by-cert',
    })
    expect(await verify(byCert)).toMatchObject({
      status: 'healthy',
      identity: {
        label: 'alice',
        details: {
          groups: 'platform-admins, system:authenticated',
          source: "runner's kubeconfig context by-cert",
        },
      },
    })
    const byToken = w.add('Deployer on the runner', {
      runner_source: 'kubeconfig-context',
      runner_context: 'by-token',
      namespace: 'apps',
    })
    expect(await verify(byToken)).toMatchObject({
      status: 'healthy',
      identity: { label: deployer.username, details: { namespace: 'apps' } },
    })
    // The API server saw each identity's calls: /version, then the review.
    expect(w.api.paths.filter((path) => path === 'GET /version')).toHaveLength(3)
    expect(
      w.api.paths.filter((path) => path.endsWith('/authentication.k8s.io/v1/selfsubjectreviews')),
    ).toHaveLength(3)

    // A context the runner's kubeconfig lacks, and a token the cluster no longer accepts: named.
    const missing = w.add('No such context', {
      runner_source: 'kubeconfig-context',
      runner_context: 'staging',
    })
    expect(await verify(missing)).toMatchObject({
      status: 'failing',
      error: {
        class: 'invalid-config',
        message: expect.stringContaining('has no context "staging"'),
      },
    })
    const revoked = `eyJ${canary.alnum(120)}`
    w.secrets.push(revoked)
    writeFileSync(join(w.account, 'token'), revoked) // the kubelet rotated it; the cluster did not
    expect(await verify(inCluster)).toMatchObject({
      status: 'failing',
      error: { class: 'authentication' },
    })

    // Nothing from the runner's machine in what the app keeps or shows.
    const surfaces: Record<string, string> = {
      health: JSON.stringify(results),
      connections: JSON.stringify(w.services.connections.list()),
      audit: w.services.audit.export({ format: 'jsonl' }).content,
      runnerLog: JSON.stringify(w.services.runner.logs({ limit: 1000 })),
      appLog: JSON.stringify(w.log.lines),
      dataDir: everyFile(w.dataDir),
      runnerOutput: w.runner.stdout() + w.runner.stderr(),
    }
    for (const [where, text] of Object.entries(surfaces))
      for (const secret of w.secrets)
        expect(text.includes(secret), `${where} holds a secret of the runner's machine`).toBe(false)
    expect(surfaces.audit).toContain(serviceAccount.username)
  }, 60_000)

  it('says so when the runner is not in a pod', async () => {
    const w = await world()
    // No Runner: the local runner.
    const local = w.addDelegated('Local pod identity', 'kubernetes', {
      runner_source: 'in-cluster',
    })
    // The local runner inherits this test's environment: no KUBERNETES_SERVICE_HOST.
    const saved = process.env.KUBERNETES_SERVICE_HOST
    delete process.env.KUBERNETES_SERVICE_HOST
    cleanup.push(() => {
      if (saved !== undefined) process.env.KUBERNETES_SERVICE_HOST = saved
    })
    expect(await w.services.health.verify({ connectionId: local })).toMatchObject({
      status: 'failing',
      checkedBy: 'local',
      error: {
        class: 'invalid-config',
        message: expect.stringContaining('not running in a Kubernetes pod'),
      },
    })
  }, 60_000)

  it("reads a secret reference on the runner the connection names, with the pod's identity", async () => {
    const w = await world()
    w.add('Pod identity', { runner_source: 'in-cluster' })
    w.add('Deployer on the runner', {
      runner_source: 'kubeconfig-context',
      runner_context: 'by-token',
    })
    const development = w.services.environments.list().find((e) => e.name === 'development')!
    const read = (text: string) =>
      readKubernetesReference(w.services, parseReferenceText(text), development.slug)
    expect(await read('secret:pod-identity/apps/db/password')).toBe(w.dbPassword)
    expect(w.api.paths).toContain('GET /api/v1/namespaces/apps/secrets/db')
    await expect(read('secret:deployer-on-the-runner/apps/db/password')).rejects.toMatchObject({
      code: 'OPERATION_FAILED',
      message: expect.stringMatching(
        /^Reference secret:deployer-on-the-runner\/apps\/db\/password: Permission denied: the credentials may not get secrets in namespace apps/,
      ) as string,
    })
    const trail = w.services.audit.export({ format: 'jsonl' }).content
    expect(trail).toContain('Read secret:pod-identity/apps/db/password')
    const surfaces = [
      trail,
      JSON.stringify(w.services.runner.logs({ limit: 1000 })),
      JSON.stringify(w.log.lines),
      everyFile(w.dataDir),
      w.runner.stdout() + w.runner.stderr(),
    ]
    for (const text of surfaces)
      for (const secret of [...w.secrets, w.dbPassword]) expect(text.includes(secret)).toBe(false)
  }, 60_000)
})

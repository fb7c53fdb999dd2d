import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bridgekeepOnPath,
  cliVault,
  privateKeyring,
  runProgram,
  SLOW,
  type CliResult,
} from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { startKubeApi, type KubeApiFixture } from '../../test/fixtures/kube-api'
import { startSts, type StsFixture } from '../../test/fixtures/sts'
import { createTestCa } from '../../test/fixtures/test-ca'
import { environmentIds } from '../../test/services'

const b64 = (text: string) => Buffer.from(text).toString('base64url')
/** A service account token in the shape the catalog accepts. */
const saToken = `${b64(JSON.stringify({ alg: 'RS256', kid: 'k1' }))}.${b64(JSON.stringify({ sub: 'system:serviceaccount:ci:deployer', exp: Math.floor(Date.now() / 1000) + 86_400 }))}.${canary.alnum(86)}`
const KEY_ID = canary.awsKeyId()
const SECRET = canary.awsSecret()
const CLUSTER = 'prod'

/** kubectl with a kubeconfig whose user is `bridgekeep kube token <args>`, against the API. */
function kubectl(
  api: KubeApiFixture,
  caFile: string,
  dir: string,
  pluginArgs: string[],
  env: Record<string, string>,
): Promise<CliResult> {
  const config = join(dir, `kubeconfig-${pluginArgs[0]}`)
  writeFileSync(
    config,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: api.url, 'certificate-authority': caFile } }],
      users: [
        {
          name: 'u',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: 'bridgekeep',
              args: ['kube', 'token', ...pluginArgs],
              interactiveMode: 'Never',
            },
          },
        },
      ],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
    }),
  )
  return runProgram('kubectl', ['--kubeconfig', config, 'get', '--raw', '/version'], { env })
}

describe.skipIf(!privateKeyring)(
  'bridgekeep kube token (real kubectl, real processes)',
  SLOW,
  () => {
    let vault: Awaited<ReturnType<typeof cliVault>>
    let api: KubeApiFixture
    let sts: StsFixture
    let dir: string
    let caFile: string
    const env = () => ({
      BRIDGEKEEP_HOME: vault.home,
      BRIDGEKEEP_AGENT: 'off',
      PATH: `${dir}:${process.env.PATH ?? ''}`,
    })

    beforeAll(async () => {
      vault = await cliVault()
      dir = mkdtempSync(join(tmpdir(), 'bk-kube-'))
      bridgekeepOnPath(dir)
      sts = await startSts({
        identities: [
          {
            accessKeyId: KEY_ID,
            secretAccessKey: SECRET,
            arn: 'arn:aws:iam::123456789012:user/deployer',
            userId: 'AIDAEXAMPLE',
            account: '123456789012',
          },
        ],
      })
      const ca = await createTestCa()
      caFile = join(dir, 'ca.pem')
      writeFileSync(caFile, ca.cert)
      api = await startKubeApi({
        tls: { ...(await ca.server()), clientCa: ca.cert },
        tokens: { [saToken]: { username: 'system:serviceaccount:ci:deployer', groups: [] } },
        // As EKS: the token is a presigned GetCallerIdentity URL, sent to STS with this cluster's
        // name in x-k8s-aws-id; STS's answer names the caller.
        verifyToken: async (token) => {
          if (!token.startsWith('k8s-aws-v1.')) return undefined
          const url = Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8')
          if (!url.startsWith(`${sts.url}/?`)) return undefined
          const answer = await fetch(url, { headers: { 'x-k8s-aws-id': CLUSTER } })
          const arn = /<Arn>([^<]+)<\/Arn>/.exec(await answer.text())?.[1]
          return answer.ok && arn ? { username: arn, groups: ['system:authenticated'] } : undefined
        },
      })
      const ids = environmentIds(vault.services)
      const kube = vault.services.connections.create({
        name: 'kube-ci',
        provider: 'kubernetes',
        authMode: 'inline',
        values: { source: 'token', server: api.url, token: saToken, ca_certificate: ca.cert },
      })
      const aws = vault.services.connections.create({
        name: 'prod-aws',
        provider: 'aws',
        authMode: 'inline',
        values: {
          access_key_id: KEY_ID,
          secret_access_key: SECRET,
          default_region: 'eu-west-1',
          sts_endpoint: sts.url,
        },
      })
      vault.services.authorizations.applyChanges({
        grants: [kube, aws].map((c) => ({ connectionId: c.id, environmentId: ids.staging! })),
      })
    })
    afterAll(async () => {
      await api?.close()
      await sts?.close()
    })

    it('kubectl gets a Kubernetes connection’s token from the plugin, audited', async () => {
      const result = await kubectl(api, caFile, dir, ['kube-ci', '--env', 'staging'], env())
      expect(result.stderr).toBe('')
      expect(JSON.parse(result.stdout)).toMatchObject({ gitVersion: 'v1.30.4' })
      const [entry] = vault.services.audit.query({
        filter: { actions: ['credential-helper'], outcome: 'success' },
      }).entries
      expect(entry?.detail).toContain('kubectl credential helper')
      expect(entry?.targetName).toBe('kube-ci')
    })

    it('prints an ExecCredential; an EKS token is signed for the cluster and accepted through STS', async () => {
      const printed = await vault.cli(['kube', 'token', 'kube-ci', '--env', 'staging'])
      expect(JSON.parse(printed.stdout)).toEqual({
        apiVersion: 'client.authentication.k8s.io/v1',
        kind: 'ExecCredential',
        status: { token: saToken },
      })
      // The same by its connection:// reference, which carries the environment.
      const byUri = await vault.cli(['kube', 'token', 'connection://staging/kube-ci'])
      expect(JSON.parse(byUri.stdout)).toMatchObject({ status: { token: saToken } })
      const eks = await vault.cli([
        'kube',
        'token',
        'prod-aws',
        '--env',
        'staging',
        '--eks-cluster',
        CLUSTER,
      ])
      expect(eks.stderr).toBe('')
      const { status } = JSON.parse(eks.stdout) as {
        status: { token: string; expirationTimestamp: string }
      }
      expect(status.token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/)
      expect(status.token).not.toContain(SECRET)
      const minutes = (Date.parse(status.expirationTimestamp) - Date.now()) / 60_000
      expect(minutes).toBeGreaterThan(13)
      expect(minutes).toBeLessThanOrEqual(14)
      const args = ['prod-aws', '--env', 'staging', '--eks-cluster', CLUSTER]
      const result = await kubectl(api, caFile, dir, args, env())
      expect(result.stderr).toBe('')
      expect(JSON.parse(result.stdout)).toMatchObject({ gitVersion: 'v1.30.4' })
      expect(sts.calls.at(-1)).toEqual({ action: 'GetCallerIdentity', accessKeyId: KEY_ID })
      // Signed for another cluster, the token is refused (the header is part of the signature).
      const other = await kubectl(
        api,
        caFile,
        dir,
        ['prod-aws', '--env', 'staging', '--eks-cluster', 'other'],
        env(),
      )
      expect(other.code).not.toBe(0)
      expect(other.stderr).toMatch(/Unauthorized|must be logged in/)
    })

    it('refuses an environment the connection is not authorized for, through kubectl', async () => {
      const result = await kubectl(api, caFile, dir, ['kube-ci', '--env', 'production'], env())
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain(
        'Connection kube-ci is not authorized for environment production',
      )
      expect(result.stderr).not.toContain(saToken)
      const trail = JSON.stringify(vault.services.audit.query({ limit: 1000 }))
      for (const secret of [saToken, SECRET]) expect(trail).not.toContain(secret)
    })
  },
)

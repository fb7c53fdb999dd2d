import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { startAzureAuthority, type AzureFixture } from '../../test/fixtures/azure'
import { canary } from '../../test/fixtures/canary'
import {
  serviceAccount,
  startGoogleToken,
  type GoogleTokenFixture,
} from '../../test/fixtures/google'
import { createTestCa } from '../../test/fixtures/test-ca'
import { unlockedServices } from '../../test/services'
import { filesUnder, liveEnviron, shareUseOnly, writeDumpTool } from '../../test/use-only-tool'

type Bob = Awaited<ReturnType<typeof cliVault>>

/** Runs the dump tool through `bridgekeep exec` as Bob; returns its environment, files and output. */
async function execDump(bob: Bob, connection: string, options: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'bk-tool-'))
  const tool = writeDumpTool(dir)
  // A busy two-core machine: the CLI's start, the token request and the tool's start take time.
  const running = bob.cli(
    ['exec', connection, '--env', 'staging', ...options, '--', process.execPath, tool],
    { timeoutMs: 60_000 },
  )
  const environ = await liveEnviron(dir)
  const result = await running
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  const dumped = JSON.parse(result.stdout) as {
    env: Record<string, string>
    files: Record<string, string>
  }
  return { ...dumped, environ, seen: [environ, result.stdout, result.stderr] }
}

const auditedExecs = (bob: Bob) =>
  bob.services.audit
    .query({ filter: { actions: ['exec'] } })
    .entries.map((e) => `${e.outcome} ${e.targetName} ${e.detail}`)

describe.skipIf(!privateKeyring)(
  'use-only GCP and Azure connections: tools get tokens',
  SLOW,
  () => {
    const account = serviceAccount()
    const entraApp = {
      tenantId: randomUUID(),
      clientId: randomUUID(),
      secret: canary.azureSecret(),
    }
    const subscriptionId = randomUUID()
    let google: GoogleTokenFixture
    let entra: AzureFixture
    let bob: Bob

    beforeAll(async () => {
      const ca = await createTestCa()
      google = await startGoogleToken({ accounts: [account] })
      entra = await startAzureAuthority({ apps: [entraApp], tls: await ca.server() })
      const alice = await unlockedServices()
      bob = await cliVault()
      await shareUseOnly(alice.services, bob.services, {
        name: 'prod-gcp',
        provider: 'gcp',
        authMode: 'inline',
        values: { service_account_key: account.keyFile, token_endpoint: google.tokenUrl },
      })
      // A second share from the same Alice: the contacts exist already.
      const aliceContact = alice.services.sharing.contacts()[0]!.id
      const created = alice.services.connections.create({
        name: 'prod-azure',
        provider: 'azure',
        authMode: 'inline',
        values: {
          tenant_id: entraApp.tenantId,
          subscription_id: subscriptionId,
          client_id: entraApp.clientId,
          client_secret: entraApp.secret,
          authority_host: entra.url,
          ca_certificate: ca.cert,
        },
      })
      const share = await alice.services.sharing.export({
        connectionIds: [created.id],
        to: { kind: 'contacts', contactIds: [aliceContact] },
        environments: ['staging'],
        useOnly: true,
      })
      await bob.services.sharing.importApply({
        source: { data: share.bytes },
        shareId: share.shareId,
      })
    })
    afterAll(async () => {
      await google?.close()
      await entra?.close()
    })

    it('GCP: an OAuth access token for gcloud and Terraform, no key file; cached', async () => {
      const tool = await execDump(bob, 'prod-gcp')
      expect(google.issued.size).toBe(1)
      const [token] = [...google.issued.keys()]
      expect(tool.env).toMatchObject({
        CLOUDSDK_AUTH_ACCESS_TOKEN: token,
        GOOGLE_OAUTH_ACCESS_TOKEN: token,
        CLOUDSDK_CORE_PROJECT: account.project,
        GOOGLE_CLOUD_PROJECT: account.project,
      })
      expect(tool.env.GOOGLE_APPLICATION_CREDENTIALS).toBeUndefined()
      expect(tool.env.CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE).toBeUndefined()
      expect(tool.environ).toContain(`CLOUDSDK_AUTH_ACCESS_TOKEN=${token}`)
      const everything = [...tool.seen, JSON.stringify(tool.files), filesUnder(bob.home)]
      for (const seen of everything)
        for (const line of account.secretLines) expect(seen).not.toContain(line)

      // Reused from the cache while fresh, where it is sealed, never in clear.
      expect(readFileSync(join(bob.home, 'credential-cache.json'), 'utf8')).not.toContain(token)
      await execDump(bob, 'prod-gcp')
      expect(google.issued.size).toBe(1)
      expect(auditedExecs(bob).filter((e) => e.includes('prod-gcp'))).toEqual([
        `success prod-gcp Ran ${basename(process.execPath)} (gcp:access-token)`,
        `success prod-gcp Ran ${basename(process.execPath)} (gcp:access-token)`,
      ])
    })

    it('Azure: a Resource Manager token and the ids, never the client secret; cached', async () => {
      const tool = await execDump(bob, 'prod-azure')
      expect(entra.tokenRequests).toBe(1)
      const [token] = [...entra.issued.keys()]
      expect(tool.env).toMatchObject({
        AZURE_ACCESS_TOKEN: token,
        AZURE_TENANT_ID: entraApp.tenantId,
        AZURE_SUBSCRIPTION_ID: subscriptionId,
      })
      for (const name of ['AZURE_CLIENT_SECRET', 'ARM_CLIENT_SECRET', 'AZURE_CLIENT_ID'])
        expect(tool.env[name]).toBeUndefined()
      expect(tool.environ).toContain(`AZURE_ACCESS_TOKEN=${token}`)
      // A Resource Manager token (the default resource), issued to the stored app.
      const claims = JSON.parse(Buffer.from(token!.split('.')[1]!, 'base64url').toString())
      expect(claims).toMatchObject({
        aud: 'https://management.azure.com',
        appid: entraApp.clientId,
      })
      expect(claims.exp - Date.now() / 1000).toBeGreaterThan(3000)
      for (const seen of [...tool.seen, JSON.stringify(tool.files), filesUnder(bob.home)])
        expect(seen).not.toContain(entraApp.secret)

      expect(readFileSync(join(bob.home, 'credential-cache.json'), 'utf8')).not.toContain(token)
      await execDump(bob, 'prod-azure')
      expect(entra.tokenRequests).toBe(1)
      expect(auditedExecs(bob).filter((e) => e.includes('prod-azure'))).toEqual([
        `success prod-azure Ran ${basename(process.execPath)} (azure:access-token)`,
        `success prod-azure Ran ${basename(process.execPath)} (azure:access-token)`,
      ])
    })

    it('Azure: a token for the resource exec asks for, cached per resource', async () => {
      const audience = (token: string) =>
        JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).aud
      const before = entra.tokenRequests
      // A resource URL is asked for as its ".default" scope, which the authority insists on.
      const vault = await execDump(bob, 'prod-azure', ['--azure-scope', 'https://vault.azure.net'])
      expect(entra.tokenRequests).toBe(before + 1)
      expect(audience(vault.env.AZURE_ACCESS_TOKEN!)).toBe('https://vault.azure.net')
      const graph = await execDump(bob, 'prod-azure', [
        '--azure-scope',
        'https://graph.microsoft.com/.default',
      ])
      expect(audience(graph.env.AZURE_ACCESS_TOKEN!)).toBe('https://graph.microsoft.com')
      expect(entra.tokenRequests).toBe(before + 2)
      // Each resource's token is cached apart: none replaced another.
      const again = await execDump(bob, 'prod-azure', ['--azure-scope', 'https://vault.azure.net'])
      expect(again.env.AZURE_ACCESS_TOKEN).toBe(vault.env.AZURE_ACCESS_TOKEN)
      const manager = await execDump(bob, 'prod-azure')
      expect(audience(manager.env.AZURE_ACCESS_TOKEN!)).toBe('https://management.azure.com')
      expect(entra.tokenRequests).toBe(before + 2)

      const run = (connection: string, scope: string) =>
        bob.cli(['exec', connection, '--env', 'staging', '--azure-scope', scope, '--', 'true'])
      const delegated = await run('prod-azure', 'https://graph.microsoft.com/User.Read')
      expect(delegated.code).not.toBe(0)
      expect(delegated.stderr).toContain(
        '--azure-scope: "https://graph.microsoft.com/User.Read" names a delegated permission',
      )
      const plain = await run('prod-azure', 'http://vault.azure.net')
      expect(plain.stderr).toContain('an https URL without query or credentials')
      const gcp = await run('prod-gcp', 'https://vault.azure.net')
      expect(gcp.stderr).toContain(
        '--azure-scope: connection prod-gcp does not hand tools Azure access tokens (it is a gcp connection).',
      )
      expect(entra.tokenRequests).toBe(before + 2)
    })
  },
)

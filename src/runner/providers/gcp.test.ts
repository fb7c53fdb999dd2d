import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { expectNoSecrets } from '../../../test/fixtures/canary'
import { serviceAccount, startGoogleToken } from '../../../test/fixtures/google'
import type { GoogleTokenFixture } from '../../../test/fixtures/google'
import { closedPort } from '../../../test/fixtures/loopback'
import { createTestCa } from '../../../test/fixtures/test-ca'
import { gcpOperations } from './gcp'

const deployer = serviceAccount()
const runner = serviceAccount('runner@acme-ops.iam.gserviceaccount.com', 'acme-ops')
const disabled = serviceAccount('old@acme-platform-prod.iam.gserviceaccount.com')
const impostor = serviceAccount() // same email as deployer, another key
const stranger = serviceAccount('nobody@acme-platform-prod.iam.gserviceaccount.com')
const secretLines = [deployer, runner, disabled, impostor, stranger].flatMap((a) => a.secretLines)

let google: GoogleTokenFixture
const savedEnv = { ...process.env }
const home = mkdtempSync(join(tmpdir(), 'bk-gcp-'))

beforeAll(async () => {
  google = await startGoogleToken({
    accounts: [deployer, runner, { ...disabled, disabled: true }],
  })
  // Hermetic ADC: no gcloud login of this machine, no metadata server probe.
  process.env.HOME = home
  process.env.CLOUDSDK_CONFIG = join(home, 'gcloud')
  process.env.METADATA_SERVER_DETECTION = 'none'
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS
})
afterAll(async () => {
  await google.close()
  process.env = savedEnv
})
afterEach(() => {
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS
})

const inline = (keyFile: string, config: Record<string, string> = {}): OperationInput => ({
  provider: 'gcp',
  authMode: 'inline',
  config: { token_endpoint: google.tokenUrl, ...config },
  secrets: { service_account_key: keyFile },
})

describe('gcp verify', () => {
  it('exchanges a signed assertion for a token and names the service account', async () => {
    const result = await gcpOperations.verify(inline(deployer.keyFile))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: deployer.email,
        details: {
          clientEmail: deployer.email,
          project: 'acme-platform-prod',
          source: 'service account key',
        },
      },
    })
    expect(result.notes?.[0]).toMatch(/project itself was not checked/)
    expect([...google.issued.values()]).toContain(deployer.email)
    expectNoSecrets(result, secretLines)
  })

  it("names the connection's project when it overrides the key's", async () => {
    const result = await gcpOperations.verify(
      inline(deployer.keyFile, { project_id: 'acme-shared-dev' }),
    )
    expect(result.identity?.details.project).toBe('acme-shared-dev')
  })

  it('a key the account does not have is "Authentication failed"', async () => {
    const result = await gcpOperations.verify(inline(impostor.keyFile))
    expect(result.status).toBe('failing')
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toBe(
      'Authentication failed: Google rejected the service account key (invalid_grant: Invalid JWT Signature.).',
    )
    expect(result.error?.remedy).toMatch(/create a new key/)
    expectNoSecrets(result, secretLines)
  })

  it('a deleted account is "Authentication failed", a disabled one "Permission denied"', async () => {
    const gone = await gcpOperations.verify(inline(stranger.keyFile))
    expect(gone.error?.class).toBe('authentication')
    expect(gone.error?.message).toContain('account not found')
    const off = await gcpOperations.verify(inline(disabled.keyFile))
    expect(off.error?.class).toBe('permission')
  })

  it('an unreachable token endpoint fails fast', async () => {
    const port = await closedPort()
    const started = Date.now()
    const result = await gcpOperations.verify(
      inline(deployer.keyFile, { token_endpoint: `http://127.0.0.1:${port}/token` }),
    )
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result.error?.class).toBe('unreachable')
    expect(result.error?.message).toContain('ECONNREFUSED')
  })

  it('an https token endpoint is trusted through the connection CA certificate', async () => {
    const ca = await createTestCa()
    const secure = await startGoogleToken({ accounts: [deployer], tls: await ca.server() })
    try {
      const trusted = await gcpOperations.verify(
        inline(deployer.keyFile, { token_endpoint: secure.tokenUrl, ca_certificate: ca.cert }),
      )
      expect(trusted.status).toBe('healthy')
      const untrusted = await gcpOperations.verify(
        inline(deployer.keyFile, { token_endpoint: secure.tokenUrl }),
      )
      expect(untrusted.error?.class).toBe('untrusted-certificate')
    } finally {
      await secure.close()
    }
  })

  it("uses the runner's Application Default Credentials in delegated mode", async () => {
    const file = join(home, 'adc.json')
    writeFileSync(file, runner.keyFile)
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file
    const result = await gcpOperations.verify({
      provider: 'gcp',
      authMode: 'runner-delegated',
      config: { project_id: 'acme-platform-prod', token_endpoint: google.tokenUrl },
      secrets: {},
    })
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: runner.email, details: { project: 'acme-platform-prod' } },
    })
  })

  it('a runner without Application Default Credentials fails with a remedy', async () => {
    const result = await gcpOperations.verify({
      provider: 'gcp',
      authMode: 'runner-delegated',
      config: { project_id: 'acme-platform-prod', token_endpoint: google.tokenUrl },
      secrets: {},
    })
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toMatch(/no Application Default Credentials/)
  })
})

describe('gcp issue-credentials', () => {
  it('issues the access token the endpoint handed out, with its expiry', async () => {
    const issued = await gcpOperations.issueCredentials!(inline(deployer.keyFile))
    expect(issued.status).toBe('issued')
    if (issued.status !== 'issued' || issued.credentials.kind !== 'gcp-access-token')
      throw new Error('not issued')
    expect(google.issued.get(issued.credentials.token)).toBe(deployer.email)
    const lifetime = Date.parse(issued.credentials.expiresAt) - Date.now()
    expect(lifetime).toBeGreaterThan(3_500_000)
    expect(lifetime).toBeLessThan(3_600_000)
    expectNoSecrets(issued, secretLines)
  })

  it('a bad key fails to issue, scrubbed', async () => {
    const issued = await gcpOperations.issueCredentials!(inline(impostor.keyFile))
    expect(issued.status === 'failing' && issued.error.class).toBe('authentication')
    expectNoSecrets(issued, secretLines)
  })
})

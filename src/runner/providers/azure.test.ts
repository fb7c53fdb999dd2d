import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { startAzureAuthority } from '../../../test/fixtures/azure'
import type { AzureFixture, EntraApp } from '../../../test/fixtures/azure'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { TestCa } from '../../../test/fixtures/test-ca'
import { azureOperations } from './azure'

const tenantId = randomUUID()
const app: EntraApp = { tenantId, clientId: randomUUID(), secret: canary.azureSecret() }
const stale: EntraApp = {
  tenantId,
  clientId: randomUUID(),
  secret: canary.azureSecret(),
  expired: true,
}
const runner: EntraApp = { tenantId, clientId: randomUUID(), secret: canary.azureSecret() }
const secrets = [app.secret, stale.secret, runner.secret]
const subscriptionId = randomUUID()

let ca: TestCa
let entra: AzureFixture
const savedEnv = { ...process.env }
const azureEnv = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_AUTHORITY_HOST',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_USERNAME',
  'AZURE_FEDERATED_TOKEN_FILE',
]

beforeAll(async () => {
  ca = await createTestCa()
  entra = await startAzureAuthority({ apps: [app, stale, runner], tls: await ca.server() })
  // The chain stops at environment credentials: no managed identity probe, no az CLI.
  process.env.AZURE_TOKEN_CREDENTIALS = 'EnvironmentCredential'
  for (const name of azureEnv) delete process.env[name]
})
afterAll(async () => {
  await entra.close()
  process.env = savedEnv
})
afterEach(() => {
  for (const name of azureEnv) delete process.env[name]
})

function inline(
  given: Partial<EntraApp> = {},
  config: Record<string, string> = {},
): OperationInput {
  const chosen = { ...app, ...given }
  return {
    provider: 'azure',
    authMode: 'inline',
    config: {
      tenant_id: chosen.tenantId,
      subscription_id: subscriptionId,
      client_id: chosen.clientId,
      authority_host: entra.url,
      ca_certificate: ca.cert,
      ...config,
    },
    secrets: { client_secret: chosen.secret },
  }
}

describe('azure verify', () => {
  it('gets a management token with the client secret and names tenant and client', async () => {
    const result = await azureOperations.verify(inline())
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: `${app.clientId} in tenant ${tenantId}`,
        details: { tenantId, clientId: app.clientId, subscriptionId, source: 'client secret' },
      },
    })
    expect(result.notes?.[0]).toMatch(/subscription itself was not checked/)
    expectNoSecrets(result, secrets)
  })

  it('a wrong secret is "Authentication failed" with the Entra code', async () => {
    const result = await azureOperations.verify(inline({ secret: canary.azureSecret() }))
    expect(result.status).toBe('failing')
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toMatch(
      /^Authentication failed: Microsoft Entra rejected the client secret \(AADSTS7000215/,
    )
    expect(result.error?.remedy).toMatch(/Value \(not the Secret ID\)/)
    expectNoSecrets(result, secrets)
  })

  it('an expired secret is "Credentials expired"', async () => {
    const result = await azureOperations.verify(inline(stale))
    expect(result.error?.class).toBe('expired')
    expect(result.error?.message).toMatch(/^Credentials expired: the client secret has expired/)
  })

  it('an unknown tenant or an app of another tenant is the wrong target', async () => {
    const tenant = await azureOperations.verify(inline({ tenantId: randomUUID() }))
    expect(tenant.error?.class).toBe('wrong-target')
    expect(tenant.error?.message).toMatch(/tenant was not found/)
    const client = await azureOperations.verify(inline({ clientId: randomUUID() }))
    expect(client.error?.class).toBe('wrong-target')
    expect(client.error?.message).toMatch(/not registered in this tenant/)
  })

  it('without the CA certificate the authority is not trusted', async () => {
    const config = inline()
    delete config.config.ca_certificate
    const result = await azureOperations.verify(config)
    expect(result.error?.class).toBe('untrusted-certificate')
  })

  it('an unreachable authority fails fast', async () => {
    const port = await closedPort()
    const started = Date.now()
    const result = await azureOperations.verify(
      inline({}, { authority_host: `https://127.0.0.1:${port}` }),
    )
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result.error?.class).toBe('unreachable')
  })

  it('a network that fails during the token request is unreachable, not an unexpected answer', async () => {
    entra.dropTokenRequests = true
    try {
      const result = await azureOperations.verify(inline())
      expect(result.error?.class).toBe('unreachable')
      expect(result.error?.message).toMatch(/^Endpoint unreachable: https:\/\/127\.0\.0\.1:\d+/)
      expect(result.error?.message).not.toContain('AuthenticationRequiredError')
    } finally {
      entra.dropTokenRequests = false
    }
  })

  it("uses the runner's own identity (DefaultAzureCredential) in delegated mode", async () => {
    Object.assign(process.env, {
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: runner.clientId,
      AZURE_CLIENT_SECRET: runner.secret,
    })
    const result = await azureOperations.verify({
      provider: 'azure',
      authMode: 'runner-delegated',
      config: {
        tenant_id: tenantId,
        subscription_id: subscriptionId,
        authority_host: entra.url,
        ca_certificate: ca.cert,
      },
      secrets: {},
    })
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { details: { clientId: runner.clientId, source: "runner's identity" } },
    })
  })

  it('a runner without an Azure identity fails with a remedy', async () => {
    const result = await azureOperations.verify({
      provider: 'azure',
      authMode: 'runner-delegated',
      config: {
        tenant_id: tenantId,
        subscription_id: subscriptionId,
        authority_host: entra.url,
        ca_certificate: ca.cert,
      },
      secrets: {},
    })
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toMatch(/runner has no Azure identity/)
  })
})

describe('azure issue-credentials', () => {
  it('issues the management token with its expiry', async () => {
    const issued = await azureOperations.issueCredentials!(inline())
    if (issued.status !== 'issued' || issued.credentials.kind !== 'azure-access-token')
      throw new Error('not issued')
    expect(entra.issued.get(issued.credentials.token)).toBe(app.clientId)
    expect(Date.parse(issued.credentials.expiresAt) - Date.now()).toBeGreaterThan(3_000_000)
    expectNoSecrets(issued, secrets)
  })
})

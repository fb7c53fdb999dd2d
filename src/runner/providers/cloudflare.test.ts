import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { TestCa } from '../../../test/fixtures/test-ca'
import { startCloudflare } from '../../../test/fixtures/token-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { cloudflareOperations } from './cloudflare'

const token = canary.alnum(40)
const globalKey = canary.hex(37)
const account = canary.hex(32)
const tokenId = canary.hex(32)
let ca: TestCa
let api: TokenApiFixture

beforeAll(async () => {
  ca = await createTestCa()
  api = await startCloudflare({
    token: { value: token, id: tokenId, expiresOn: '2030-01-01T00:00:00Z' },
    globalKey: { key: globalKey, email: 'ops@example.com' },
    accounts: [account],
    tls: await ca.server(),
  })
})
afterAll(() => api.close())

const base = (config: Record<string, string> = {}) => ({
  api_url: `${api.url}/client/v4`,
  ca_certificate: ca.cert,
  ...config,
})
const withToken = (value: string, config: Record<string, string> = {}): OperationInput => ({
  provider: 'cloudflare',
  authMode: 'inline',
  config: base(config),
  secrets: { api_token: value },
})
const withKey = (key: string): OperationInput => ({
  provider: 'cloudflare',
  authMode: 'inline',
  config: base({ email: 'ops@example.com' }),
  secrets: { global_api_key: key },
})

describe('cloudflare verify', () => {
  it('verifies a scoped token, its status and expiry, and the account', async () => {
    const result = await cloudflareOperations.verify(withToken(token, { account_id: account }))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: `API token ${tokenId}`,
        details: { status: 'active', account, accountName: 'Acme Platform' },
      },
      expiresAt: '2030-01-01T00:00:00.000Z',
    })
    expectNoSecrets(result, [token])
  })

  it('a wrong token is "Authentication failed"', async () => {
    const wrong = canary.alnum(40)
    const result = await cloudflareOperations.verify(withToken(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('Invalid API Token')
    expectNoSecrets(result, [token, wrong])
  })

  it('an account the token cannot see is the wrong target', async () => {
    const result = await cloudflareOperations.verify(
      withToken(token, { account_id: canary.hex(32) }),
    )
    expect(result.error?.class).toBe('wrong-target')
    expect(result.identity?.label).toBe(`API token ${tokenId}`)
  })

  it('the legacy Global API key with its email', async () => {
    const good = await cloudflareOperations.verify(withKey(globalKey))
    expect(good).toMatchObject({ status: 'healthy', identity: { label: 'ops@example.com' } })
    const wrongKey = canary.hex(37)
    const bad = await cloudflareOperations.verify(withKey(wrongKey))
    expect(bad.error?.class).toBe('authentication')
    expect(bad.error?.message).toContain('Unknown X-Auth-Key or X-Auth-Email')
    expectNoSecrets([good, bad], [globalKey, wrongKey])
  })

  it('an expired or disabled token fails with its class', async () => {
    const expired = await startCloudflare({
      token: { value: token, id: tokenId, status: 'expired', expiresOn: '2020-01-01T00:00:00Z' },
    })
    try {
      const input = { ...withToken(token), config: { api_url: `${expired.url}/client/v4` } }
      const result = await cloudflareOperations.verify(input)
      expect(result.error?.class).toBe('expired')
    } finally {
      await expired.close()
    }
  })

  it('needs the CA certificate, and fails fast when unreachable', async () => {
    const untrusted = await cloudflareOperations.verify({
      ...withToken(token),
      config: { api_url: `${api.url}/client/v4` },
    })
    expect(untrusted.error?.class).toBe('untrusted-certificate')
    const port = await closedPort()
    const unreachable = await cloudflareOperations.verify(
      withToken(token, { api_url: `https://127.0.0.1:${port}/client/v4` }),
    )
    expect(unreachable.error?.class).toBe('unreachable')
  })
})

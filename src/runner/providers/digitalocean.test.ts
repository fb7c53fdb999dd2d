import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { startDigitalOcean } from '../../../test/fixtures/token-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { digitaloceanOperations } from './digitalocean'

const token = `dop_v1_${canary.hex(64)}`
let api: TokenApiFixture
let locked: TokenApiFixture

beforeAll(async () => {
  api = await startDigitalOcean({ token, email: 'ops@example.com' })
  locked = await startDigitalOcean({ token, email: 'ops@example.com', locked: true })
})
afterAll(async () => {
  await api.close()
  await locked.close()
})

const input = (apiToken: string, apiUrl = api.url): OperationInput => ({
  provider: 'digitalocean',
  authMode: 'inline',
  config: { default_region: 'fra1', api_url: apiUrl },
  secrets: { api_token: apiToken },
})

describe('digitalocean verify', () => {
  it('reads the account with the token', async () => {
    const result = await digitaloceanOperations.verify(input(token))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'ops@example.com', details: { team: 'Platform', status: 'active' } },
    })
    expect(api.paths.at(-1)).toBe('/v2/account')
    expectNoSecrets(result, [token])
  })

  it('a wrong token is "Authentication failed" with the API\'s reason', async () => {
    const wrong = `dop_v1_${canary.hex(64)}`
    const result = await digitaloceanOperations.verify(input(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toBe(
      'Authentication failed: DigitalOcean rejected the credentials (Unable to authenticate you).',
    )
    expect(result.error?.remedy).toMatch(/API → Tokens/)
    expectNoSecrets(result, [token, wrong])
  })

  it('a locked account is "Permission denied"', async () => {
    const result = await digitaloceanOperations.verify(input(token, locked.url))
    expect(result.error?.class).toBe('permission')
    expect(result.error?.message).toMatch(/account is locked/)
    expect(result.identity?.label).toBe('ops@example.com')
  })

  it('an unreachable API fails fast', async () => {
    const started = Date.now()
    const result = await digitaloceanOperations.verify(
      input(token, `http://127.0.0.1:${await closedPort()}`),
    )
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result.error?.class).toBe('unreachable')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { startCivo } from '../../../test/fixtures/token-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { civoOperations } from './civo'

const key = canary.alnum(50)
let api: TokenApiFixture

beforeAll(async () => {
  api = await startCivo({ key, email: 'ops@example.com', regions: ['LON1', 'NYC1'] })
})
afterAll(() => api.close())

const input = (apiKey: string, region = 'LON1', apiUrl = api.url): OperationInput => ({
  provider: 'civo',
  authMode: 'inline',
  config: { default_region: region, api_url: apiUrl },
  secrets: { api_key: apiKey },
})

describe('civo verify', () => {
  it('proves the key with the account quota and checks the region', async () => {
    const result = await civoOperations.verify(input(key))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'ops@example.com', details: { region: 'LON1' } },
    })
    expect(api.paths.slice(-2)).toEqual(['/v2/quota', '/v2/regions'])
    expectNoSecrets(result, [key])
  })

  it('a wrong key is "Authentication failed"', async () => {
    const wrong = canary.alnum(50)
    const result = await civoOperations.verify(input(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('The API key provided is invalid')
    expectNoSecrets(result, [key, wrong])
  })

  it('a region the account does not have is the wrong target', async () => {
    const result = await civoOperations.verify(input(key, 'FRA1'))
    expect(result.error?.class).toBe('wrong-target')
    expect(result.error?.message).toBe(
      'Wrong target: the region FRA1 is not available to this account (it has LON1, NYC1).',
    )
  })

  it('an unreachable API fails fast', async () => {
    const result = await civoOperations.verify(
      input(key, 'LON1', `http://127.0.0.1:${await closedPort()}`),
    )
    expect(result.error?.class).toBe('unreachable')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startSearchCluster } from '../../../test/fixtures/service-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { opensearchOperations } from './opensearch'

const admin = { user: 'admin', password: canary.alnum(24) }
const limited = { user: 'ci-reader', password: canary.alnum(24) }
const apiKey = btoa(`${canary.alnum(20)}:${canary.alnum(22)}`)
let green: TokenApiFixture
let red: TokenApiFixture

beforeAll(async () => {
  green = await startSearchCluster({ admin, limited, apiKey, status: 'green' })
  red = await startSearchCluster({ admin, limited, apiKey, status: 'red' })
})
afterAll(async () => {
  await Promise.all([green.close(), red.close()])
})

const withPassword = (
  login: { user: string; password: string },
  url = green.url,
): OperationInput => ({
  provider: 'opensearch',
  authMode: 'inline',
  config: { url, auth: 'basic', username: login.user },
  secrets: { password: login.password },
})

describe('opensearch verify', () => {
  it('reads the cluster health with a password or an API key', async () => {
    const result = await opensearchOperations.verify(withPassword(admin))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'search-prod', details: { status: 'green' } },
    })
    const keyed = await opensearchOperations.verify({
      provider: 'opensearch',
      authMode: 'inline',
      config: { url: green.url, auth: 'api-key' },
      secrets: { api_key: apiKey },
    })
    expect(keyed.status).toBe('healthy')
    expectNoSecrets([result, keyed], [admin.password, apiKey])
  })

  it('a user without the monitor privilege is signed in: the root endpoint proves it', async () => {
    const result = await opensearchOperations.verify(withPassword(limited))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'search-prod', details: { version: '2.19.1' } },
      notes: ['The credentials may not read the cluster health; only sign-in was checked.'],
    })
    expect(green.paths.slice(-2)).toEqual(['/_cluster/health', '/'])
  })

  it('a wrong password is "Authentication failed"; a red cluster is a warning', async () => {
    const wrong = { user: 'admin', password: canary.alnum(24) }
    const result = await opensearchOperations.verify(withPassword(wrong))
    expect(result.error?.class).toBe('authentication')
    expectNoSecrets(result, [admin.password, wrong.password])
    const sick = await opensearchOperations.verify(withPassword(admin, red.url))
    expect(sick.status).toBe('healthy')
    expect(sick.warnings).toEqual(['The cluster is red: some primary shards are not allocated.'])
  })
})

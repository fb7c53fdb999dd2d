import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startScaleway } from '../../../test/fixtures/service-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { scalewayOperations } from './scaleway'

const accessKey = `SCW${canary.alnum(17).toUpperCase()}`
const secretKey = randomUUID()
const project = '3f2a9c1e-5b7d-4e8f-a1c2-9d0e6b4f7a21'
let api: TokenApiFixture
let limited: TokenApiFixture

beforeAll(async () => {
  api = await startScaleway({ accessKey, secretKey, application: 'app-ci', projectId: project })
  limited = await startScaleway({ accessKey, secretKey, projectId: project, noIamRead: true })
})
afterAll(async () => {
  await Promise.all([api.close(), limited.close()])
})

const input = (secret: string, apiUrl = api.url, projectId = project): OperationInput => ({
  provider: 'scaleway',
  authMode: 'inline',
  config: { default_project_id: projectId, default_region: 'fr-par', api_url: apiUrl },
  secrets: { access_key: accessKey, secret_key: secret },
})

describe('scaleway verify', () => {
  it("reads the key's own IAM record with X-Auth-Token", async () => {
    const result = await scalewayOperations.verify(input(secretKey))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'application app-ci', details: { region: 'fr-par' } },
      expiresAt: '2031-01-10T09:00:00.000Z',
    })
    expect(result.notes).toBeUndefined()
    expect(api.paths.at(-1)).toBe(`/iam/v1alpha1/api-keys/${accessKey}`)
    expectNoSecrets(result, [secretKey])
  })

  it('notes a project other than the key’s preferred one', async () => {
    const other = '9b2c7e41-5a3d-4f8e-b1c6-0d4e8f2a6b13'
    const result = await scalewayOperations.verify(input(secretKey, api.url, other))
    expect(result.notes).toEqual([
      `The API key's preferred project is ${project}; this connection uses ${other}.`,
    ])
  })

  it('a wrong secret key is "Authentication failed"', async () => {
    const wrong = randomUUID()
    const result = await scalewayOperations.verify(input(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('authentication is denied')
    expectNoSecrets(result, [secretKey, wrong])
  })

  it('a valid key without IAM read access is healthy, with a warning', async () => {
    const result = await scalewayOperations.verify(input(secretKey, limited.url))
    expect(result.status).toBe('healthy')
    expect(result.identity?.label).toBe('Scaleway API key')
    expect(result.warnings?.[0]).toMatch(/do not allow reading IAM API keys/)
  })
})

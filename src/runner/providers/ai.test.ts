import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { startAnthropic, startOllama, startOpenAi } from '../../../test/fixtures/ai-apis'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { TestCa } from '../../../test/fixtures/test-ca'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { anthropicOperations } from './anthropic'
import { ollamaOperations } from './ollama'
import { openaiOperations } from './openai'

const openaiKey = `sk-proj-${canary.alnum(48)}`
const anthropicKey = `sk-ant-api03-${canary.alnum(95)}`
const proxyToken = canary.alnum(40)
let ca: TestCa
let openai: TokenApiFixture
let anthropic: TokenApiFixture
let ollama: TokenApiFixture
let guarded: TokenApiFixture

beforeAll(async () => {
  ca = await createTestCa()
  openai = await startOpenAi({
    key: openaiKey,
    organization: 'org-EXAMPLE7Kx2mQ9rT4vW1',
    project: 'proj_EXAMPLE3hN8pL5sD2fG6',
    tls: await ca.server(),
  })
  anthropic = await startAnthropic({
    key: anthropicKey,
    organization: '3f2a9c1e-5b7d-4e8f-a1c2-9d0e6b4f7a21',
  })
  ollama = await startOllama({ models: ['llama3.2:latest', 'qwen2.5-coder:7b'] })
  guarded = await startOllama({ models: [], token: proxyToken })
})
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close(), ollama.close(), guarded.close()])
})

const oa = (key: string, config: Record<string, string> = {}): OperationInput => ({
  provider: 'openai',
  authMode: 'inline',
  config: { api_url: `${openai.url}/v1`, ca_certificate: ca.cert, ...config },
  secrets: { api_key: key },
})

describe('openai verify', () => {
  it('lists the models with the key over https, naming the organization', async () => {
    const result = await openaiOperations.verify(
      oa(openaiKey, { project_id: 'proj_EXAMPLE3hN8pL5sD2fG6' }),
    )
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: 'org-EXAMPLE7Kx2mQ9rT4vW1',
        details: { models: '2', project: 'proj_EXAMPLE3hN8pL5sD2fG6' },
      },
    })
    expect(openai.paths.at(-1)).toBe('/v1/models')
    expectNoSecrets(result, [openaiKey])
  })

  it('a wrong key is "Authentication failed", without the part of it OpenAI repeats', async () => {
    const wrong = `sk-proj-${canary.alnum(48)}`
    const result = await openaiOperations.verify(oa(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toBe(
      'Authentication failed: OpenAI rejected the credentials (invalid_api_key).',
    )
    expect(JSON.stringify(result)).not.toContain(wrong.slice(-4))
    expectNoSecrets(result, [openaiKey, wrong])
  })

  it('an organization the key is not in is refused', async () => {
    const result = await openaiOperations.verify(
      oa(openaiKey, { organization_id: 'org-EXAMPLEotherOrg123' }),
    )
    expect(result.error?.message).toContain('mismatched_organization')
  })

  it('without the test CA the certificate is untrusted', async () => {
    const { ca_certificate: _ca, ...config } = oa(openaiKey).config
    const result = await openaiOperations.verify({ ...oa(openaiKey), config })
    expect(result.error?.class).toBe('untrusted-certificate')
  })
})

describe('anthropic verify', () => {
  const input = (key: string, apiUrl = anthropic.url): OperationInput => ({
    provider: 'anthropic',
    authMode: 'inline',
    config: { api_url: apiUrl },
    secrets: { api_key: key },
  })

  it('lists the models with x-api-key and the API version', async () => {
    const result = await anthropicOperations.verify(input(anthropicKey))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: 'organization 3f2a9c1e-5b7d-4e8f-a1c2-9d0e6b4f7a21',
        details: { models: '1' },
      },
    })
    expectNoSecrets(result, [anthropicKey])
  })

  it('a wrong key is "Authentication failed" with what Anthropic said', async () => {
    const wrong = `sk-ant-api03-${canary.alnum(95)}`
    const result = await anthropicOperations.verify(input(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('invalid x-api-key')
    expectNoSecrets(result, [anthropicKey, wrong])
  })

  it('an unreachable API fails fast', async () => {
    const result = await anthropicOperations.verify(
      input(anthropicKey, `http://127.0.0.1:${await closedPort()}`),
    )
    expect(result.error?.class).toBe('unreachable')
  })
})

describe('ollama verify', () => {
  const input = (baseUrl: string, token?: string): OperationInput => ({
    provider: 'ollama',
    authMode: 'inline',
    config: { base_url: baseUrl },
    secrets: token ? { api_key: token } : {},
  })

  it('lists the models of a server that asks for nothing', async () => {
    const result = await ollamaOperations.verify(input(ollama.url))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: ollama.url, details: { models: '2' } },
    })
    expect(ollama.paths.at(-1)).toBe('/api/tags')
  })

  it('sends the bearer token to a proxy that wants one, and notes an empty server', async () => {
    const result = await ollamaOperations.verify(input(guarded.url, proxyToken))
    expect(result.status).toBe('healthy')
    expect(result.notes).toEqual([
      'The server has no models yet: pull one with ollama pull <model>.',
    ])
    const without = await ollamaOperations.verify(input(guarded.url))
    expect(without.error?.class).toBe('authentication')
    expect(without.error?.remedy).toMatch(/add it as Bearer token/)
    const wrong = canary.alnum(40)
    const refused = await ollamaOperations.verify(input(guarded.url, wrong))
    expect(refused.error?.class).toBe('authentication')
    expectNoSecrets([result, without, refused], [proxyToken, wrong])
  })

  it('a server that is not running is unreachable', async () => {
    const result = await ollamaOperations.verify(input(`http://127.0.0.1:${await closedPort()}`))
    expect(result.error?.class).toBe('unreachable')
  })
})

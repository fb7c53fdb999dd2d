import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { inline } from './test-support'

describe('credentialsEnv: AI APIs -> their SDKs’ variables', () => {
  it('openai: the key, organization and project; a base URL only when overridden', async () => {
    const plan = await credentialsEnv(
      inline('openai', { organization_id: 'org-A', project_id: 'proj_B' }, { api_key: 'sk-K' }),
    )
    expect(plan.set).toEqual({
      OPENAI_API_KEY: 'sk-K',
      OPENAI_ORG_ID: 'org-A',
      OPENAI_PROJECT_ID: 'proj_B',
    })
    expect(plan.unset).toEqual(['OPENAI_BASE_URL'])
    const proxied = await credentialsEnv(
      inline('openai', { api_url: 'https://llm.example.com/v1' }, { api_key: 'sk-K' }),
    )
    expect(proxied.set.OPENAI_BASE_URL).toBe('https://llm.example.com/v1')
  })

  it('anthropic: the key, and a stray auth token removed', async () => {
    const plan = await credentialsEnv(inline('anthropic', {}, { api_key: 'sk-ant-K' }))
    expect(plan.set).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-K' })
    expect(plan.unset).toEqual(['ANTHROPIC_BASE_URL', 'ANTHROPIC_AUTH_TOKEN'])
  })

  it('ollama: the host, and the token when there is one', async () => {
    const plan = await credentialsEnv(inline('ollama', { base_url: 'http://gpu.lan:11434' }))
    expect(plan).toEqual({
      set: { OLLAMA_HOST: 'http://gpu.lan:11434' },
      unset: ['OLLAMA_API_KEY'],
      files: [],
    })
    const guarded = await credentialsEnv(
      inline('ollama', { base_url: 'https://ollama.example.com' }, { api_key: 'T' }),
    )
    expect(guarded.set).toEqual({ OLLAMA_HOST: 'https://ollama.example.com', OLLAMA_API_KEY: 'T' })
  })
})

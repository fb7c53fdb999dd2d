import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { inline } from './test-support'

describe('credentialsEnv: Git hosts -> standard variables', () => {
  it('github, gitlab: their tokens', async () => {
    expect(
      (
        await credentialsEnv(
          inline('github', { api_url: 'https://api.github.com' }, { token: 'ghp' }),
        )
      ).set,
    ).toEqual({ GITHUB_TOKEN: 'ghp', GH_TOKEN: 'ghp' })
    expect(
      (
        await credentialsEnv(
          inline('github', { api_url: 'https://ghe.example.com/api/v3' }, { token: 'ghp' }),
        )
      ).set,
    ).toEqual({
      GITHUB_TOKEN: 'ghp',
      GH_TOKEN: 'ghp',
      GH_HOST: 'ghe.example.com',
      GH_ENTERPRISE_TOKEN: 'ghp',
      GITHUB_API_URL: 'https://ghe.example.com/api/v3',
    })
    expect(
      (
        await credentialsEnv(
          inline('gitlab', { api_url: 'https://gitlab.com/api/v4' }, { token: 'glpat' }),
        )
      ).set,
    ).toEqual({ GITLAB_TOKEN: 'glpat' })
    expect(
      (
        await credentialsEnv(
          inline('gitlab', { api_url: 'https://git.example.com/api/v4' }, { token: 'glpat' }),
        )
      ).set,
    ).toEqual({
      GITLAB_TOKEN: 'glpat',
      GITLAB_HOST: 'https://git.example.com',
    })
  })
})

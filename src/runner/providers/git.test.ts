import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { TestCa } from '../../../test/fixtures/test-ca'
import { startGitHub, startGitLab } from '../../../test/fixtures/token-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { githubOperations } from './github'
import { gitlabOperations } from './gitlab'

const ghToken = `ghp_${canary.alnum(36)}`
const glToken = `glpat-${canary.alnum(24)}`
let ca: TestCa
let github: TokenApiFixture
let gitlab: TokenApiFixture

beforeAll(async () => {
  ca = await createTestCa()
  github = await startGitHub({
    token: ghToken,
    login: 'octocat',
    expiration: '2031-06-01 00:00:00 UTC',
    tls: await ca.server(),
  })
  gitlab = await startGitLab({ token: glToken, username: 'deploy-bot', expiresAt: '2031-12-31' })
})
afterAll(async () => {
  await github.close()
  await gitlab.close()
})

const gh = (token: string, config: Record<string, string> = {}): OperationInput => ({
  provider: 'github',
  authMode: 'inline',
  config: { api_url: `${github.url}/api/v3`, ca_certificate: ca.cert, ...config },
  secrets: { token },
})
const gl = (token: string, apiUrl = `${gitlab.url}/api/v4`): OperationInput => ({
  provider: 'gitlab',
  authMode: 'inline',
  config: { api_url: apiUrl },
  secrets: { token },
})

describe('github verify', () => {
  it('reads the user of the token, its scopes and expiry (Enterprise URL, private CA)', async () => {
    const result = await githubOperations.verify(gh(ghToken))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'octocat', details: { login: 'octocat', scopes: 'repo, read:org' } },
      expiresAt: '2031-06-01T00:00:00.000Z',
    })
    expectNoSecrets(result, [ghToken])
  })

  it('a wrong token is "Authentication failed: ... (Bad credentials)"', async () => {
    const wrong = `ghp_${canary.alnum(36)}`
    const result = await githubOperations.verify(gh(wrong))
    expect(result.error).toMatchObject({
      class: 'authentication',
      message: 'Authentication failed: GitHub rejected the credentials (Bad credentials).',
    })
    expectNoSecrets(result, [ghToken, wrong])
  })

  it('a token not authorized for SAML SSO is "Permission denied"', async () => {
    const sso = await startGitHub({ token: ghToken, login: 'octocat', ssoOrganization: 'acme' })
    try {
      const result = await githubOperations.verify(gh(ghToken, { api_url: `${sso.url}/api/v3` }))
      expect(result.error?.class).toBe('permission')
      expect(result.error?.remedy).toMatch(/Configure SSO/)
    } finally {
      await sso.close()
    }
  })

  it('without the CA it is untrusted; a closed port is unreachable', async () => {
    const untrusted = await githubOperations.verify(gh(ghToken, { ca_certificate: '' }))
    expect(untrusted.error?.class).toBe('untrusted-certificate')
    const port = await closedPort()
    const result = await githubOperations.verify(
      gh(ghToken, { api_url: `https://127.0.0.1:${port}/api/v3` }),
    )
    expect(result.error?.class).toBe('unreachable')
  })
})

describe('gitlab verify', () => {
  it('reads the user and the token record', async () => {
    const result = await gitlabOperations.verify(gl(glToken))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: 'deploy-bot',
        details: { bot: 'true', scopes: 'read_api read_repository' },
      },
      expiresAt: '2031-12-31T00:00:00.000Z',
    })
    expect(gitlab.paths.slice(-2)).toEqual(['/api/v4/user', '/api/v4/personal_access_tokens/self'])
    expectNoSecrets(result, [glToken])
  })

  it('a wrong token is "Authentication failed", an expired one "Credentials expired"', async () => {
    const wrong = `glpat-${canary.alnum(24)}`
    const bad = await gitlabOperations.verify(gl(wrong))
    expect(bad.error?.class).toBe('authentication')
    const old = await startGitLab({ token: glToken, username: 'deploy-bot', expired: true })
    try {
      const expired = await gitlabOperations.verify(gl(glToken, `${old.url}/api/v4`))
      expect(expired.error?.class).toBe('expired')
      expectNoSecrets([bad, expired], [glToken, wrong])
    } finally {
      await old.close()
    }
  })

  it('an unreachable server fails fast', async () => {
    const result = await gitlabOperations.verify(
      gl(glToken, `http://127.0.0.1:${await closedPort()}/api/v4`),
    )
    expect(result.error?.class).toBe('unreachable')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { fakeOpensshKey } from '../../../test/fixtures/provider-values'
import { startAzureDevOps, startGitServer } from '../../../test/fixtures/service-apis'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { TestCa } from '../../../test/fixtures/test-ca'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { azureDevopsOperations } from './azure-devops'
import { gitOperations } from './git'

const gitToken = canary.alnum(40)
const pat = canary.alnum(52)
let ca: TestCa
let server: TokenApiFixture
let devops: TokenApiFixture

beforeAll(async () => {
  ca = await createTestCa()
  server = await startGitServer({ username: 'deploy-bot', token: gitToken, tls: await ca.server() })
  devops = await startAzureDevOps({ pat, account: 'deploy@contoso.com' })
})
afterAll(async () => {
  await Promise.all([server.close(), devops.close()])
})

const overHttps = (token: string, path = '/team/app.git', user = 'deploy-bot'): OperationInput => ({
  provider: 'git',
  authMode: 'inline',
  config: {
    transport: 'https',
    repository_url: `${server.url}${path}`,
    username: user,
    ca_certificate: ca.cert,
  },
  secrets: { token },
})

describe('git server verify', () => {
  it('reads the smart-HTTP ref advertisement with the token', async () => {
    const result = await gitOperations.verify(overHttps(gitToken))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: `deploy-bot on ${server.url}`,
        details: { repository: '/team/app.git', branches: '2' },
      },
    })
    expect(server.paths.at(-1)).toBe('/team/app.git/info/refs')
    expectNoSecrets(result, [gitToken])
  })

  it('a wrong token or user is "Authentication failed"', async () => {
    const wrong = canary.alnum(40)
    const result = await gitOperations.verify(overHttps(wrong))
    expect(result.error?.class).toBe('authentication')
    const user = await gitOperations.verify(overHttps(gitToken, '/team/app.git', 'someone'))
    expect(user.error?.class).toBe('authentication')
    expectNoSecrets([result, user], [gitToken, wrong])
  })

  it('a missing repository, or a page that is no repository, is the wrong target', async () => {
    const missing = await gitOperations.verify(overHttps(gitToken, '/team/other.git'))
    expect(missing.error?.class).toBe('wrong-target')
    const page = await gitOperations.verify(overHttps(gitToken, '/docs'))
    expect(page.error?.message).toMatch(/not as a Git repository/)
  })

  it('says plainly that an SSH key is not checked by Verify', async () => {
    const result = await gitOperations.verify({
      provider: 'git',
      authMode: 'inline',
      config: { transport: 'ssh', ssh_url: 'git@git.example.com:team/app.git' },
      secrets: { private_key: fakeOpensshKey() },
    })
    expect(result.status).toBe('failing')
    expect(result.error?.class).toBe('unsupported')
    expect(result.error?.remedy).toMatch(/git ls-remote/)
  })
})

describe('azure devops verify', () => {
  const input = (token: string, path = '/contoso'): OperationInput => ({
    provider: 'azure-devops',
    authMode: 'inline',
    config: { organization_url: `${devops.url}${path}` },
    secrets: { pat: token },
  })

  it('names the user of the token from connectionData', async () => {
    const result = await azureDevopsOperations.verify(input(pat))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'deploy@contoso.com', details: { name: 'Deploy Bot' } },
    })
    expectNoSecrets(result, [pat])
  })

  it('a token it does not take (its 203 sign-in page) is "Authentication failed"', async () => {
    const wrong = canary.alnum(52)
    const result = await azureDevopsOperations.verify(input(wrong))
    expect(result.error?.class).toBe('authentication')
    expectNoSecrets(result, [pat, wrong])
  })

  it('an unknown organization is the wrong target', async () => {
    const result = await azureDevopsOperations.verify(input(pat, '/fabrikam'))
    expect(result.error?.class).toBe('wrong-target')
  })
})

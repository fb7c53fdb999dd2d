import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { expectNoSecrets } from '../../test/fixtures/canary'
import { startSsoFixture, type SsoFixture } from '../../test/fixtures/sso'

const START_URL = 'https://my-org.awsapps.com/start'
const printKey = ['--', process.execPath, '-e', 'console.log(process.env.AWS_ACCESS_KEY_ID)']

/**
 * `bridgekeep aws sso logout`: the loopback portal takes the Logout and refuses the token after
 * it; the sealed token and the cached role credentials are gone, so the connection says to sign
 * in again instead of handing out what was cached.
 */
describe.skipIf(!privateKeyring)('bridgekeep aws sso logout', SLOW, () => {
  let sso: SsoFixture
  let vault: Awaited<ReturnType<typeof cliVault>>
  const outputs: unknown[] = []
  const instance = () => [
    ...['--start-url', START_URL, '--region', 'eu-west-1'],
    ...['--oidc-endpoint', sso.oidc.url, '--portal-endpoint', sso.portal.url],
  ]
  const exec = () => vault.cli(['exec', 'prod-admin', '--env', 'staging', ...printKey])

  beforeAll(async () => {
    sso = await startSsoFixture({
      assignments: [{ accountId: '111111111111', accountName: 'prod', roles: ['Admin'] }],
    })
    vault = await cliVault()
    let approved = false
    const login = await vault.cli(['aws', 'sso', 'login', ...instance(), '--no-browser'], {
      started: (child) =>
        child.stdout!.on('data', (chunk: Buffer) => {
          if (!approved && chunk.toString().includes('confirm this code')) {
            approved = true
            sso.approve()
          }
        }),
    })
    expect(login.code, login.stderr).toBe(0)
    const add = await vault.cli(['aws', 'sso', 'add', ...instance(), '--all', '--env', 'staging'])
    expect(add.code, add.stderr).toBe(0)
    outputs.push(login, add)
  })
  afterAll(async () => {
    await sso?.close()
  })

  it('ends the session at the portal and forgets the token and the cached role credentials', async () => {
    const used = await exec()
    expect(used.code, used.stderr).toBe(0)
    const cache = () => readFileSync(join(vault.home, 'credential-cache.json'), 'utf8')
    expect(cache()).toContain('aws-sso/')
    const token = sso.issued.accessTokens.at(-1)!

    const result = await vault.cli(['aws', 'sso', 'logout'])
    outputs.push(used, result)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      `Signed out of ${START_URL} (eu-west-1): IAM Identity Center ended the session; the token and 1 cached role credential forgotten.\n`,
    )
    expect(sso.calls).toContain('Logout')
    expect(cache()).not.toContain('aws-sso/')
    // The portal refuses the token from now on, wherever a copy of it is.
    const after = await fetch(`${sso.portal.url}/assignment/accounts`, {
      headers: { 'x-amz-sso_bearer_token': token },
    })
    expect(after.status).toBe(401)

    const entries = vault.services.audit.query({
      filter: { actions: ['aws-sso.sign-out'] },
    }).entries
    expect(entries).toMatchObject([
      {
        outcome: 'success',
        targetType: 'aws-sso',
        targetName: START_URL,
        detail: `${START_URL} (eu-west-1). Signed out: IAM Identity Center ended the session. 1 cached role credential forgotten.`,
      },
    ])
  })

  it('using a connection afterwards says to sign in again; signing out twice says there is none', async () => {
    const calls = sso.calls.length
    const refused = await exec()
    outputs.push(refused)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('not signed in on this computer')
    expect(refused.stderr).toContain(
      `Sign in again: bridgekeep aws sso login --start-url ${START_URL} --region eu-west-1`,
    )
    expect(sso.calls.slice(calls)).not.toContain('GetRoleCredentials')

    const again = await vault.cli(['aws', 'sso', 'logout', '--start-url', START_URL])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('not signed in to IAM Identity Center on this computer')
  })

  it('never shows or audits a token or a role secret', () => {
    const { clientSecrets, accessTokens, refreshTokens, roleSecrets } = sso.issued
    const secrets = [...clientSecrets, ...accessTokens, ...refreshTokens, ...roleSecrets]
    expectNoSecrets(outputs, secrets)
    expectNoSecrets(vault.services.audit.query({ filter: {} }), secrets)
    expectNoSecrets(vault.log.lines, secrets)
  })
})

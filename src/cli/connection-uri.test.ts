import { beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import { environmentIds } from '../../test/services'
import { connectionTarget, connectionUri } from '../shared/connection-uri'

describe('connection:// URIs', () => {
  it('split into the connection and its environment, %-escapes decoded', () => {
    expect(connectionTarget('connection://staging/app-db', undefined)).toEqual({
      ref: 'app-db',
      env: 'staging',
    })
    expect(connectionTarget('connection://Pre%20prod/team%2Fdb', 'pre prod')).toEqual({
      ref: 'team/db',
      env: 'Pre prod',
    })
    expect(connectionTarget('app-db', 'staging')).toEqual({ ref: 'app-db', env: 'staging' })
    expect(connectionTarget(connectionUri('staging', 'app-db'), undefined)).toEqual({
      ref: 'app-db',
      env: 'staging',
    })
  })

  it.each([
    ['connection://staging', 'is not a connection URI'],
    ['connection:///app-db', 'is not a connection URI'],
    ['connection://staging/', 'is not a connection URI'],
    ['connection://staging/a/b', 'is not a connection URI'],
    ['connection://staging/%E0%A4%A', 'malformed %-escape'],
    ['connection://%20/app-db', 'empty or unprintable'],
    ['connection://staging/%07bell', 'empty or unprintable'],
  ])('refuses %s with what is wrong and how to write it', (uri, message) => {
    expect(() => connectionTarget(uri, undefined)).toThrow(message)
  })

  it('refuses an environment given twice that disagrees', () => {
    expect(() => connectionTarget('connection://staging/app-db', 'production')).toThrow(
      'contradicts',
    )
  })
})

describe.skipIf(!privateKeyring)('connection:// URIs in the CLI', SLOW, () => {
  const keyId = canary.awsKeyId()
  const secret = canary.awsSecret()
  let vault: Awaited<ReturnType<typeof cliVault>>

  beforeAll(async () => {
    vault = await cliVault()
    const { id } = vault.services.connections.create({
      name: 'prod-aws',
      provider: 'aws',
      authMode: 'inline',
      values: { access_key_id: keyId, secret_access_key: secret, default_region: 'eu-west-1' },
    })
    vault.services.authorizations.applyChanges({
      grants: [{ connectionId: id, environmentId: environmentIds(vault.services).staging! }],
    })
  })

  it('aws credential-process takes one in place of --env', async () => {
    const result = await vault.cli(['aws', 'credential-process', 'connection://staging/prod-aws'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1, AccessKeyId: keyId })
    const refused = await vault.cli([
      'aws',
      'credential-process',
      'connection://production/prod-aws',
    ])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('production')
    expectNoSecrets(refused.stderr, [secret])
    const neither = await vault.cli(['aws', 'credential-process', 'prod-aws'])
    expect(neither.code).toBe(2)
    expect(neither.stderr).toContain('--env is required (or name the connection as connection://')
  })

  it('show takes one, and says when its environment does not exist', async () => {
    const shown = await vault.cli(['show', 'connection://staging/prod-aws', '--json'])
    expect(shown.code).toBe(0)
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: 'prod-aws' })
    expectNoSecrets(shown.stdout, [secret])
    const typo = await vault.cli(['show', 'connection://stagin/prod-aws'])
    expect(typo.code).not.toBe(0)
    expect(typo.stderr).toContain('Environment stagin does not exist')
    const malformed = await vault.cli(['show', 'connection://staging'])
    expect(malformed.code).toBe(2)
    expect(malformed.stderr).toContain('is not a connection URI')
  })
})

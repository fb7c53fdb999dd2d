import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import { startSts, type StsFixture } from '../../test/fixtures/sts'
import { environmentIds } from '../../test/services'

/**
 * `bridgekeep verify` as a user runs it: a real process over a keychain vault, the runner's AWS
 * operation with the real SDK, against a local STS that checks SigV4 with the secret it knows.
 */
describe.skipIf(!privateKeyring)('bridgekeep verify', SLOW, () => {
  const key = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/cli-verify',
    userId: 'AIDAEXAMPLE000000009',
  }
  const wrong = canary.awsSecret()
  let sts: StsFixture
  let vault: Awaited<ReturnType<typeof cliVault>>
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    sts = await startSts({ identities: [key] })
    vault = await cliVault()
    const env = environmentIds(vault.services)
    const add = (name: string, secret: string, environments: string[]) => {
      const { id } = vault.services.connections.create({
        name,
        provider: 'aws',
        authMode: 'inline',
        values: {
          access_key_id: key.accessKeyId,
          secret_access_key: secret,
          default_region: 'eu-west-1',
          sts_endpoint: sts.url,
        },
      })
      if (environments.length)
        vault.services.authorizations.applyChanges({
          grants: environments.map((e) => ({ connectionId: id, environmentId: env[e]! })),
        })
      ids[name] = id
    }
    add('good-aws', key.secretAccessKey, ['staging', 'development'])
    add('broken-aws', wrong, ['development'])
    add('nowhere-aws', key.secretAccessKey, [])
  })
  afterAll(async () => sts?.close())

  it('verifies one connection: the identity, stored where the app shows it, and audited', async () => {
    const result = await vault.cli(['verify', 'good-aws'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^NAME\s+PROVIDER\s+STATUS\s+ENVIRONMENT\s+LATENCY\s+IDENTITY/)
    expect(result.stdout).toMatch(
      /good-aws\s+Amazon Web Services\s+healthy\s+development\s+\d+ ms\s+arn:aws:iam::123456789012:user\/cli-verify/,
    )
    // The app (another process over the same vault) sees the stored result.
    expect(vault.services.healthStatus.get(ids['good-aws']!)).toMatchObject({
      status: 'healthy',
      identity: { label: key.arn },
      environmentName: 'development',
    })
    expect(
      vault.services.audit
        .query({ limit: 5 })
        .entries.find((e) => e.action === 'connection.verify'),
    ).toMatchObject({ outcome: 'success', targetName: 'good-aws' })
  })

  it('--env resolves in that environment; one it is not authorized for is refused', async () => {
    const json = await vault.cli(['verify', 'good-aws', '--env', 'staging', '--json'])
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'good-aws', status: 'healthy', environmentName: 'staging' }),
    ])
    const refused = await vault.cli(['verify', 'good-aws', '--env', 'production'])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toMatch(/good-aws.*refused.*not authorized for environment production/)
  })

  it('takes connection:// URIs, each resolved in its own environment', async () => {
    const json = await vault.cli([
      'verify',
      'connection://staging/good-aws',
      'connection://development/broken-aws',
      '--json',
    ])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ name: 'good-aws', status: 'healthy', environmentName: 'staging' }),
      expect.objectContaining({ name: 'broken-aws', environmentName: 'development' }),
    ])
    const refused = await vault.cli(['verify', 'connection://production/good-aws', '--json'])
    expect(JSON.parse(refused.stdout)).toEqual([
      expect.objectContaining({
        status: 'refused',
        refused: expect.stringContaining('production'),
      }),
    ])
    const contradiction = await vault.cli([
      'verify',
      'connection://staging/good-aws',
      '--env',
      'production',
    ])
    expect(contradiction.code).toBe(2)
    expect(contradiction.stderr).toContain('contradicts the one in connection://staging/good-aws')
  })

  it('verifies everything: failing ones with the class and remedy, exit 1, no secret printed', async () => {
    const result = await vault.cli(['verify'])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/good-aws\s.*healthy/)
    expect(result.stdout).toMatch(/broken-aws\s.*failing.*Authentication failed: /)
    expect(result.stdout).toMatch(/nowhere-aws\s.*refused.*not authorized for any environment/)
    expect(result.stdout).toMatch(/\nbroken-aws: Authentication failed: .*\n {2}\S/)
    const json = await vault.cli(['verify', '--json'])
    const parsed = JSON.parse(json.stdout) as { name: string; status: string }[]
    expect(parsed.map((r) => [r.name, r.status]).sort()).toEqual([
      ['broken-aws', 'failing'],
      ['good-aws', 'healthy'],
      ['nowhere-aws', 'refused'],
    ])
    expectNoSecrets(
      [
        result,
        json,
        vault.services.audit.query({ limit: 100 }),
        vault.services.healthStatus.list(),
      ],
      [key.secretAccessKey, wrong],
    )
  })

  it('explains itself', async () => {
    const help = await vault.cli(['verify', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain(
      'bridgekeep verify [<conn> | connection://<env>/<conn>...] [options]',
    )
    expect(help.stdout).toContain('A verify is a use')
  })
})

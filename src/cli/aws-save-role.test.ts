import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { expectNoSecrets } from '../../test/fixtures/canary'
import type { FixtureStack } from '../../test/fixtures/cloudformation'
import { ROLE_ACCOUNT, startRoleStack, type RoleStack } from '../../test/fixtures/role-stack'

/**
 * `bridgekeep aws reconnect <conn> --stack-name | --role-arn`: the role read back from a loopback
 * CloudFormation (SigV4-checked DescribeStacks, stack states), assumed through a loopback STS
 * that checks the external ID and the trust policy, and saved only when that worked.
 */
describe.skipIf(!privateKeyring)('bridgekeep aws reconnect --stack-name / --role-arn', SLOW, () => {
  const stacks: FixtureStack[] = [
    {
      name: 'bridgekeep-access',
      account: ROLE_ACCOUNT,
      region: 'eu-west-1',
      status: 'CREATE_IN_PROGRESS',
    },
    { name: 'failed', account: ROLE_ACCOUNT, region: 'eu-west-1', status: 'ROLLBACK_COMPLETE' },
  ]
  const placeholder = `arn:aws:iam::${ROLE_ACCOUNT}:role/placeholder`
  let world: RoleStack
  let vault: Awaited<ReturnType<typeof cliVault>>
  let id: string
  const env = () => world.env()
  const roleNow = () => vault.services.connections.get(id).config.role_arn

  beforeAll(async () => {
    world = await startRoleStack(stacks)
    vault = await cliVault()
    id = vault.services.connections.create({
      name: 'platform',
      provider: 'aws',
      authMode: 'cross-account',
      values: {
        access_key_id: world.base.accessKeyId,
        secret_access_key: world.base.secretAccessKey,
        role_arn: placeholder,
        external_id: world.externalId,
        default_region: 'eu-west-1',
        sts_endpoint: world.sts.url,
      },
    }).id
  })
  afterAll(async () => {
    await world?.close()
  })

  it('a stack still being created, or rolled back, saves nothing and says why', async () => {
    const pending = await vault.cli(
      ['aws', 'reconnect', 'platform', '--stack-name', 'bridgekeep-access'],
      { env: env() },
    )
    expect(pending.code).toBe(1)
    expect(pending.stdout).toMatch(/Saved\s+no: nothing was changed/)
    expect(pending.stdout).toContain(
      'stack bridgekeep-access is not finished yet (CREATE_IN_PROGRESS)',
    )
    expect(pending.stdout).toContain('CREATE_COMPLETE')
    // Read with the connection's own key, in its region.
    expect(world.cloudFormation.calls.at(-1)).toEqual({
      action: 'DescribeStacks',
      accessKeyId: world.base.accessKeyId,
      stackName: 'bridgekeep-access',
    })

    const failed = await vault.cli(['aws', 'reconnect', 'platform', '--stack-name', 'failed'], {
      env: env(),
    })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('did not create the role (ROLLBACK_COMPLETE)')

    const missing = await vault.cli(
      ['aws', 'reconnect', 'platform', '--stack-name', 'nope', '--json'],
      { env: env() },
    )
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout)).toMatchObject({
      saved: false,
      problem: { message: expect.stringContaining('there is no stack nope in eu-west-1') },
    })
    expect(roleNow()).toBe(placeholder)
    expectNoSecrets([pending, failed, missing], [world.base.secretAccessKey])
  })

  it('a complete stack: reads the RoleArn output, assumes it with the external ID, saves it', async () => {
    stacks[0]!.status = 'CREATE_COMPLETE'
    stacks[0]!.outputs = { RoleArn: world.trusting }
    const result = await vault.cli(
      ['aws', 'reconnect', 'platform', '--stack-name', 'bridgekeep-access'],
      { env: env() },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`Role\\s+${world.trusting}`))
    expect(result.stdout).toMatch(/Stack\s+bridgekeep-access \(CREATE_COMPLETE\)/)
    expect(result.stdout).toMatch(
      /Assumed as\s+arn:aws:sts::111122223333:assumed-role\/bridgekeep-access\//,
    )
    expect(roleNow()).toBe(world.trusting)
    expect(world.sts.calls.some((call) => call.action === 'AssumeRole')).toBe(true)
    const update = vault.services.audit
      .query({ limit: 5 })
      .entries.find((entry) => entry.action === 'connection.update')
    expect(update).toBeDefined()
    const session = world.sts.issued.at(-1)!
    expectNoSecrets(
      [result, vault.services.audit.query({ limit: 50 })],
      [world.base.secretAccessKey, session.secretAccessKey, session.sessionToken!],
    )
  })

  it('a role that does not trust the connection: not saved unless --save-anyway', async () => {
    const refused = await vault.cli([
      'aws',
      'reconnect',
      'platform',
      '--role-arn',
      world.distrusting,
    ])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('the role could not be assumed')
    expect(refused.stdout).toContain('trust policy allows the base identity')
    expect(refused.stdout).toContain(`--role-arn ${world.distrusting} --save-anyway`)
    expect(roleNow()).toBe(world.trusting)

    const anyway = await vault.cli([
      'aws',
      'reconnect',
      'platform',
      '--role-arn',
      world.distrusting,
      '--save-anyway',
    ])
    expect(anyway.code).toBe(0)
    expect(anyway.stdout).toMatch(/Saved\s+yes/)
    expect(anyway.stdout).toContain('the role could not be assumed')
    expect(roleNow()).toBe(world.distrusting)
  })

  it('refuses mixed or malformed flags before touching anything', async () => {
    const both = await vault.cli([
      'aws',
      'reconnect',
      'platform',
      '--role-arn',
      world.trusting,
      '--capabilities',
      'eks',
    ])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('give either --stack-name or --role-arn')
    const bad = await vault.cli(['aws', 'reconnect', 'platform', '--stack-name', '9lives'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('a stack name starts with a letter')
  })
})

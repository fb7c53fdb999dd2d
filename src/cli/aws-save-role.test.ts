import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import {
  startCloudFormation,
  type CloudFormationFixture,
  type FixtureStack,
} from '../../test/fixtures/cloudformation'
import { startSts, type StsFixture, type StsIdentity } from '../../test/fixtures/sts'

/**
 * `bridgekeep aws reconnect <conn> --stack-name | --role-arn`: the role read back from a loopback
 * CloudFormation (SigV4-checked DescribeStacks, stack states), assumed through a loopback STS
 * that checks the external ID and the trust policy, and saved only when that worked.
 */
describe.skipIf(!privateKeyring)('bridgekeep aws reconnect --stack-name / --role-arn', SLOW, () => {
  const base: StsIdentity = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/bridgekeep',
    userId: 'AIDAEXAMPLE000000020',
  }
  const externalId = `bk-${canary.alnum(20)}`
  const trusting = 'arn:aws:iam::111122223333:role/bridgekeep-access'
  const distrusting = 'arn:aws:iam::111122223333:role/other-team'
  const placeholder = 'arn:aws:iam::111122223333:role/placeholder'
  const stacks: FixtureStack[] = [
    {
      name: 'bridgekeep-access',
      account: base.account,
      region: 'eu-west-1',
      status: 'CREATE_IN_PROGRESS',
    },
    {
      name: 'failed',
      account: base.account,
      region: 'eu-west-1',
      status: 'ROLLBACK_COMPLETE',
    },
  ]
  let sts: StsFixture
  let cloudFormation: CloudFormationFixture
  let vault: Awaited<ReturnType<typeof cliVault>>
  let id: string
  const env = () => ({ AWS_ENDPOINT_URL_CLOUDFORMATION: cloudFormation.url })
  const roleNow = () => vault.services.connections.get(id).config.role_arn

  beforeAll(async () => {
    sts = await startSts({
      identities: [base],
      roles: [
        { arn: trusting, externalId, trusted: [base.arn] },
        { arn: distrusting, externalId, trusted: ['arn:aws:iam::999999999999:root'] },
      ],
    })
    cloudFormation = await startCloudFormation({ identities: sts.identities, stacks })
    vault = await cliVault()
    id = vault.services.connections.create({
      name: 'platform',
      provider: 'aws',
      authMode: 'cross-account',
      values: {
        access_key_id: base.accessKeyId,
        secret_access_key: base.secretAccessKey,
        role_arn: placeholder,
        external_id: externalId,
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
      },
    }).id
  })
  afterAll(async () => {
    await cloudFormation?.close()
    await sts?.close()
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
    expect(cloudFormation.calls.at(-1)).toEqual({
      action: 'DescribeStacks',
      accessKeyId: base.accessKeyId,
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
    expectNoSecrets([pending, failed, missing], [base.secretAccessKey])
  })

  it('a complete stack: reads the RoleArn output, assumes it with the external ID, saves it', async () => {
    stacks[0]!.status = 'CREATE_COMPLETE'
    stacks[0]!.outputs = { RoleArn: trusting }
    const result = await vault.cli(
      ['aws', 'reconnect', 'platform', '--stack-name', 'bridgekeep-access'],
      { env: env() },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`Role\\s+${trusting}`))
    expect(result.stdout).toMatch(/Stack\s+bridgekeep-access \(CREATE_COMPLETE\)/)
    expect(result.stdout).toMatch(
      /Assumed as\s+arn:aws:sts::111122223333:assumed-role\/bridgekeep-access\//,
    )
    expect(roleNow()).toBe(trusting)
    expect(sts.calls.some((call) => call.action === 'AssumeRole')).toBe(true)
    const update = vault.services.audit
      .query({ limit: 5 })
      .entries.find((entry) => entry.action === 'connection.update')
    expect(update).toBeDefined()
    const session = sts.issued.at(-1)!
    expectNoSecrets(
      [result, vault.services.audit.query({ limit: 50 })],
      [base.secretAccessKey, session.secretAccessKey, session.sessionToken!],
    )
  })

  it('a role that does not trust the connection: not saved unless --save-anyway', async () => {
    const refused = await vault.cli(['aws', 'reconnect', 'platform', '--role-arn', distrusting])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('the role could not be assumed')
    expect(refused.stdout).toContain('trust policy allows the base identity')
    expect(refused.stdout).toContain(`--role-arn ${distrusting} --save-anyway`)
    expect(roleNow()).toBe(trusting)

    const anyway = await vault.cli([
      'aws',
      'reconnect',
      'platform',
      '--role-arn',
      distrusting,
      '--save-anyway',
    ])
    expect(anyway.code).toBe(0)
    expect(anyway.stdout).toMatch(/Saved\s+yes/)
    expect(anyway.stdout).toContain('the role could not be assumed')
    expect(roleNow()).toBe(distrusting)
  })

  it('refuses mixed or malformed flags before touching anything', async () => {
    const both = await vault.cli([
      'aws',
      'reconnect',
      'platform',
      '--role-arn',
      trusting,
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

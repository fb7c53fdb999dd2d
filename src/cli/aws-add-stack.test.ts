import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { expectNoSecrets } from '../../test/fixtures/canary'
import type { FixtureStack } from '../../test/fixtures/cloudformation'
import { ROLE_ACCOUNT, startRoleStack, type RoleStack } from '../../test/fixtures/role-stack'

/**
 * `bridgekeep add aws --auth-mode cross-account --stack-name <stack>`: the new connection's role
 * read from a loopback CloudFormation and assumed through a loopback STS (external ID, trust
 * policy) before anything is saved, as `aws reconnect --stack-name` does for a saved one.
 */
describe.skipIf(!privateKeyring)('bridgekeep add aws --stack-name', SLOW, () => {
  const stacks: FixtureStack[] = [
    { name: 'pending', account: ROLE_ACCOUNT, region: 'eu-west-1', status: 'CREATE_IN_PROGRESS' },
    {
      name: 'bridgekeep-access',
      account: ROLE_ACCOUNT,
      region: 'eu-west-1',
      status: 'CREATE_COMPLETE',
      outputs: { RoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/bridgekeep-access` },
    },
    {
      name: 'other-team',
      account: ROLE_ACCOUNT,
      region: 'eu-west-1',
      status: 'CREATE_COMPLETE',
      outputs: { RoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/other-team` },
    },
  ]
  let world: RoleStack
  let vault: Awaited<ReturnType<typeof cliVault>>
  const env = () => world.env()
  const add = (name: string, ...more: string[]) =>
    vault.cli(
      [
        ...['add', 'aws', '--name', name, '--auth-mode', 'cross-account'],
        ...['--field', `access_key_id=@${keyIdFile}`, '--field', 'secret_access_key=@-'],
        ...['--field', `external_id=${world.externalId}`, '--field', 'default_region=eu-west-1'],
        ...['--field', `sts_endpoint=${world.sts.url}`, ...more],
      ],
      { env: env(), input: world.base.secretAccessKey },
    )
  let keyIdFile: string
  const names = () => vault.services.connections.list().map((connection) => connection.name)

  beforeAll(async () => {
    world = await startRoleStack(stacks)
    vault = await cliVault()
    keyIdFile = join(vault.home, 'key-id')
    writeFileSync(keyIdFile, world.base.accessKeyId)
  })
  afterAll(async () => {
    await world?.close()
  })

  it('a stack that cannot be read adds nothing, and says why', async () => {
    const pending = await add('pending', '--stack-name', 'pending')
    expect(pending.code).toBe(1)
    expect(pending.stdout).toContain('stack pending is not finished yet (CREATE_IN_PROGRESS)')
    expect(pending.stdout).toMatch(/Saved\s+no: nothing was added/)
    // Read with the form's own key, before any connection exists.
    expect(world.cloudFormation.calls.at(-1)).toEqual({
      action: 'DescribeStacks',
      accessKeyId: world.base.accessKeyId,
      stackName: 'pending',
    })

    const missing = await add('missing', '--stack-name', 'nope', '--json')
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout)).toMatchObject({
      saved: false,
      problem: { message: expect.stringContaining('there is no stack nope in eu-west-1') },
    })
    expect(names()).toEqual([])
    expect(vault.services.audit.query({ limit: 20 }).entries).not.toContainEqual(
      expect.objectContaining({ action: 'connection.create' }),
    )
    expectNoSecrets([pending, missing], [world.base.secretAccessKey])
  })

  it('a complete stack: reads RoleArn, assumes it, then adds the connection with it', async () => {
    const assumed = world.sts.calls.filter((call) => call.action === 'AssumeRole').length
    const result = await add('platform', '--stack-name', 'bridgekeep-access')
    expect(result.stderr).toContain('Authorize it for an environment')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`Role\\s+${world.trusting}`))
    expect(result.stdout).toMatch(/Stack\s+bridgekeep-access \(CREATE_COMPLETE\)/)
    expect(result.stdout).toMatch(/Assumed as\s+arn:aws:sts::111122223333:assumed-role\//)
    expect(result.stdout).toContain('Added platform (aws, cross-account) as platform.')
    expect(world.sts.calls.filter((call) => call.action === 'AssumeRole').length).toBe(assumed + 1)
    const saved = vault.services.connections.get(
      vault.services.connections.findByRef('platform').id,
    )
    expect(saved.config.role_arn).toBe(world.trusting)
    expect(saved.config.external_id).toBe(world.externalId)
    const session = world.sts.issued.at(-1)!
    expectNoSecrets(
      [result, vault.services.audit.query({ limit: 50 })],
      [world.base.secretAccessKey, session.secretAccessKey, session.sessionToken!],
    )
  })

  it('a role that does not trust the base identity: added only with --save-anyway', async () => {
    const refused = await add('other', '--stack-name', 'other-team')
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('the role could not be assumed')
    expect(refused.stdout).toContain('with --save-anyway')
    expect(names()).not.toContain('other')

    const anyway = await add('other', '--stack-name', 'other-team', '--save-anyway', '--json')
    expect(anyway.code, anyway.stderr).toBe(0)
    const answer = JSON.parse(anyway.stdout) as {
      name: string
      config: Record<string, string>
      roleCheck: { saved: boolean; problem?: { message: string } }
    }
    expect(answer.config.role_arn).toBe(world.distrusting)
    expect(answer.roleCheck.saved).toBe(true)
    expect(answer.roleCheck.problem?.message).toContain('the role could not be assumed')
  })

  it('refuses what does not go with --stack-name before asking AWS', async () => {
    const calls = world.cloudFormation.calls.length
    const inline = await vault.cli(
      ['add', 'aws', '--name', 'x', '--stack-name', 'bridgekeep-access'],
      { env: env() },
    )
    expect(inline.code).toBe(2)
    expect(inline.stderr).toContain(
      '--stack-name does not apply to auth mode inline (Stored credentials): Role ARN is used only in cross-account.',
    )
    expect(inline.stderr).toContain('--auth-mode cross-account')
    const twice = await add(
      'x',
      '--stack-name',
      'bridgekeep-access',
      '--field',
      `role_arn=${world.trusting}`,
    )
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('give the role once')
    const alone = await add('x', '--save-anyway')
    expect(alone.code).toBe(2)
    expect(alone.stderr).toContain('--save-anyway goes with --stack-name')
    const badName = await add('x', '--stack-name', '9lives')
    expect(badName.code).toBe(2)
    expect(badName.stderr).toContain('a stack name starts with a letter')
    // An invalid form is refused as add refuses it, before the stack is read.
    const noExternalId = await vault.cli(
      [
        ...['add', 'aws', '--name', 'x', '--auth-mode', 'cross-account'],
        ...['--field', 'default_region=eu-west-1', '--stack-name', 'bridgekeep-access'],
      ],
      { env: env() },
    )
    expect(noExternalId.code).toBe(1)
    expect(noExternalId.stderr).toContain('External ID: required')
    expect(world.cloudFormation.calls.length).toBe(calls)
    expect(names()).not.toContain('x')
  })
})

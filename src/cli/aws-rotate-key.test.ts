import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import { startIam, type IamFixture, type IamUser } from '../../test/fixtures/iam'
import { startSts, type StsFixture, type StsIdentity } from '../../test/fixtures/sts'
import { unlockedServices } from '../../test/services'

/**
 * `bridgekeep aws rotate-key` as a user runs it: a real process over a keychain vault, the
 * runner's AWS operations in that process with the real SDKs, against loopback IAM and STS that
 * check SigV4; the connection has a live share, so the re-send is suggested.
 */
describe.skipIf(!privateKeyring)('bridgekeep aws rotate-key', SLOW, () => {
  const old: StsIdentity = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/deploy',
    userId: 'AIDAEXAMPLE000000010',
  }
  const user: IamUser = {
    userName: 'deploy',
    account: old.account,
    userId: old.userId,
    keys: [old],
  }
  let sts: StsFixture
  let iam: IamFixture
  let vault: Awaited<ReturnType<typeof cliVault>>

  beforeAll(async () => {
    sts = await startSts({ identities: [old] })
    iam = await startIam({ users: [user], sts, propagationMs: 300 })
    vault = await cliVault()
    const { id } = vault.services.connections.create({
      name: 'prod-aws',
      provider: 'aws',
      authMode: 'inline',
      values: {
        access_key_id: old.accessKeyId,
        secret_access_key: old.secretAccessKey,
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
        iam_endpoint: iam.url,
      },
    })
    const bob = await unlockedServices()
    await vault.services.sharing.setName({ name: 'Alice' })
    const contact = await vault.services.sharing.addContact({
      name: 'Bob',
      address: (await bob.services.sharing.identity()).address,
    })
    await vault.services.sharing.export({
      connectionIds: [id],
      to: { kind: 'contacts', contactIds: [contact.id] },
      environments: ['staging'],
      useOnly: false,
    })
  })
  afterAll(async () => {
    await iam?.close()
    await sts?.close()
  })

  it('rotates the key in IAM, says what it did, and suggests the re-send', async () => {
    const result = await vault.cli(['aws', 'rotate-key', 'prod-aws'])
    expect(result.stderr).not.toMatch(/error/i)
    expect(result.code).toBe(0)
    const created = user.keys[1]!
    expect(result.stdout).toMatch(/IAM user\s+deploy/)
    expect(result.stdout).toContain(`${created.accessKeyId} (secret version 2)`)
    expect(result.stdout).toContain(`${old.accessKeyId}: inactive (not deleted)`)
    expect(result.stdout).toContain('bridgekeep share resend prod-aws')
    expect(old.inactive).toBe(true)
    expectNoSecrets(result, [old.secretAccessKey, created.secretAccessKey])

    // A second rotation is refused by IAM's limit (the inactive key still counts): nothing changes.
    const again = await vault.cli(['aws', 'rotate-key', 'prod-aws'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already has two access keys')
    expect(again.stderr).toContain('aws iam create-access-key --user-name')
    expect(user.keys).toHaveLength(2)
    expect(
      vault.services.connections.storedSecrets(vault.services.connections.findByRef('prod-aws').id)
        .version,
    ).toBe(2)
    expectNoSecrets(again, [old.secretAccessKey, created.secretAccessKey])
  })
})

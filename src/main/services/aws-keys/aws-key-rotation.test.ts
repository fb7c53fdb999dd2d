import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { accessKeyId, startIam, type IamUser } from '../../../../test/fixtures/iam'
import { startSts, type StsIdentity } from '../../../../test/fixtures/sts'
import { fastTimings, sourceRunnerLauncher, waitFor } from '../../../../test/runner'
import { unlockedServices } from '../../../../test/services'
import { isBridgekeepError } from '../../../shared/errors'
import { AwsKeyRotationService } from './aws-key-rotation'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const ACCOUNT = '123456789012'

function userKey(): StsIdentity {
  return {
    accessKeyId: accessKeyId(),
    secretAccessKey: randomBytes(30).toString('base64'),
    account: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:user/ci`,
    userId: 'AIDAEXAMPLE000000001',
  }
}

/**
 * The app's runner process against a loopback IAM and STS that check SigV4 with the keys they
 * hold: a new key only works at STS a moment after IAM created it, as with real IAM.
 */
async function setUp(user: Omit<IamUser, 'userName' | 'account' | 'userId'>) {
  const current = user.keys[0]!
  const sts = await startSts({ identities: [...user.keys] })
  cleanup.push(() => sts.close())
  const iamUser: IamUser = { userName: 'ci', account: ACCOUNT, userId: current.userId, ...user }
  const iam = await startIam({ users: [iamUser], sts, propagationMs: 600 })
  cleanup.push(() => iam.close())
  const { services, log } = await unlockedServices({
    runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
  })
  cleanup.push(() => services.runner.shutdown())
  await services.runner.start()
  await waitFor(() => services.runner.status().state === 'ready', 'the local runner')
  const connection = services.connections.create({
    name: 'CI deploy',
    provider: 'aws',
    authMode: 'inline',
    values: {
      access_key_id: current.accessKeyId,
      secret_access_key: current.secretAccessKey,
      default_region: 'eu-west-1',
      sts_endpoint: sts.url,
      iam_endpoint: iam.url,
    },
  })
  const rotation = new AwsKeyRotationService({
    connections: services.connections,
    runner: services.runner,
    log,
    verifyWithinMs: 15_000,
    retryEveryMs: 200,
  })
  /** Everything a secret must never reach: logs, the runner's log, the audit trail. */
  const everythingSaid = () =>
    JSON.stringify([
      log.lines,
      services.runner.logs({ limit: 1000 }),
      services.audit.export({ format: 'jsonl' }),
    ])
  return { services, sts, iam, iamUser, connection, rotation, everythingSaid }
}

async function refusal(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isBridgekeepError(error)) throw new Error(`expected a refusal, got ${String(error)}`)
  return error
}

describe('rotating an AWS access key through the runner process', () => {
  it('creates the next key, stores and verifies it, then deactivates the old one', async () => {
    const old = userKey()
    const { services, sts, iam, iamUser, connection, rotation, everythingSaid } = await setUp({
      keys: [old],
    })
    const done = await rotation.rotate(connection.id)

    const created = iamUser.keys[1]!
    expect(done).toMatchObject({
      userName: 'ci',
      oldAccessKeyId: old.accessKeyId,
      newAccessKeyId: created.accessKeyId,
      secretVersion: connection.secretVersion + 1,
      verified: true,
      oldKeyDeactivated: true,
    })
    // The connection now holds the new key as its next version; the old key is inactive.
    expect(services.connections.storedSecrets(connection.id)).toMatchObject({
      version: connection.secretVersion + 1,
      secrets: { access_key_id: created.accessKeyId, secret_access_key: created.secretAccessKey },
    })
    expect(old.inactive).toBe(true)
    expect(created.inactive).toBeFalsy()
    // The verify that proves the new key also simulates its permissions: not part of the rotation.
    const rotationCalls = iam.calls.filter((c) => c.action !== 'SimulatePrincipalPolicy')
    expect(rotationCalls.map((c) => [c.action, c.accessKeyId === old.accessKeyId])).toEqual([
      ['GetUser', true],
      ['CreateAccessKey', true],
      ['GetUser', true],
      ['UpdateAccessKey', true],
    ])
    // The new key was proved at STS (after IAM's delay) before the old one was switched off.
    expect(sts.calls.at(-1)).toEqual({
      action: 'GetCallerIdentity',
      accessKeyId: created.accessKeyId,
    })
    // The ordinary rotate path: its audit entry, and no secret anywhere.
    expect(
      services.audit.query({ filter: { actions: ['connection.rotate'] } }).entries,
    ).toHaveLength(1)
    const said = everythingSaid()
    for (const secret of [old.secretAccessKey, created.secretAccessKey])
      expect(said).not.toContain(secret)
  })

  it('changes nothing when IAM refuses, and says how to do it by hand', async () => {
    const old = userKey()
    const { services, iamUser, connection, rotation, everythingSaid } = await setUp({
      keys: [old],
      allowed: ['GetUser'],
    })
    const error = await refusal(rotation.rotate(connection.id))
    expect(error.message).toMatch(/Permission denied: the key may not create an access key/)
    expect(error.message).toMatch(/Nothing was changed\.$/)
    // The key's own identity (GetCallerIdentity) names its user: the steps are ready to paste.
    expect(error.hint).toContain('aws iam create-access-key --user-name ci ')
    expect(error.hint).toContain(
      `aws iam update-access-key --user-name ci --access-key-id ${old.accessKeyId} --status Inactive`,
    )
    expect(error.hint).toContain('https://console.aws.amazon.com/iam/home#/users/details/ci?')
    expect(error.hint).not.toContain('<user>')
    expect(iamUser.keys).toHaveLength(1)
    expect(old.inactive).toBeFalsy()
    expect(services.connections.storedSecrets(connection.id).version).toBe(connection.secretVersion)
    expect(everythingSaid() + JSON.stringify(error)).not.toContain(old.secretAccessKey)
  })

  it('says so when it cannot tell whose key it is', async () => {
    const old = userKey()
    const { sts, connection, rotation } = await setUp({ keys: [old], allowed: ['GetUser'] })
    sts.identities.splice(0) // STS no longer knows the key: GetCallerIdentity fails too
    const error = await refusal(rotation.rotate(connection.id))
    expect(error.hint).toContain('aws iam create-access-key --user-name <user>')
    expect(error.hint).toContain(
      `(Bridgekeep could not tell which IAM user the key belongs to: put that user's name for <user>; IAM → Users lists each user's access key IDs, ${old.accessKeyId} among them.)`,
    )
  })

  it('explains that the user already has two keys (LimitExceeded)', async () => {
    const old = userKey()
    const other = userKey()
    const { services, iamUser, connection, rotation } = await setUp({ keys: [old, other] })
    const error = await refusal(rotation.rotate(connection.id))
    expect(error.message).toMatch(/already has two access keys/)
    expect(error.hint).toMatch(/Delete the access key that is not in use/)
    expect(iamUser.keys).toHaveLength(2)
    expect(services.connections.storedSecrets(connection.id).version).toBe(connection.secretVersion)
  })
})

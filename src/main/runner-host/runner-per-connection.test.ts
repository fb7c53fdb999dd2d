import { afterEach, describe, expect, it } from 'vitest'
import { canary } from '../../../test/fixtures/canary'
import { startSts, type StsIdentity } from '../../../test/fixtures/sts'
import {
  fastTimings,
  sourceRunnerLauncher,
  startRunnerByHand,
  waitFor,
  writeEnrollmentFile,
} from '../../../test/runner'
import { environmentIds, unlockedServices } from '../../../test/services'
import { RUNNER_CONNECT_WAIT_MS } from './runner-routing'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const identity = (n: number): StsIdentity => ({
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  account: '12345678901' + n,
  arn: `arn:aws:iam::12345678901${n}:role/runner-${n}`,
  userId: `AROAEXAMPLE00000000${n}`,
})

/**
 * Two remote runners with different ambient AWS identities (their own environment variables),
 * the local runner, and a local STS that knows all three: which identity a runner-delegated
 * verify proves is which runner ran it.
 */
async function world() {
  const [eu, us, local] = [identity(1), identity(2), identity(3)]
  const sts = await startSts({ identities: [eu, us, local] })
  cleanup.push(() => sts.close())
  const { services } = await unlockedServices({
    runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
  })
  cleanup.push(() => services.runner.shutdown())
  const env = environmentIds(services)
  const ambient = (who: StsIdentity) => ({
    AWS_ACCESS_KEY_ID: who.accessKeyId,
    AWS_SECRET_ACCESS_KEY: who.secretAccessKey,
  })
  const startRunner = (content: string, who: StsIdentity) => {
    const child = startRunnerByHand(['--credentials', writeEnrollmentFile(content)], ambient(who))
    cleanup.push(() => child.kill('SIGKILL'))
    return child
  }
  const addDelegated = (name: string, runner?: string) => {
    const created = services.connections.create({
      name,
      provider: 'aws',
      authMode: 'runner-delegated',
      values: {
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
        ...(runner === undefined ? {} : { runner }),
      },
    })
    services.authorizations.applyChanges({
      grants: [{ connectionId: created.id, environmentId: env.development! }],
    })
    return created.id
  }
  return { services, eu, us, local, ambient, startRunner, addDelegated }
}

describe('the runner a connection names (real runner processes, real mutual TLS, loopback STS)', () => {
  it('sends the verify to that runner only, and records which runner checked', async () => {
    const w = await world()
    const euFile = await w.services.runner.generateCredentials({ name: 'build-eu' })
    const usFile = await w.services.runner.generateCredentials({ name: 'build-us' })
    w.startRunner(euFile.content, w.eu)
    w.startRunner(usFile.content, w.us)
    const connected = (name: string) =>
      w.services.runner.runners().find((r) => r.name === name && r.connected)
    await waitFor(() => connected('build-eu') && connected('build-us'), 'both runners')

    const onUs = w.addDelegated('On US', 'build-us')
    const onEu = w.addDelegated('On EU', 'build-eu')
    expect(await w.services.health.verify({ connectionId: onUs })).toMatchObject({
      status: 'healthy',
      identity: { label: w.us.arn },
      checkedBy: 'build-us',
    })
    expect(await w.services.health.verify({ connectionId: onEu })).toMatchObject({
      status: 'healthy',
      identity: { label: w.eu.arn },
      checkedBy: 'build-eu',
    })
    expect(
      w.services.runner.runners().find((r) => r.name === 'build-us')?.operationsPerMinute,
    ).toBe(1)
  })

  it('an empty Runner field is the local runner, even with remote runners connected', async () => {
    const w = await world()
    const eu = await w.services.runner.generateCredentials({ name: 'build-eu' })
    w.startRunner(eu.content, w.eu)
    await waitFor(
      () => w.services.runner.runners().find((r) => r.name === 'build-eu' && r.connected),
      'build-eu',
    )
    const id = w.addDelegated('Default runner')
    // The local runner is the app's child: it inherits the app's (this test's) environment.
    Object.assign(process.env, w.ambient(w.local))
    cleanup.push(() => {
      delete process.env.AWS_ACCESS_KEY_ID
      delete process.env.AWS_SECRET_ACCESS_KEY
    })
    expect(await w.services.health.verify({ connectionId: id })).toMatchObject({
      status: 'healthy',
      identity: { label: w.local.arn },
      checkedBy: 'local',
    })
  })

  it('fails after a bounded wait when the runner is not connected, naming when it was last seen', async () => {
    const w = await world()
    const eu = await w.services.runner.generateCredentials({ name: 'build-eu' })
    const id = w.addDelegated('On EU', 'build-eu')
    const started = Date.now()
    await expect(w.services.health.verify({ connectionId: id })).rejects.toMatchObject({
      code: 'RUNNER_UNAVAILABLE',
      message: 'Runner build-eu is not connected (never connected).',
    })
    const waited = Date.now() - started
    expect(waited).toBeGreaterThanOrEqual(RUNNER_CONNECT_WAIT_MS - 50)
    expect(waited).toBeLessThan(RUNNER_CONNECT_WAIT_MS + 3000)

    // A runner that connects during the wait is used.
    const late = w.services.health.verify({ connectionId: id })
    const runner = w.startRunner(eu.content, w.eu)
    expect(await late).toMatchObject({ status: 'healthy', checkedBy: 'build-eu' })

    runner.kill('SIGTERM')
    await runner.exit
    await expect(w.services.health.verify({ connectionId: id })).rejects.toMatchObject({
      message: expect.stringMatching(
        /^Runner build-eu is not connected \(last seen \d{4}-\d\d-\d\dT[\d:.]+Z\)\.$/,
      ),
    })
  }, 60_000)

  it('refuses an unknown runner on create and edit, and a deleted one names the fix', async () => {
    const w = await world()
    expect(() => w.addDelegated('Nowhere', 'build-xx')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        issues: [
          expect.objectContaining({
            field: 'runner',
            message: expect.stringContaining(
              "Runner: this connection uses runner build-xx, which this vault does not have: create it with 'bridgekeep runner credentials --name build-xx'",
            ),
          }),
        ],
      }),
    )
    expect(() => w.addDelegated('Bad name', 'Build EU')).toThrow(
      expect.objectContaining({
        issues: [
          expect.objectContaining({ field: 'runner', message: expect.stringMatching(/lowercase/) }),
        ],
      }),
    )
    await w.services.runner.generateCredentials({ name: 'build-eu' })
    const id = w.addDelegated('On EU', 'build-eu')
    expect(() => w.services.connections.update({ id, values: { runner: 'build-xx' } })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'runner' })] }),
    )

    expect(() => w.services.runner.deleteRunner('build-eu')).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('On EU') }),
    )
    expect(w.services.runner.deleteRunner('build-eu', { force: true }).connections).toEqual([
      'On EU',
    ])
    await expect(w.services.health.verify({ connectionId: id })).rejects.toMatchObject({
      code: 'RUNNER_UNAVAILABLE',
      message:
        'This vault has no runner named build-eu (it was deleted, never created here, or the connection came from another vault in a share).',
      hint: expect.stringContaining('Edit the connection and choose another runner'),
    })
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../log'
import { startSts } from '../../../../test/fixtures/sts'
import { canary } from '../../../../test/fixtures/canary'
import { fastTimings, sourceRunnerLauncher } from '../../../../test/runner'
import { environmentIds, unlockedServices } from '../../../../test/services'
import { HealthScheduler } from './health-scheduler'
import { HealthService } from './health-service'
import { secretsForUse } from '../references/secrets-for-use'
import { HealthStatus } from './health-status'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/**
 * The scheduler over a real vault, runner process and STS, with the clock in the test's hands:
 * each connection is checked when due, never while the vault is locked, and failures back off.
 */
describe('HealthScheduler', () => {
  it('checks connections when due, backs off a failing one, and skips switched-off ones', async () => {
    const key = {
      accessKeyId: canary.awsKeyId(),
      secretAccessKey: canary.awsSecret(),
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/sched',
      userId: 'AIDAEXAMPLE000000002',
    }
    const sts = await startSts({ identities: [key] })
    cleanup.push(() => sts.close())
    const { services } = await unlockedServices({
      runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
    })
    cleanup.push(() => services.runner.shutdown())
    let now = new Date('2026-06-01T00:00:00Z')
    const status = new HealthStatus({
      vault: services.vault,
      audit: services.audit,
      events: services.events,
      now: () => now,
      random: () => 0.5,
    })
    const health = new HealthService({
      useSecrets: (id, use) => secretsForUse(services, id, use),
      vault: services.vault,
      connections: services.connections,
      resolution: services.resolution,
      runner: services.runner,
      status,
      audit: services.audit,
      events: services.events,
      log: memoryLogger(),
    })
    const scheduler = new HealthScheduler({
      health,
      status,
      vault: services.vault,
      log: memoryLogger(),
      now: () => now,
    })
    const env = environmentIds(services)
    const add = (name: string, secret: string) => {
      const { id } = services.connections.create({
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
      services.authorizations.applyChanges({
        grants: [{ connectionId: id, environmentId: env.development! }],
      })
      return id
    }
    const good = add('good', key.secretAccessKey)
    const bad = add('bad', canary.awsSecret())
    const off = add('off', key.secretAccessKey)
    status.scheduleNew()
    status.setInterval(off, null)

    // Nothing is due at once: first checks spread over the first minutes (random 0.5: 2.5 min).
    expect(await scheduler.tick()).toBe(0)
    now = new Date('2026-06-01T00:03:00Z')
    expect(await scheduler.tick()).toBe(2)
    const byId = () => new Map(status.list().map((h) => [h.connectionId, h]))
    expect(byId().get(good)).toMatchObject({
      status: 'healthy',
      nextCheckAt: '2026-06-01T06:03:00.000Z',
    })
    expect(byId().get(bad)).toMatchObject({ status: 'failing', consecutiveFailures: 1 })
    expect(byId().get(off)).toMatchObject({ status: 'unchecked', intervalMinutes: null })

    // Six hours on both are due; the failing one backs off to 12 hours after its second failure.
    now = new Date('2026-06-01T06:03:00Z')
    expect(await scheduler.tick()).toBe(2)
    expect(byId().get(bad)).toMatchObject({
      consecutiveFailures: 2,
      nextCheckAt: '2026-06-01T18:03:00.000Z',
    })
    expect(await scheduler.tick()).toBe(0)

    // Locked: no check runs, whatever is due.
    now = new Date('2026-06-02T00:00:00Z')
    services.vault.lock()
    expect(await scheduler.tick()).toBe(0)
    expect(sts.calls.length).toBe(2)
  })
})

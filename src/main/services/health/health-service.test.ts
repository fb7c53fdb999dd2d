import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Services } from '..'
import type { EventChannel } from '../../../shared/ipc/contract'
import { canary, expectNoSecrets } from '../../../../test/fixtures/canary'
import { startSts, type StsFixture } from '../../../../test/fixtures/sts'
import { startIam } from '../../../../test/fixtures/iam'
import { getCapability } from '../../../shared/aws/capabilities'
import { fastTimings, sourceRunnerLauncher, waitFor } from '../../../../test/runner'
import { environmentIds, unlockedServices } from '../../../../test/services'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

interface World {
  services: Services
  sts: StsFixture
  key: { accessKeyId: string; secretAccessKey: string; arn: string }
  events: { channel: EventChannel; payload: unknown }[]
  env: Record<string, string>
}

/** A vault with a real runner process and a local STS that checks SigV4 with the key it knows. */
async function world(): Promise<World> {
  const key = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/deploy',
    userId: 'AIDAEXAMPLE000000001',
  }
  const sts = await startSts({ identities: [key] })
  cleanup.push(() => sts.close())
  const { services } = await unlockedServices({
    runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
  })
  cleanup.push(() => services.runner.shutdown())
  const events: World['events'] = []
  services.events.connect((channel, payload) => events.push({ channel, payload }))
  return { services, sts, key, events, env: environmentIds(services) }
}

function addAws(
  w: World,
  name: string,
  environments: string[],
  secretAccessKey = w.key.secretAccessKey,
  endpoint = w.sts.url,
): string {
  const created = w.services.connections.create({
    name,
    provider: 'aws',
    authMode: 'inline',
    values: {
      access_key_id: w.key.accessKeyId,
      secret_access_key: secretAccessKey,
      default_region: 'eu-west-1',
      sts_endpoint: endpoint,
    },
  })
  if (environments.length > 0) {
    w.services.authorizations.applyChanges({
      grants: environments.map((e) => ({ connectionId: created.id, environmentId: w.env[e]! })),
      confirmProtected: true,
    })
  }
  return created.id
}

describe('HealthService.verify through the runner process', () => {
  it('proves the identity, stores it with the pinned version as last verified, and audits it', async () => {
    const w = await world()
    const id = addAws(w, 'Deploy', ['production', 'development'])

    const health = await w.services.health.verify({ connectionId: id })

    expect(health).toMatchObject({
      connectionId: id,
      status: 'healthy',
      identity: { label: w.key.arn, details: expect.objectContaining({ account: '123456789012' }) },
      // Unprotected environments first: a routine check is not a production use.
      environmentName: 'development',
      secretVersion: 1,
      consecutiveFailures: 0,
      intervalMinutes: 360,
      warnings: [],
    })
    expect(Date.parse(health.nextCheckAt!) - Date.parse(health.checkedAt!)).toBeGreaterThan(
      0.89 * 360 * 60_000,
    )
    expect(w.services.healthStatus.list().find((h) => h.connectionId === id)).toEqual(health)
    expect(w.sts.calls).toEqual([{ action: 'GetCallerIdentity', accessKeyId: w.key.accessKeyId }])
    const audit = w.services.audit
      .query({ limit: 10 })
      .entries.find((e) => e.action === 'connection.verify')
    expect(audit).toMatchObject({
      outcome: 'success',
      environmentName: 'development',
      detail: `Verify: healthy as ${w.key.arn}`,
    })
    // A verify updates "last verified" only; it is not a use, so "Last used" and the usage
    // counts stay empty (no 'verify' use is recorded).
    expect(Date.parse(health.checkedAt!)).toBeGreaterThan(Date.now() - 60_000)
    expect(w.services.usage.usageFor(id)).toEqual({
      connectionId: id,
      lastUsedAt: null,
      total: 0,
      byEnvironment: [],
      byOperation: [],
      entries: [],
    })
    expect(w.services.connections.list().find((c) => c.id === id)?.lastUsedAt ?? null).toBeNull()
    expect(w.events.filter((e) => e.channel === 'health:changed')).toEqual([
      { channel: 'health:changed', payload: { connectionIds: [id] } },
    ])
  })

  it('leaves "Last used" to real uses: explicit and scheduled checks only move last verified', async () => {
    const w = await world()
    const id = addAws(w, 'Deploy', ['development'])
    // A real use (what exec and credential_process do): counted.
    w.services.resolution.use('aws', 'development', 'deploy', 'exec')
    const used = w.services.usage.usageFor(id)
    expect(used).toMatchObject({ total: 1, byOperation: [{ operation: 'exec', count: 1 }] })
    expect(used.lastUsedAt).not.toBeNull()
    const listed = () => w.services.connections.list().find((c) => c.id === id)?.lastUsedAt
    expect(listed()).toBe(used.lastUsedAt)

    await new Promise((resolve) => setTimeout(resolve, 5))
    const explicit = await w.services.health.verify({ connectionId: id })
    await new Promise((resolve) => setTimeout(resolve, 5))
    const scheduled = await w.services.health.verify({ connectionId: id }, { scheduled: true })

    expect(explicit.status).toBe('healthy')
    expect(scheduled.status).toBe('healthy')
    // Last verified moves with every check...
    expect(Date.parse(explicit.checkedAt!)).toBeGreaterThan(Date.parse(used.lastUsedAt!))
    expect(Date.parse(scheduled.checkedAt!)).toBeGreaterThan(Date.parse(explicit.checkedAt!))
    expect(w.services.healthStatus.get(id).checkedAt).toBe(scheduled.checkedAt)
    // ...while "Last used" and the counts are exactly what the real use left.
    expect(w.services.usage.usageFor(id)).toEqual(used)
    expect(listed()).toBe(used.lastUsedAt)
    // Both checks are still audited.
    const details = w.services.audit
      .query({ limit: 20 })
      .entries.filter((e) => e.action === 'connection.verify')
      .map((e) => e.detail)
    expect(details).toEqual(
      expect.arrayContaining([
        `Verify: healthy as ${w.key.arn}`,
        `Scheduled check: healthy as ${w.key.arn}`,
      ]),
    )
  })

  it('classifies a wrong secret, counts failures, and announces failing and recovery', async () => {
    const w = await world()
    const id = addAws(w, 'Deploy', ['development'])
    expect((await w.services.health.verify({ connectionId: id })).status).toBe('healthy')

    const wrong = canary.awsSecret()
    w.services.connections.rotate({ id, secrets: { secret_access_key: wrong } })
    // Until it is checked again, the healthy verdict was about the secret before the rotation.
    expect(w.services.healthStatus.get(id)).toMatchObject({
      status: 'healthy',
      secretVersion: 1,
      warnings: [
        {
          kind: 'stale',
          message:
            'The secret changed since the last check (that checked version 1, now 2): verify it again.',
        },
      ],
    })
    const failing = await w.services.health.verify({ connectionId: id })
    expect(failing).toMatchObject({
      status: 'failing',
      secretVersion: 2,
      consecutiveFailures: 1,
      error: {
        class: 'authentication',
        message: expect.stringMatching(/^Authentication failed: /),
        remedy: expect.stringMatching(/\w/),
      },
    })
    expect(failing.identity).toBeUndefined()
    expect(failing.warnings).toEqual([])
    expect((await w.services.health.verify({ connectionId: id })).consecutiveFailures).toBe(2)

    w.services.connections.rotate({ id, secrets: { secret_access_key: w.key.secretAccessKey } })
    expect(await w.services.health.verify({ connectionId: id })).toMatchObject({
      status: 'healthy',
      secretVersion: 3,
      consecutiveFailures: 0,
    })
    const transitions = w.events.filter((e) => e.channel === 'health:transition')
    expect(transitions.map((e) => e.payload)).toEqual([
      expect.objectContaining({ from: 'healthy', to: 'failing', connectionName: 'Deploy' }),
      expect.objectContaining({
        from: 'failing',
        to: 'healthy',
        message: expect.stringContaining(w.key.arn),
      }),
    ])
    const said = [
      w.events,
      w.services.healthStatus.list(),
      w.services.audit.query({ limit: 100 }),
      w.services.runner.logs({ limit: 1000 }),
    ]
    expectNoSecrets(said, [w.key.secretAccessKey, wrong])
  })

  it('refuses a connection authorized nowhere, and an unreachable endpoint fails fast', async () => {
    const w = await world()
    const nowhere = addAws(w, 'Nowhere', [])
    await expect(w.services.health.verify({ connectionId: nowhere })).rejects.toMatchObject({
      code: 'NOT_AUTHORIZED',
      message: expect.stringContaining('not authorized for any environment'),
    })
    expect(w.services.healthStatus.get(nowhere).status).toBe('unchecked')
    expect(
      w.services.audit.query({ limit: 10 }).entries.find((e) => e.action === 'connection.verify'),
    ).toMatchObject({ outcome: 'failure', detail: expect.stringContaining('NOT_AUTHORIZED') })

    const closed = await closedPort()
    const down = addAws(
      w,
      'Down',
      ['development'],
      w.key.secretAccessKey,
      `http://127.0.0.1:${closed}`,
    )
    const started = Date.now()
    expect(await w.services.health.verify({ connectionId: down })).toMatchObject({
      status: 'failing',
      error: { class: 'unreachable', message: expect.stringMatching(/^Endpoint unreachable/) },
    })
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})

describe('permission warnings from the check itself', () => {
  it('stores what IAM says the key may not do as a warning, shown until a newer secret is stored', async () => {
    const w = await world()
    const iam = await startIam({
      users: [
        {
          userName: 'deploy',
          account: '123456789012',
          userId: 'AIDAEXAMPLE000000001',
          keys: [{ ...w.key, userId: 'AIDAEXAMPLE000000001', account: '123456789012' }],
          grants: [...getCapability('eks').read],
        },
      ],
    })
    cleanup.push(() => iam.close())
    const id = addAws(w, 'Deploy', ['development'])
    w.services.connections.update({ id, values: { iam_endpoint: iam.url, capabilities: 'eks' } })

    const health = await w.services.health.verify({ connectionId: id })

    expect(health.status).toBe('healthy')
    expect(health.warnings).toEqual([
      {
        kind: 'permissions',
        message: expect.stringMatching(
          /^arn:aws:iam::123456789012:user\/deploy is missing \d+ actions its capabilities need — EKS/,
        ),
      },
    ])
    expect(w.services.healthStatus.get(id)).toEqual(health)
    expectNoSecrets(health, [w.key.secretAccessKey])

    // A new secret version: the old check's findings say nothing about it.
    w.services.connections.rotate({
      id,
      secrets: { access_key_id: w.key.accessKeyId, secret_access_key: canary.awsSecret() },
    })
    expect(w.services.healthStatus.get(id).warnings.map((warning) => warning.kind)).toEqual([
      'stale',
    ])
  })
})

describe('Verify all', () => {
  it('verifies every connection with progress, and says which failed', async () => {
    const w = await world()
    const good = Array.from({ length: 10 }, (_, i) => addAws(w, `good-${i}`, ['development']))
    const bad = addAws(w, 'bad', ['development'], canary.awsSecret())
    const nowhere = addAws(w, 'nowhere', [])

    const job = w.services.health.verifyAll()
    expect(job.total).toBe(12)
    const final = await w.services.health.whenFinished(job.jobId)
    expect(final).toMatchObject({
      total: 12,
      done: 12,
      healthy: 10,
      failing: 1,
      skipped: 1,
      state: 'finished',
    })
    expect(final.problem).toBeUndefined()

    const progress = w.events.filter((e) => e.channel === 'health:progress').map((e) => e.payload)
    expect(progress.at(0)).toMatchObject({ done: 0, state: 'running' })
    expect(progress.at(-1)).toEqual(final)
    const changed = w.events
      .filter((e) => e.channel === 'health:changed')
      .flatMap((e) => (e.payload as { connectionIds: string[] }).connectionIds)
    expect(new Set(changed)).toEqual(new Set([...good, bad]))
    const byId = new Map(w.services.healthStatus.list().map((h) => [h.connectionId, h.status]))
    expect(byId.get(bad)).toBe('failing')
    expect(byId.get(nowhere)).toBe('unchecked')
  })

  it('cancels: checks in flight stop, the rest are skipped', async () => {
    const w = await world()
    // An endpoint that accepts and never answers: every verify waits until cancelled.
    const silent = await silentServer()
    cleanup.push(() => new Promise((resolve) => silent.server.close(() => resolve())))
    for (let i = 0; i < 20; i++)
      addAws(w, `hang-${i}`, ['development'], w.key.secretAccessKey, silent.url)

    const job = w.services.health.verifyAll()
    await waitFor(() => silent.accepted() >= 8, 'eight checks in flight')
    expect(w.services.health.cancel(job.jobId)).toEqual({ cancelled: true })
    const started = Date.now()
    const final = await w.services.health.whenFinished(job.jobId)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(final).toMatchObject({ state: 'cancelled', done: 20, skipped: 20, healthy: 0 })
    expect(w.services.healthStatus.list().every((h) => h.status === 'unchecked')).toBe(true)
    expect(w.services.health.cancel(job.jobId)).toEqual({ cancelled: false })
  })
})

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function silentServer(): Promise<{ server: Server; url: string; accepted: () => number }> {
  let accepted = 0
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    accepted++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = server.close.bind(server)
  server.close = ((callback?: (error?: Error) => void) => {
    for (const socket of sockets) socket.destroy()
    return close(callback)
  }) as typeof server.close
  const { port } = server.address() as { port: number }
  return { server, url: `http://127.0.0.1:${port}`, accepted: () => accepted }
}

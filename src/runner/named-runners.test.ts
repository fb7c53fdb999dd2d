import { afterEach, describe, expect, it } from 'vitest'
import type { RunnerEnrollment } from '../shared/runner-protocol/enrollment'
import { unlockedServices } from '../../test/services'
import { authFrame, rawClient } from '../../test/tls-client'
import {
  fastTimings,
  startRunnerByHand,
  waitFor,
  writeEnrollmentFile,
  type RunnerChild,
} from '../../test/runner'

type Services = Awaited<ReturnType<typeof unlockedServices>>['services']
const cleanup: (() => unknown)[] = []

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function app(): Promise<Services> {
  const { services } = await unlockedServices({ runner: { timings: fastTimings } })
  cleanup.push(() => services.runner.shutdown())
  return services
}

function byHand(file: string): RunnerChild {
  const child = startRunnerByHand(['--credentials', file])
  cleanup.push(() => child.kill('SIGKILL'))
  return child
}

const connected = (services: Services, name: string) =>
  services.runner.runners().find((runner) => runner.name === name && runner.connected)

describe('named runners (real runner processes, real mutual TLS)', () => {
  it('keeps several live at once; regenerating one keeps its identity and cuts off only it', async () => {
    const services = await app()
    const eu = await services.runner.generateCredentials({ name: 'build-eu' })
    const us = await services.runner.generateCredentials({ name: 'build-us' })
    expect(eu.runnerId).not.toBe(us.runnerId)
    const euOld = byHand(writeEnrollmentFile(eu.content))
    const usRunner = byHand(writeEnrollmentFile(us.content))
    await waitFor(() => connected(services, 'build-eu'), 'build-eu to connect')
    await waitFor(() => connected(services, 'build-us'), 'build-us to connect')

    const rotated = await services.runner.regenerateCredentials({ name: 'build-eu' })
    expect(rotated).toMatchObject({ runnerId: eu.runnerId, name: 'build-eu', revoked: 1 })
    expect(await euOld.exit).toBe(1)
    expect(euOld.stderr()).toContain('The app refused this runner (revoked)')
    // The other runner was never touched: same session, still answering.
    expect(connected(services, 'build-us')).toBeTruthy()
    expect(
      await services.runner.request({ type: 'ping', payload: 'us' }, { runnerId: us.runnerId }),
    ).toEqual({ pong: true, payload: 'us' })
    expect(usRunner.stderr()).not.toContain('refused')

    const euNew = byHand(writeEnrollmentFile(rotated.content))
    await waitFor(() => connected(services, 'build-eu'), 'build-eu with new credentials')
    expect(services.runner.runners().filter((r) => r.kind === 'remote')).toHaveLength(2)
    euNew.kill()
    expect(await euNew.exit).toBe(0)
  })

  it('never gives two runners the same name, and says how to rotate instead', async () => {
    const services = await app()
    await services.runner.generateCredentials({ name: 'build-eu' })
    await expect(services.runner.generateCredentials({ name: 'build-eu' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'A runner named build-eu already exists.',
      hint: expect.stringContaining('--regenerate build-eu'),
    })
    await expect(services.runner.generateCredentials({ name: 'local' })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    for (const bad of ['Build-EU', 'build_eu', '', 'x'.repeat(41), 'eu west']) {
      await expect(services.runner.generateCredentials({ name: bad })).rejects.toMatchObject({
        code: 'VALIDATION',
        hint: 'A runner name is 1 to 40 lowercase letters, digits and dashes, e.g. build-eu.',
      })
    }
    await expect(services.runner.regenerateCredentials({ name: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'There is no runner named nope.',
    })
    // With two remote runners, a regenerate without a name does not guess.
    await services.runner.generateCredentials({ name: 'build-us' })
    await expect(services.runner.regenerateCredentials()).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('build-eu, build-us'),
    })
  })

  it("refuses a runner presenting another runner's certificate with its own API key", async () => {
    const services = await app()
    const endpoint = await services.runner.ensureListener()
    const a = JSON.parse(
      (await services.runner.generateCredentials({ name: 'runner-a' })).content,
    ) as RunnerEnrollment
    const b = JSON.parse(
      (await services.runner.generateCredentials({ name: 'runner-b' })).content,
    ) as RunnerEnrollment
    const withCertOfA = (frame: object) => {
      const client = rawClient(endpoint, {
        ca: a.caCertificate,
        cert: a.certificate,
        key: a.privateKey,
      })
      client.send(frame)
      cleanup.push(() => client.socket.destroy())
      return client
    }
    // B's API key under A's identity, and B's identity over A's certificate: both refused.
    const asA = withCertOfA(authFrame(a, b.apiKey))
    expect(await asA.next('refused')).toMatchObject({
      stage: 'api-key',
      reason: 'The API key does not match the credentials of this certificate.',
    })
    const asB = withCertOfA(authFrame(b))
    expect(await asB.next('refused')).toMatchObject({
      stage: 'api-key',
      reason: `The runner says it is ${b.runner.id}, but its certificate names ${a.runner.id}.`,
    })
    expect(services.runner.status().connected).toBe(0)
  })

  it('deletes a runner: revoked at once, cut off, and its name free again', async () => {
    const services = await app()
    const eu = await services.runner.generateCredentials({ name: 'build-eu' })
    const runner = byHand(writeEnrollmentFile(eu.content))
    await waitFor(() => connected(services, 'build-eu'), 'build-eu to connect')
    expect(services.runner.deleteRunner('build-eu')).toMatchObject({
      runnerId: eu.runnerId,
      revoked: 1,
      connections: [],
    })
    expect(await runner.exit).toBe(1)
    expect(services.runner.runners().some((r) => r.name === 'build-eu')).toBe(false)
    expect(() => services.runner.deleteRunner('local')).toThrow(/local is the runner the app/)
    const again = await services.runner.generateCredentials({ name: 'build-eu' })
    expect(again.runnerId).not.toBe(eu.runnerId)
  })
})

describe('runner credentials from BRIDGEKEEP_RUNNER_CREDENTIALS (real runner processes)', () => {
  const fromVariable = (value: string) => {
    const child = startRunnerByHand([], { BRIDGEKEEP_RUNNER_CREDENTIALS: value })
    cleanup.push(() => child.kill('SIGKILL'))
    return child
  }

  it('connects with the JSON as it is, or in base64', async () => {
    const services = await app()
    const raw = await services.runner.generateCredentials({ name: 'from-secret' })
    const encoded = await services.runner.generateCredentials({ name: 'from-base64' })
    const first = fromVariable(raw.content)
    const second = fromVariable(Buffer.from(encoded.content).toString('base64'))
    await waitFor(() => connected(services, 'from-secret'), 'the raw-JSON runner to connect')
    await waitFor(() => connected(services, 'from-base64'), 'the base64 runner to connect')
    for (const child of [first, second]) {
      child.kill('SIGTERM')
      expect(await child.exit).toBe(0)
    }
  })

  it('names what is wrong with a bad value, and never echoes it', async () => {
    const services = await app()
    const good = JSON.parse(
      (await services.runner.generateCredentials({ name: 'bad-values' })).content,
    ) as RunnerEnrollment
    const canary = `bkr_${'C4NARY'.repeat(7)}`
    const cases: [string, RegExp][] = [
      ['   ', /BRIDGEKEEP_RUNNER_CREDENTIALS is set but empty\./],
      [
        `${canary} not json`,
        /is neither the JSON of a runner credentials file nor that JSON in base64/,
      ],
      [Buffer.from(`${canary}!`).toString('base64'), /nor that JSON in base64/],
      [`{"apiKey": "${canary}", `, /BRIDGEKEEP_RUNNER_CREDENTIALS is not JSON/],
      [
        JSON.stringify({ ...good, apiKey: canary, format: 'other' }),
        /BRIDGEKEEP_RUNNER_CREDENTIALS is not a Bridgekeep runner credentials file \(problem at format\)/,
      ],
    ]
    for (const [value, reason] of cases) {
      const child = fromVariable(value)
      expect(await child.exit).toBe(1)
      expect(child.stderr()).toMatch(reason)
      expect(child.stderr() + child.stdout()).not.toContain('C4NARY')
      expect(child.stderr()).not.toContain(good.privateKey.split('\n')[1])
    }
  }, 90_000)
})

describe('the fleet over IPC (the contract the Runner page uses)', () => {
  it('lists the runners with name, kind, state and rate, and deletes one by name', async () => {
    const { services, call } = await unlockedServices({ runner: { timings: fastTimings } })
    cleanup.push(() => services.runner.shutdown())
    const eu = await call('runner:generateCredentials', { name: 'build-eu' })
    expect(eu).toMatchObject({ ok: true, value: { name: 'build-eu' } })
    const runner = byHand(writeEnrollmentFile((eu as { value: { content: string } }).value.content))
    await waitFor(() => connected(services, 'build-eu'), 'build-eu to connect')
    expect(await call('runner:runners')).toMatchObject({
      ok: true,
      value: [
        expect.objectContaining({
          name: 'build-eu',
          kind: 'remote',
          connected: true,
          lastAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
          version: expect.any(String),
          operationsPerMinute: 0,
        }),
      ],
    })
    expect(await call('runner:deleteRunner', { name: 'Build EU' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    expect(await call('runner:deleteRunner', { name: 'build-eu' })).toMatchObject({
      ok: true,
      value: { revoked: 1, connections: [] },
    })
    expect(await runner.exit).toBe(1)
  })
})

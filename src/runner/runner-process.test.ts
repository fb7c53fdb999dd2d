import { afterEach, describe, expect, it } from 'vitest'
import type { RunnerEnrollment } from '../shared/runner-protocol/enrollment'
import { unlockedServices } from '../../test/services'
import {
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
  const { services } = await unlockedServices()
  cleanup.push(() => services.runner.shutdown())
  return services
}

function byHand(file: string, extra: string[] = []): RunnerChild {
  const child = startRunnerByHand(['--credentials', file, ...extra])
  cleanup.push(() => child.kill('SIGKILL'))
  return child
}

const connectedRunner = (services: Services, id: string) =>
  services.runner.runners().find((runner) => runner.id === id && runner.connected)

describe('a runner started by hand with a credentials file (real processes, real mTLS)', () => {
  it('connects out, answers operations, and exits cleanly on SIGTERM', async () => {
    const services = await app()
    const file = await services.runner.generateCredentials({ label: 'build box' })
    const runner = byHand(writeEnrollmentFile(file.content))
    await waitFor(() => connectedRunner(services, file.runnerId), 'the runner to connect')

    expect(
      await services.runner.request({ type: 'ping', payload: 'hi' }, { runnerId: file.runnerId }),
    ).toEqual({
      pong: true,
      payload: 'hi',
    })
    // Every catalog provider is registered: a verify comes back as the provider's VerifyResult,
    // here an STS endpoint on a port nobody listens on (unreachable, fast).
    const result = await services.runner.request({
      type: 'verify',
      connectionId: 'c1',
      input: {
        provider: 'aws',
        authMode: 'inline',
        config: { default_region: 'eu-west-1', sts_endpoint: 'http://127.0.0.1:9' },
        secrets: { access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: 'x'.repeat(40) },
        options: { timeoutMs: 2000 },
      },
    })
    expect(result).toMatchObject({ status: 'failing', error: { class: 'unreachable' } })
    expect(JSON.stringify(result)).not.toContain('x'.repeat(40))
    // Its log lines reach the app over the channel.
    await waitFor(
      () =>
        services.runner
          .logs()
          .some((line) => line.source === 'runner' && line.runnerId === file.runnerId),
      'a log line from the runner',
    )
    expect(services.runner.runners().find((r) => r.id === file.runnerId)).toMatchObject({
      kind: 'remote',
      label: 'build box',
      active: true,
      connected: true,
      version: expect.any(String),
    })
    runner.kill('SIGTERM')
    expect(await runner.exit).toBe(0)
    await waitFor(() => !connectedRunner(services, file.runnerId), 'the disconnect')
  })

  it('regenerating drops the connected runner at once, and its old credentials no longer connect', async () => {
    const services = await app()
    const first = await services.runner.generateCredentials()
    const oldFile = writeEnrollmentFile(first.content)
    const runner = byHand(oldFile)
    await waitFor(() => connectedRunner(services, first.runnerId), 'the runner to connect')

    await expect(services.runner.generateCredentials()).rejects.toMatchObject({ code: 'CONFLICT' })
    const second = await services.runner.regenerateCredentials()
    expect(second.revoked).toBe(1)
    expect(await runner.exit).toBe(1)
    expect(runner.stderr()).toContain('The app refused this runner (revoked)')

    const again = byHand(oldFile)
    expect(await again.exit).toBe(1)
    expect(again.stderr()).toMatch(
      /refused this runner \(revoked\): The certificate \(serial [0-9A-F]+\) was revoked/,
    )
    expect(
      services.runner.logs({ level: 'warn' }).filter((line) => line.fields.stage === 'revoked')
        .length,
    ).toBeGreaterThanOrEqual(2)

    // The new credentials work.
    const fresh = byHand(writeEnrollmentFile(second.content))
    await waitFor(() => connectedRunner(services, second.runnerId), 'the new runner to connect')
    fresh.kill()
    expect(await fresh.exit).toBe(0)
  })

  it('refuses to start with a wrong API key, with the reason, and the app logs it', async () => {
    const services = await app()
    const file = await services.runner.generateCredentials()
    const enrollment = JSON.parse(file.content) as RunnerEnrollment
    const runner = byHand(writeEnrollmentFile({ ...enrollment, apiKey: `bkr_${'A'.repeat(43)}` }))
    expect(await runner.exit).toBe(1)
    expect(runner.stderr()).toContain(
      'The app refused this runner (api-key): The API key does not match the credentials of this certificate.',
    )
    expect(services.runner.logs({ level: 'warn' })).toContainEqual(
      expect.objectContaining({
        event: 'runner.refused',
        fields: expect.objectContaining({ stage: 'api-key' }),
      }),
    )
  })

  it("refuses to talk to another vault's listener", async () => {
    const mine = await app()
    const theirs = await app()
    const endpoint = await mine.runner.ensureListener()
    const enrollment = JSON.parse(
      (await theirs.runner.generateCredentials()).content,
    ) as RunnerEnrollment
    const runner = byHand(writeEnrollmentFile({ ...enrollment, control: endpoint }))
    expect(await runner.exit).toBe(1)
    expect(runner.stderr()).toMatch(
      /This runner refused the app: The control listener's certificate was not issued by this vault's CA/,
    )
  })

  it('names the problem with a damaged or mismatched credentials file before connecting', async () => {
    const services = await app()
    const other = await app()
    const enrollment = JSON.parse(
      (await services.runner.generateCredentials()).content,
    ) as RunnerEnrollment
    const foreign = JSON.parse(
      (await other.runner.generateCredentials()).content,
    ) as RunnerEnrollment
    const cases: [object | string, RegExp][] = [
      ['{ not json', /is not JSON/],
      [
        { ...enrollment, format: 'something-else' },
        /not a Bridgekeep runner credentials file \(problem at format\)/,
      ],
      [
        { ...enrollment, certificate: foreign.certificate, privateKey: foreign.privateKey },
        /not issued by the CA in the credentials file/,
      ],
      [
        { ...enrollment, privateKey: foreign.privateKey },
        /private key .* does not belong to its certificate/,
      ],
    ]
    for (const [content, reason] of cases) {
      const runner = byHand(writeEnrollmentFile(content))
      expect(await runner.exit).toBe(1)
      expect(runner.stderr()).toMatch(reason)
    }
  })

  it('refuses an expired certificate by itself (and the app would too: see the listener tests)', async () => {
    const services = await app()
    const endpoint = await services.runner.ensureListener()
    const day = 86_400_000
    const { enrollment } = await services.runner.identity.issueRunner({
      runnerId: 'old-box',
      name: 'old-box',
      kind: 'remote',
      label: 'old',
      control: endpoint,
      notBefore: new Date(Date.now() - 3 * day),
      notAfter: new Date(Date.now() - day),
    })
    const runner = byHand(writeEnrollmentFile(enrollment))
    expect(await runner.exit).toBe(1)
    expect(runner.stderr()).toMatch(
      /The runner certificate expired on .*Regenerate the runner credentials/,
    )
  })

  it('with --once, exits 3 when the app is not there', async () => {
    const services = await app()
    const file = JSON.parse(
      (await services.runner.generateCredentials()).content,
    ) as RunnerEnrollment
    await services.runner.shutdown()
    const runner = byHand(writeEnrollmentFile(file), ['--once'])
    expect(await runner.exit).toBe(3)
    expect(runner.stderr()).toMatch(/Cannot reach the app at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/)
  })
})

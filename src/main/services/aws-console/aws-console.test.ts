import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canary, expectNoSecrets } from '../../../../test/fixtures/canary'
import { startFederation, type FederationFixture } from '../../../../test/fixtures/federation'
import { startSts, type StsFixture, type StsIdentity } from '../../../../test/fixtures/sts'
import { fastTimings, sourceRunnerLauncher, waitFor } from '../../../../test/runner'
import { inlineAwsConnection, unlockedServices } from '../../../../test/services'
import type { BrowserPort } from '../browser/browser'

/**
 * "Open console" as the window calls it: through the IPC contract and dispatcher, the app's real
 * runner process, a loopback STS and federation endpoint, and a browser that asks for what it is
 * given as a real browser would. The page gets who and until when; the link goes only to the
 * browser, and only behind a one-time loopback address.
 */
describe('connections:openAwsConsole', () => {
  const user: StsIdentity = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/deployer',
    userId: 'AIDAEXAMPLEUSER000042',
  }
  let sts: StsFixture
  let federation: FederationFixture
  /** What the browser was asked to open, and what that address answered it. */
  const opened: { url: string; status: number; location: string | null }[] = []
  let browserWorks = true
  const browser: BrowserPort = {
    open: async (url) => {
      if (!browserWorks) throw new Error('spawn xdg-open ENOENT')
      const response = await fetch(url, { redirect: 'manual' })
      opened.push({ url, status: response.status, location: response.headers.get('location') })
    },
  }
  let setUp: Awaited<ReturnType<typeof unlockedServices>>
  let connectionId: string

  beforeAll(async () => {
    sts = await startSts({ identities: [user] })
    federation = await startFederation(sts)
    // The runner is a child of this process and takes the endpoint from its environment.
    process.env.BRIDGEKEEP_AWS_FEDERATION_ENDPOINT = `${federation.url}/federation`
    setUp = await unlockedServices({
      runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
      browser,
    })
    const { services } = setUp
    await services.runner.start()
    await waitFor(() => services.runner.status().state === 'ready', 'the local runner')
    connectionId = inlineAwsConnection(services, user, sts.url)
  }, 60_000)
  afterAll(async () => {
    delete process.env.BRIDGEKEEP_AWS_FEDERATION_ENDPOINT
    await setUp?.services.runner.shutdown()
    await federation?.close()
    await sts?.close()
  })

  /** Everything a link must never reach: the page's answer, logs, the runner's log, the audit. */
  const everythingSaid = (answer: unknown) =>
    JSON.stringify([
      answer,
      setUp.log.lines,
      setUp.services.runner.logs({ limit: 1000 }),
      setUp.services.audit.export({ format: 'jsonl' }),
    ])

  it('opens the browser at a one-time loopback address; the page learns who and until when', async () => {
    const answer = await setUp.call('connections:openAwsConsole', { connectionId })
    expect(answer).toEqual({
      ok: true,
      value: {
        principal: 'arn:aws:sts::123456789012:federated-user/bridgekeep',
        environmentName: 'development',
        expiresAt: expect.any(String),
      },
    })
    const token = federation.tokens.at(-1)!.signinToken
    expect(opened).toHaveLength(1)
    const [visit] = opened
    expect(visit!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}$/)
    expect(visit!.status).toBe(302)
    expect(new URL(visit!.location!).searchParams.get('SigninToken')).toBe(token)
    expect((await fetch(visit!.location!)).status).toBe(200)
    // Used up: a second visitor of the address gets nothing.
    await expect(fetch(visit!.url, { redirect: 'manual' })).rejects.toThrow()

    const issued = sts.issued.at(-1)!
    expectNoSecrets(everythingSaid(answer), [
      token,
      user.secretAccessKey,
      issued.secretAccessKey,
      issued.sessionToken!,
    ])
  })

  it('a browser that cannot start is a clear error, without the link', async () => {
    browserWorks = false
    try {
      const answer = await setUp.call('connections:openAwsConsole', { connectionId })
      expect(answer).toMatchObject({
        ok: false,
        error: {
          code: 'OPERATION_FAILED',
          message: 'The default web browser could not be started.',
          hint: expect.stringContaining('default web browser'),
        },
      })
      expectNoSecrets(everythingSaid(answer), [federation.tokens.at(-1)!.signinToken])
    } finally {
      browserWorks = true
    }
  })
})

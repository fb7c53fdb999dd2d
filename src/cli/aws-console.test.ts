import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import { startFederation, type FederationFixture } from '../../test/fixtures/federation'
import { recordingOpener } from '../../test/fixtures/recording-opener'
import { startSts, type StsFixture, type StsIdentity } from '../../test/fixtures/sts'
import { waitFor } from '../../test/runner'
import { inlineAwsConnection } from '../../test/services'

/**
 * `bridgekeep aws console` as a user runs it: a real process over a keychain vault, the runner's
 * operation in that process, a loopback STS and federation endpoint; a use authorized by the
 * matrix and audited without the link.
 */
describe.skipIf(!privateKeyring)('bridgekeep aws console', SLOW, () => {
  const user: StsIdentity = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/deployer',
    userId: 'AIDAEXAMPLEUSER000041',
  }
  let sts: StsFixture
  let federation: FederationFixture
  let vault: Awaited<ReturnType<typeof cliVault>>
  const env = () => ({ BRIDGEKEEP_AWS_FEDERATION_ENDPOINT: `${federation.url}/federation` })

  beforeAll(async () => {
    sts = await startSts({ identities: [user] })
    federation = await startFederation(sts)
    vault = await cliVault()
    inlineAwsConnection(vault.services, user, sts.url)
  })
  afterAll(async () => {
    await federation?.close()
    await sts?.close()
  })

  it('prints a working sign-in link with --print, and audits the use without it', async () => {
    const result = await vault.cli(['aws', 'console', 'prod-aws', '--print'], { env: env() })
    expect(result.stderr).toMatch(/^Whoever has this link is signed in to the AWS console as /)
    expect(result.code).toBe(0)
    const link = result.stdout.trim()
    const token = federation.tokens.at(-1)!.signinToken
    expect(new URL(link).searchParams.get('SigninToken')).toBe(token)
    expect((await fetch(link)).status).toBe(200)

    const entry = vault.services.audit
      .query({ limit: 10 })
      .entries.find((e) => e.action === 'aws-console')
    expect(entry).toMatchObject({
      outcome: 'success',
      environmentName: 'development',
      detail: expect.stringMatching(
        /^AWS console as arn:aws:sts::123456789012:federated-user\/bridgekeep until /,
      ),
    })
    const issued = sts.issued.at(-1)!
    expectNoSecrets(
      [vault.services.audit.query({ limit: 50 }), result.stderr],
      [token, link, user.secretAccessKey, issued.secretAccessKey, issued.sessionToken!],
    )
  })

  it.skipIf(process.platform !== 'linux')(
    'opens the browser with a one-time loopback address: the opener never sees the link',
    async () => {
      const opener = recordingOpener()
      const result = await vault.cli(['aws', 'console', 'prod-aws'], {
        env: {
          ...env(),
          PATH: `${opener.bin}:${process.env.PATH ?? ''}`,
          DISPLAY: ':99',
          WAYLAND_DISPLAY: undefined,
        },
      })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain('opened in the default browser')
      const token = federation.tokens.at(-1)!.signinToken

      const { argv } = await waitFor(opener.started, 'the opener started')
      expect(argv).toHaveLength(1)
      expect(argv[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}$/)
      expect(argv.join(' ')).not.toContain(token)
      // The one request the address answers: a redirect to the working sign-in link.
      const answer = await waitFor(opener.answered, 'the opener asked for the address')
      expect(answer.status).toBe(302)
      expect(new URL(answer.location!).searchParams.get('SigninToken')).toBe(token)
      expect((await fetch(answer.location!)).status).toBe(200)
      // Used up: the address answers nobody else.
      await expect(fetch(argv[0]!)).rejects.toThrow()

      expect(result.stderr).toContain(argv[0])
      const issued = sts.issued.at(-1)!
      expectNoSecrets(
        [vault.services.audit.query({ limit: 50 }), result.stdout, result.stderr],
        [token, issued.secretAccessKey, issued.sessionToken!],
      )
    },
  )

  it('--json names who and until when, not the link unless --print', async () => {
    const result = await vault.cli(['aws', 'console', 'prod-aws', '--json', '--print'], {
      env: env(),
    })
    expect(result.code).toBe(0)
    const answer = JSON.parse(result.stdout)
    expect(answer).toMatchObject({
      principal: 'arn:aws:sts::123456789012:federated-user/bridgekeep',
      environment: 'development',
      opened: false,
      url: expect.stringContaining('Action=login'),
    })
  })

  it('an environment the connection is not authorized for is refused, and audited as such', async () => {
    const result = await vault.cli(
      ['aws', 'console', 'prod-aws', '--env', 'production', '--print'],
      {
        env: env(),
      },
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/not authorized/i)
    const entry = vault.services.audit
      .query({ limit: 10 })
      .entries.find((e) => e.action === 'aws-console' && e.outcome === 'failure')
    expect(entry?.detail).toContain('AWS console sign-in refused')
  })
})

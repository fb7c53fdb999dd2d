import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { startSts } from '../../../test/fixtures/sts'
import { fastTimings, sourceRunnerLauncher, waitFor } from '../../../test/runner'
import { unlockedServices } from '../../../test/services'

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const keyId = () => `AKIA${randomBytes(8).toString('hex').toUpperCase()}`

/**
 * The app's runner process verifies with the real AWS SDK against a local STS that checks the
 * SigV4 signature with the secret it knows: the one operation shape from the app to the provider.
 */
describe('verify through the runner process, against a signature-checking STS', () => {
  it('proves the identity with the right key, and classifies a wrong one', async () => {
    const identity = {
      accessKeyId: keyId(),
      secretAccessKey: randomBytes(30).toString('base64'),
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/ci',
      userId: 'AIDAEXAMPLE000000001',
    }
    const sts = await startSts({ identities: [identity] })
    cleanup.push(() => sts.close())
    const { services } = await unlockedServices({
      runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
    })
    cleanup.push(() => services.runner.shutdown())
    await services.runner.start()
    await waitFor(() => services.runner.status().state === 'ready', 'the local runner')

    const verify = (secretAccessKey: string) =>
      services.runner.request({
        type: 'verify',
        connectionId: 'c1',
        input: {
          provider: 'aws',
          authMode: 'inline',
          config: { default_region: 'eu-west-1', sts_endpoint: sts.url },
          secrets: { access_key_id: identity.accessKeyId, secret_access_key: secretAccessKey },
        },
      })

    expect(await verify(identity.secretAccessKey)).toMatchObject({
      status: 'healthy',
      identity: {
        label: identity.arn,
        details: expect.objectContaining({ account: '123456789012' }),
      },
    })
    const wrongSecret = randomBytes(30).toString('base64')
    const wrong = await verify(wrongSecret)
    expect(wrong).toMatchObject({
      status: 'failing',
      error: {
        class: 'authentication',
        message: expect.stringMatching(/^Authentication failed: /),
        remedy: expect.any(String),
      },
    })
    // The wrong signature was refused before STS did anything: only the right key acted.
    expect(sts.calls).toEqual([{ action: 'GetCallerIdentity', accessKeyId: identity.accessKeyId }])
    const said = JSON.stringify([wrong, services.runner.logs({ limit: 1000 })])
    for (const secret of [identity.secretAccessKey, wrongSecret]) expect(said).not.toContain(secret)
  })
})

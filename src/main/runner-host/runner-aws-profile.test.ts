import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startSts, type StsIdentity } from '../../../test/fixtures/sts'
import { appWithRemoteRunner, canaryAwsUser } from '../../../test/remote-runner'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const identity = canaryAwsUser

describe('runner-delegated AWS with a profile of the runner machine (a real runner process, loopback STS)', () => {
  it("signs with the named profile's key, the default chain without one, and names a missing profile", async () => {
    const [fallback, deploy, audit] = [
      identity('default', 1),
      identity('deploy', 2),
      identity('audit', 3),
    ]
    const sts = await startSts({ identities: [fallback, deploy, audit] })
    cleanup.push(() => sts.close())
    // The runner machine's HOME: two profiles in ~/.aws/credentials, one in ~/.aws/config.
    const home = mkdtempSync(join(tmpdir(), 'bk-aws-home-'))
    mkdirSync(join(home, '.aws'))
    const keys = (who: StsIdentity) =>
      `aws_access_key_id = ${who.accessKeyId}\naws_secret_access_key = ${who.secretAccessKey}\n`
    writeFileSync(
      join(home, '.aws', 'credentials'),
      `[default]\n${keys(fallback)}\n[deploy]\n${keys(deploy)}`,
    )
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile audit]\n${keys(audit)}region = eu-west-1\n`,
    )

    // Hermetic: nothing of this machine's AWS setup, only the temporary HOME's files.
    const { services, log, runner, addDelegated } = await appWithRemoteRunner(
      'build-eu',
      {
        HOME: home,
        AWS_CONFIG_FILE: '',
        AWS_SHARED_CREDENTIALS_FILE: '',
        AWS_PROFILE: '',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
        AWS_WEB_IDENTITY_TOKEN_FILE: '',
      },
      cleanup,
    )
    const results: unknown[] = []
    const verify = async (name: string, profile?: string) => {
      const id = addDelegated(name, 'aws', {
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
        runner: 'build-eu',
        ...(profile ? { profile } : {}),
      })
      const result = await services.health.verify({ connectionId: id })
      results.push(result)
      return result
    }

    expect(await verify('Deploy profile', 'deploy')).toMatchObject({
      status: 'healthy',
      checkedBy: 'build-eu',
      identity: { label: deploy.arn, details: { source: "runner's profile deploy" } },
    })
    expect(await verify('Audit profile', 'audit')).toMatchObject({
      status: 'healthy',
      identity: { label: audit.arn },
    })
    expect(await verify('Default chain')).toMatchObject({
      status: 'healthy',
      identity: { label: fallback.arn, details: { source: "runner's identity" } },
    })
    // The STS saw each profile's own key sign its call.
    expect(sts.calls.map((call) => call.accessKeyId)).toEqual([
      deploy.accessKeyId,
      audit.accessKeyId,
      fallback.accessKeyId,
    ])
    expect(await verify('Missing profile', 'nope')).toMatchObject({
      status: 'failing',
      error: {
        class: 'authentication',
        message: expect.stringContaining('no usable AWS profile "nope"'),
      },
    })

    // A bad profile name is refused when the connection is made.
    expect(() =>
      services.connections.create({
        name: 'Bad profile',
        provider: 'aws',
        authMode: 'runner-delegated',
        values: { default_region: 'eu-west-1', profile: 'my profile' },
      }),
    ).toThrow(
      expect.objectContaining({
        issues: [
          expect.objectContaining({
            field: 'profile',
            message: expect.stringContaining('not a profile name'),
          }),
        ],
      }),
    )

    const secrets = [fallback, deploy, audit].map((who) => who.secretAccessKey)
    const surfaces = {
      results: JSON.stringify(results),
      audit: services.audit.export({ format: 'jsonl' }).content,
      runnerLog: JSON.stringify(services.runner.logs({ limit: 1000 })),
      appLog: JSON.stringify(log.lines),
      runnerOutput: runner.stdout() + runner.stderr(),
    }
    for (const [where, text] of Object.entries(surfaces))
      for (const secret of secrets) expect(text.includes(secret), `${where}`).toBe(false)
  }, 60_000)
})

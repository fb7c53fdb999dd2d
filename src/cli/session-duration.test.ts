import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { startSts } from '../../test/fixtures/sts'
import { unlockedServices } from '../../test/services'
import { canaryAwsKey, NO_AMBIENT_AWS, shareUseOnly } from '../../test/use-only-tool'

describe.skipIf(!privateKeyring)('the session duration of an AWS connection', SLOW, () => {
  const stored = canaryAwsKey('AIDAEXAMPLEUSERID0005')
  const base = canaryAwsKey('AIDAEXAMPLEUSERID0006')
  const role = {
    arn: 'arn:aws:iam::210987654321:role/bridgekeep-deploy',
    externalId: 'bk-7f3e9a12-prod',
    maxSessionSeconds: 2 * 3600,
  }
  let sts: Awaited<ReturnType<typeof startSts>>
  let bob: Awaited<ReturnType<typeof cliVault>>
  const env = NO_AMBIENT_AWS

  beforeAll(async () => {
    sts = await startSts({ identities: [stored, base], roles: [role] })
    const alice = await unlockedServices()
    bob = await cliVault()
    // Alice chose sessions of two and a half hours for the connection she shares use-only.
    await shareUseOnly(alice.services, bob.services, {
      name: 'prod-aws',
      provider: 'aws',
      authMode: 'inline',
      values: {
        access_key_id: stored.accessKeyId,
        secret_access_key: stored.secretAccessKey,
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
        session_duration: '150',
      },
    })
    const deploy = bob.services.connections.create({
      name: 'deploy-role',
      provider: 'aws',
      authMode: 'cross-account',
      values: {
        access_key_id: base.accessKeyId,
        secret_access_key: base.secretAccessKey,
        role_arn: role.arn,
        external_id: role.externalId,
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
      },
    })
    const staging = bob.services.environments.list().find((e) => e.name === 'staging')!
    bob.services.authorizations.applyChanges({
      grants: [{ connectionId: deploy.id, environmentId: staging.id }],
    })
  })
  afterAll(async () => sts?.close())

  it("a share carries the sender's duration: STS is asked for it and the session ends then", async () => {
    const before = Date.now()
    const printed = await bob.cli(['aws', 'credential-process', 'prod-aws', '--env', 'staging'], {
      env,
      timeoutMs: 60_000,
    })
    expect(printed.stderr).toBe('')
    expect(printed.code).toBe(0)
    expect(sts.calls).toEqual([{ action: 'GetSessionToken', accessKeyId: stored.accessKeyId }])
    expect(sts.durations).toEqual([9000])
    const expiration = Date.parse(JSON.parse(printed.stdout).Expiration)
    expect(expiration).toBe(sts.issued.at(-1)!.expiration!.getTime())
    expect(Math.abs(expiration - before - 9000_000)).toBeLessThan(60_000)
  })

  it('refuses durations AWS does not allow, saying the range', async () => {
    const long = await bob.cli(['edit', 'deploy-role', '--session-duration', '13h'])
    expect(long.code).not.toBe(0)
    expect(long.stderr).toContain(
      "Session duration: 13h is too long for a role: a role's session lasts 15 minutes to 12 hours, and at most the role's Maximum session duration",
    )
    const short = await bob.cli(['edit', 'deploy-role', '--session-duration', '10m'])
    expect(short.code).not.toBe(0)
    expect(short.stderr).toContain(
      "Session duration: must be between 15 minutes and 36 hours: an IAM user's session (GetSessionToken) lasts 15 minutes to 36 hours",
    )
    const words = await bob.cli(['edit', 'deploy-role', '--session-duration', 'soon'])
    expect(words.code).not.toBe(0)
    expect(words.stderr).toContain(
      'Session duration: "soon" is not a duration: write minutes or hours, e.g. 45m, 1h or 1h30m.',
    )
    expect(
      bob.services.connections.get(bob.services.connections.findByRef('deploy-role').id),
    ).not.toHaveProperty('config.session_duration')
  })

  it("asks AssumeRole for the duration; longer than the role's maximum is a clear error", async () => {
    const exec = () =>
      bob.cli(['exec', 'deploy-role', '--env', 'staging', '--', 'true'], { env, timeoutMs: 60_000 })
    expect((await bob.cli(['edit', 'deploy-role', '--session-duration', '3h'])).code).toBe(0)
    const refused = await exec()
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain(
      "the role does not allow sessions as long as the connection's Session duration",
    )
    expect(refused.stderr).toContain("raise the role's Maximum session duration")
    expect(sts.durations.at(-1)).toBe(3 * 3600)

    const edited = await bob.cli(['edit', 'deploy-role', '--session-duration', '2h'])
    expect(edited.stderr).toBe('')
    const ran = await exec()
    expect(ran.stderr).toBe('')
    expect(ran.code).toBe(0)
    expect(sts.calls.at(-1)).toEqual({ action: 'AssumeRole', accessKeyId: base.accessKeyId })
    expect(sts.durations.at(-1)).toBe(2 * 3600)
    expect(sts.issued.at(-1)!.expiration!.getTime() - Date.now()).toBeGreaterThan(7000_000)

    const shown = await bob.cli(['show', 'deploy-role'])
    expect(shown.stdout).toMatch(/Session duration\s+2h/)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { startSts, type StsIdentity } from '../../../test/fixtures/sts'
import { runCli } from '../../../test/cli'
import { appWithRemoteRunner, canaryAwsUser } from '../../../test/remote-runner'
import { AppAgent } from './app-agent'
import { agentSocketPath } from './socket-path'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

const identity = canaryAwsUser

const keysOf = (who: StsIdentity) => ({
  AWS_ACCESS_KEY_ID: who.accessKeyId,
  AWS_SECRET_ACCESS_KEY: who.secretAccessKey,
})

/** What the exec'd command saw of AWS: printed by a real child process. */
const PRINT_AWS = [
  process.execPath,
  '-e',
  'process.stdout.write(JSON.stringify({ id: process.env.AWS_ACCESS_KEY_ID, token: process.env.AWS_SESSION_TOKEN }))',
]

/**
 * The app's services with its agent on a real socket, a remote runner `build-eu` (a real process
 * with its own AWS identity in its environment), and the CLI as a real process on this machine,
 * whose own environment holds another identity (the local one): a loopback STS that checks
 * SigV4 knows both and logs which key signed each call.
 */
async function world() {
  const [runnerKey, localKey] = [identity('build-eu', 1), identity('laptop', 2)]
  const role = {
    arn: 'arn:aws:iam::444455556669:role/deploy',
    externalId: 'bk-named-runner',
    // Only the runner's identity may assume it: the laptop's would be refused.
    trusted: [runnerKey.arn],
  }
  const sts = await startSts({ identities: [runnerKey, localKey], roles: [role] })
  cleanup.push(() => sts.close())
  const app = await appWithRemoteRunner('build-eu', keysOf(runnerKey), cleanup)
  const env = { BRIDGEKEEP_HOME: app.dataDir }
  const agent = new AppAgent({
    services: app.services,
    socketPath: agentSocketPath(env),
    log: app.log,
  })
  expect(await agent.start()).toMatchObject({ state: 'serving' })
  cleanup.push(() => agent.stop())
  const delegated = app.addDelegated('Delegated EU', 'aws', {
    default_region: 'eu-west-1',
    sts_endpoint: sts.url,
    runner: 'build-eu',
  })
  const crossId = app.services.connections.create({
    name: 'Cross EU',
    provider: 'aws',
    authMode: 'cross-account',
    values: {
      default_region: 'eu-west-1',
      sts_endpoint: sts.url,
      role_arn: role.arn,
      external_id: role.externalId,
      runner: 'build-eu',
    },
  }).id
  app.services.authorizations.applyChanges({
    grants: [
      {
        connectionId: crossId,
        environmentId: app.services.environments.findByRef('development').id,
      },
    ],
  })
  /** The CLI on the laptop: its own AWS keys in its environment. */
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, { env: { ...env, ...keysOf(localKey), ...extra }, timeoutMs: 60_000 })
  return { ...app, sts, runnerKey, localKey, delegated, cli }
}

describe('exec, credential_process and verify for a connection naming a remote runner (real processes)', () => {
  it("hands the command credentials the named runner issued, never this machine's", async () => {
    const w = await world()
    const outputs: string[] = []

    const exec = await w.cli(['exec', 'delegated-eu', '--env', 'development', '--', ...PRINT_AWS])
    outputs.push(exec.stdout, exec.stderr)
    expect(exec.stderr).toBe('')
    expect(exec.code).toBe(0)
    const seen = JSON.parse(exec.stdout) as { id: string; token: string }
    // A session STS issued from the runner's key (GetSessionToken signed by it), not the laptop's.
    const session = w.sts.issued.find((issued) => issued.accessKeyId === seen.id)
    expect(session).toMatchObject({ arn: w.runnerKey.arn, sessionToken: seen.token })
    expect(w.sts.calls).toContainEqual({
      action: 'GetSessionToken',
      accessKeyId: w.runnerKey.accessKeyId,
    })

    const assumed = await w.cli(['exec', 'cross-eu', '--env', 'development', '--', ...PRINT_AWS])
    outputs.push(assumed.stdout, assumed.stderr)
    expect(assumed.code).toBe(0)
    const role = JSON.parse(assumed.stdout) as { id: string }
    expect(w.sts.calls).toContainEqual({
      action: 'AssumeRole',
      accessKeyId: w.runnerKey.accessKeyId,
    })
    expect(w.sts.issued.find((issued) => issued.accessKeyId === role.id)).toBeDefined()

    // credential_process: the same issue path (the session is cached, sealed, until near expiry).
    const processed = await w.cli([
      'aws',
      'credential-process',
      'delegated-eu',
      '--env',
      'development',
    ])
    outputs.push(processed.stdout, processed.stderr)
    expect(processed.code).toBe(0)
    expect(JSON.parse(processed.stdout)).toMatchObject({ Version: 1, AccessKeyId: seen.id })

    // verify goes through the app too, and the named runner checks.
    const verify = await w.cli(['verify', 'delegated-eu', '--json'])
    outputs.push(verify.stdout, verify.stderr)
    expect(verify.code).toBe(0)
    expect(JSON.parse(verify.stdout)).toEqual([
      expect.objectContaining({ status: 'healthy', checkedBy: 'build-eu' }),
    ])

    // Nothing was ever signed with the laptop's own key.
    expect(w.sts.calls.map((call) => call.accessKeyId)).not.toContain(w.localKey.accessKeyId)
    const details = w.services.audit
      .query({ filter: { actions: ['exec', 'credential-process', 'connection.verify'] } })
      .entries.map((entry) => entry.detail)
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Ran node .*\(sts:get-session-token by runner build-eu\)$/),
        expect.stringMatching(/^Ran node .*\(sts:assume-role by runner build-eu\)$/),
        expect.stringMatching(/^Verify by runner build-eu: healthy as /),
      ]),
    )
    const said = [
      ...outputs,
      JSON.stringify(w.services.audit.query().entries),
      JSON.stringify(w.log.lines),
    ].join('\n')
    for (const secret of [w.runnerKey.secretAccessKey, w.localKey.secretAccessKey])
      expect(said).not.toContain(secret)
  }, 180_000)

  it('says the runner is not connected, and what to do, with the app or without it', async () => {
    const w = await world()
    w.runner.kill('SIGTERM')
    await w.runner.exit
    const lastSeen =
      /^bridgekeep: Runner build-eu is not connected \(last seen \d{4}-\d\d-\d\dT[\d:.]+Z\)\.$/m

    // Through the app: it waits for the runner a bounded time, then says so; nothing is issued.
    const started = Date.now()
    const exec = await w.cli(['exec', 'delegated-eu', '--env', 'development', '--', ...PRINT_AWS])
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000)
    expect(exec.code).not.toBe(0)
    expect(exec.stdout).toBe('')
    expect(exec.stderr).toMatch(lastSeen)
    expect(exec.stderr).toContain('while the app is open')

    // Without the app (the vault opened by the command itself): at once, and open the app.
    const alone = await w.cli(
      ['exec', 'delegated-eu', '--env', 'development', '--recovery-key', '--', ...PRINT_AWS],
      { BRIDGEKEEP_AGENT: 'off', BRIDGEKEEP_RECOVERY_KEY: w.recoveryKey },
    )
    expect(alone.code).not.toBe(0)
    expect(alone.stderr).toMatch(lastSeen)
    expect(alone.stderr).toContain('open the app')
    const verify = await w.cli(['verify', 'delegated-eu', '--recovery-key'], {
      BRIDGEKEEP_AGENT: 'off',
      BRIDGEKEEP_RECOVERY_KEY: w.recoveryKey,
    })
    expect(verify.code).toBe(1)
    expect(verify.stdout).toMatch(/Runner build-eu is not connected \(last seen /)
    expect(w.sts.calls).toEqual([])
    const said = [exec, alone, verify].map((r) => r.stdout + r.stderr).join('\n')
    for (const secret of [w.runnerKey.secretAccessKey, w.localKey.secretAccessKey])
      expect(said).not.toContain(secret)
  }, 180_000)
})

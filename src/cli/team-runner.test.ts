import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import {
  serviceAccount,
  startGoogleToken,
  type GoogleTokenFixture,
} from '../../test/fixtures/google'
import { deployer, startSts, type StsFixture } from '../../test/fixtures/sts'
import { callerArn, startTeamRunner, type TeamRunnerProcess } from '../../test/team-runner-process'
import { inlineAwsConnection } from '../../test/services'
import { cliTeamWorld, type CliVault } from '../../test/team-world'
import type { TeamServer } from '../../test/teams'
import { newRequestBody, signRequest } from '../main/services/teams/team-requests'

const user = deployer('AIDAEXAMPLEUSER000123')

const badSecret = canary.awsSecret()
const role = {
  arn: 'arn:aws:iam::210987654321:role/deployer',
  externalId: `bk-${canary.alnum(16)}`,
}

/**
 * `bridgekeep team runner` as a real child process of Ada's (admin) vault, serving the team
 * connections she pushed, and Carol (use-only) asking through `bridgekeep team credentials`: the answer works at a SigV4-checking STS, the
 * runner survives a database restart, and stops cleanly on SIGTERM.
 */
describe.skipIf(!privateKeyring)('bridgekeep team runner (child processes)', SLOW, () => {
  let team: TeamServer
  let sts: StsFixture
  let google: GoogleTokenFixture
  const account = serviceAccount()
  let ada: CliVault
  let carol: CliVault
  let runner: TeamRunnerProcess
  const world = cliTeamWorld({
    seats: [
      { name: 'Ada', login: 'bk_owner' },
      { name: 'Carol', login: 'carol_login', role: 'use-only' },
    ],
    team: { name: 'platform', by: 'services' },
  })
  const { outputs, run } = world
  const asCarol = (args: string[]) => run(carol, ['team', ...args])

  beforeAll(async () => {
    ;[
      {
        team,
        vaults: [ada, carol],
      },
      sts,
      google,
    ] = await Promise.all([
      world.start(),
      startSts({ identities: [user], roles: [{ ...role, trusted: [user.arn] }] }),
      startGoogleToken({ accounts: [account] }),
    ])
    inlineAwsConnection(ada.services, user, sts.url)
    // A role in another account, assumed from the same key with its external ID.
    ada.services.connections.create({
      name: 'role-aws',
      provider: 'aws',
      authMode: 'cross-account',
      values: {
        access_key_id: user.accessKeyId,
        secret_access_key: user.secretAccessKey,
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
        role_arn: role.arn,
        external_id: role.externalId,
      },
    })
    // A key STS does not know: the runner's refusal quotes STS, never the key.
    ada.services.connections.create({
      name: 'bad-aws',
      provider: 'aws',
      authMode: 'inline',
      values: {
        access_key_id: canary.awsKeyId(),
        secret_access_key: badSecret,
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
      },
    })
    // In Ada's vault and authorized there, never pushed: the runner refuses it.
    inlineAwsConnection(ada.services, user, sts.url, 'local-aws')
    // The runner serves team connections: each pushed by Ada, the team's matrix allowing
    // development only (her vault's own authorizations play no part).
    // A GCP service-account key: the runner exchanges it for an access token.
    ada.services.connections.create({
      name: 'prod-gcp',
      provider: 'gcp',
      authMode: 'inline',
      values: { service_account_key: account.keyFile, token_endpoint: google.tokenUrl },
    })
    for (const name of ['prod-aws', 'role-aws', 'bad-aws', 'prod-gcp'])
      await ada.services.teamConnections.push('platform', name, { environments: ['development'] })
    runner = await startTeamRunner(ada.home)
  }, 120_000)
  afterAll(async () => {
    runner?.child.kill('SIGKILL')
    await world.stop()
    await sts?.close()
    await google?.close()
  })

  it('a use-only member gets credentials that STS accepts, through a runner process', async () => {
    const asked = await asCarol([
      'credentials',
      'prod-aws',
      '--env',
      'development',
      '--format',
      'credential-process',
    ])
    expect(asked.stderr).toBe('')
    expect(asked.code).toBe(0)
    const output = JSON.parse(asked.stdout) as Record<string, string>
    expect(Object.keys(output)).toEqual([
      'Version',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
    ])
    expect(await callerArn(sts.url, output)).toBe(user.arn)

    const assumed = await asCarol([
      'credentials',
      'role-aws',
      '--env',
      'development',
      '--format',
      'json',
    ])
    expect(assumed.code).toBe(0)
    expect(sts.calls.at(-1)).toEqual({ action: 'AssumeRole', accessKeyId: user.accessKeyId })
    expect(await callerArn(sts.url, JSON.parse(assumed.stdout) as Record<string, string>)).toMatch(
      /^arn:aws:sts::210987654321:assumed-role\/deployer\//,
    )

    const env = await asCarol(['credentials', 'prod-aws', '--env', 'development'])
    expect(env.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA[A-Z0-9]+'\n/)
    expect(env.stdout).toContain("# Issued by Ada's team runner; expires ")

    const denied = await asCarol(['credentials', 'prod-aws', '--env', 'production'])
    expect(denied.code).not.toBe(0)
    expect(denied.stderr).toContain(
      'The team runner (Ada) refused: prod-aws is not authorized for environment production',
    )
    const failing = await asCarol(['credentials', 'bad-aws', '--env', 'development'])
    expect(failing.code).not.toBe(0)
    expect(failing.stderr).toMatch(
      /The team runner \(Ada\) refused: credentials were not issued: Connection bad-aws: Authentication failed/,
    )
    const notPushed = await asCarol(['credentials', 'local-aws', '--env', 'development'])
    expect(notPushed.code).not.toBe(0)
    expect(notPushed.stderr).toContain(
      'The team runner (Ada) refused: the team has no connection named local-aws (a connection in an admin',
    )
    const badFormat = await asCarol(['credentials', 'prod-aws', '--env', 'dev', '--format', 'ini'])
    expect(badFormat.code).toBe(2)
    expect(badFormat.stderr).toContain('--format must be one of env, json, credential-process')
  })

  it('a use-only member gets a GCP token for gcloud and Terraform; credential-process is refused for it', async () => {
    const env = await asCarol(['credentials', 'prod-gcp', '--env', 'development'])
    expect(env.stderr).toBe('')
    expect(env.code).toBe(0)
    const [token] = [...google.issued.keys()]
    expect(google.issued.get(token!)).toBe(account.email)
    expect(env.stdout.split('\n').slice(0, 4)).toEqual([
      `export CLOUDSDK_AUTH_ACCESS_TOKEN='${token}'`,
      `export GOOGLE_OAUTH_ACCESS_TOKEN='${token}'`,
      `export CLOUDSDK_CORE_PROJECT='${account.project}'`,
      `export GOOGLE_CLOUD_PROJECT='${account.project}'`,
    ])
    expect(env.stdout).toContain("# Issued by Ada's team runner; expires ")
    const json = await asCarol([
      'credentials',
      'prod-gcp',
      '--env',
      'development',
      '--format',
      'json',
    ])
    expect(JSON.parse(json.stdout)).toMatchObject({
      kind: 'gcp-access-token',
      token: expect.stringMatching(/^ya29\./),
      runner: 'Ada',
    })
    const refused = await asCarol([
      'credentials',
      'prod-gcp',
      '--env',
      'development',
      '--format',
      'credential-process',
    ])
    expect(refused.code).toBe(2)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain(
      "--format credential-process is the AWS CLI's, and prod-gcp gave a GCP access token: use --format env or json.",
    )
  })

  it('the fallback poll answers a request whose notification never came', async () => {
    const me = await carol.services.sharing.localIdentity()
    const request = signRequest(
      newRequestBody(
        carol.services.teams.list()[0]!.id,
        { connection: 'prod-aws', environment: 'development', operation: 'aws.session' },
        new Date(),
      ),
      { signingKey: me.address.signingKey, key: me.signingKey },
    )
    // With triggers off (as a superuser can set), the insert sends no notification.
    await team.dba(
      `SET session_replication_role = replica; INSERT INTO bridgekeep.requests (team_id, id, requester, body, signature) VALUES ('${request.teamId}', '${request.id}', '${request.requester}', '${request.body}', '${request.signature}'); RESET session_replication_role`,
    )
    await waitFor(async () => {
      const { rows } = await team.dba(
        'SELECT status FROM bridgekeep.answers WHERE request_id = $1',
        [request.id],
      )
      return rows[0]?.status === 'issued'
    }, 15_000)
  })

  it('only an admin runs a team runner', async () => {
    const refused = await asCarol(['runner'])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain(
      'Only admins of platform can run its team runner; you are a use-only member.',
    )
  })

  it('reconnects after the database restarts, then stops cleanly on SIGTERM', async () => {
    team.server.restart()
    await waitFor(() => runner.output().includes('connected to platform again'), 45_000)
    const after = await asCarol([
      'credentials',
      'prod-aws',
      '--env',
      'development',
      '--format',
      'json',
    ])
    expect(after.code).toBe(0)
    expect(await callerArn(sts.url, JSON.parse(after.stdout) as Record<string, string>)).toBe(
      user.arn,
    )

    runner.child.kill('SIGTERM')
    expect(await runner.exited).toBe(0)
    expect(runner.output()).toContain('bridgekeep team runner: stopped (SIGTERM).')
    const unanswered = await asCarol([
      'credentials',
      'prod-aws',
      '--env',
      'development',
      '--timeout',
      '2',
    ])
    expect(unanswered.code).not.toBe(0)
    expect(unanswered.stderr).toContain('No team runner of platform answered within 2 s.')
  })

  it("the long-lived key is in no output, and the runner's log holds no issued secret", () => {
    const issued = sts.issued.flatMap((s) => [s.secretAccessKey, s.sessionToken!])
    expect(issued.length).toBeGreaterThan(3)
    for (const text of [runner.output(), ...outputs.map((o) => o.stdout + o.stderr)])
      for (const key of [user.secretAccessKey, badSecret, ...account.secretLines])
        expect(text).not.toContain(key)
    for (const token of google.issued.keys()) expect(runner.output()).not.toContain(token)
    for (const secret of issued) expect(runner.output()).not.toContain(secret)
  })
})

async function waitFor(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  for (const start = Date.now(); !(await done()); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() - start > ms) throw new Error('timed out waiting')
}

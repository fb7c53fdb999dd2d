import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StsFixture } from '../../../../test/fixtures/sts'
import { runnerWorld, signer, type Vault } from '../../../../test/team-runner-world'
import { inlineAwsConnection } from '../../../../test/services'
import type { TeamServer } from '../../../../test/teams'
import { teamRoleName, teamRoleNames } from '../../db/team-migrations'
import { decryptAgeFile, readAgeFile } from '../sharing/age-file'
import { newRequestBody, signRequest } from './team-requests'
import { awsSessionOf } from './team-test-support'

// A team runner answering requests through a real PostgreSQL, in this process (the CLI's test
// runs one as a child process): Ada (admin) pushes an AWS connection (at a loopback STS that
// checks SigV4) to the team and runs the runner, which opens the team connection with her
// identity; Carol (use-only) and Bob (member) ask.

let team: TeamServer
let sts: StsFixture
let ada: Vault
let bob: Vault
let carol: Vault
let teamId: string
const world = runnerWorld({
  userId: 'AIDAEXAMPLEUSER000023',
  members: [
    { name: 'Bob', login: 'bob_login', role: 'member' },
    { name: 'Carol', login: 'carol_login', role: 'use-only' },
  ],
})
const { user, answerTo, teamAuditKinds } = world
const asked = { connection: 'prod-aws', environment: 'development' }

beforeAll(async () => {
  ;({
    team,
    sts,
    teamId,
    ada,
    members: [bob, carol],
  } = await world.start())
  // In Ada's vault, authorized there, but never pushed: the runner does not serve it.
  inlineAwsConnection(ada.services, user, sts.url, 'vault-only-aws')
}, 120_000)
afterAll(() => world.stop())

describe('a team runner on a real PostgreSQL', { timeout: 60_000 }, () => {
  it('gives a use-only member short-lived credentials that STS accepts, readable by them only', async () => {
    const session = awsSessionOf(await carol.services.teamRunner.credentials('platform', asked))
    expect(session).toMatchObject({ runner: 'Ada', accessKeyId: expect.stringMatching(/^ASIA/) })
    expect(session.secretAccessKey).not.toBe(user.secretAccessKey)
    expect(Date.parse(session.expiration) - Date.now()).toBeLessThanOrEqual(900_000)
    const client = new STSClient({
      region: 'eu-west-1',
      endpoint: sts.url,
      credentials: { ...session, expiration: new Date(session.expiration) },
      maxAttempts: 1,
    })
    const identity = await client.send(new GetCallerIdentityCommand({}))
    client.destroy()
    expect(identity.Arn).toBe(user.arn)
    expect(sts.calls.at(-2)).toEqual({ action: 'GetSessionToken', accessKeyId: user.accessKeyId })

    // What the database holds: a signed request, and an answer only Carol's identity opens.
    const { rows } = await team.dba(
      'SELECT a.body, a.runner, a.status FROM bridgekeep.answers a WHERE a.team_id = $1',
      [teamId],
    )
    expect(rows).toHaveLength(1)
    expect(rows[0].status).toBe('issued')
    const sealed = Buffer.from(JSON.parse(rows[0].body).credentials, 'base64')
    const opened = await decryptAgeFile(await readAgeFile(sealed), {
      identity: await carol.services.sharing.ageIdentityForTests(),
    })
    expect(JSON.parse(Buffer.from(opened).toString()).secretAccessKey).toBe(session.secretAccessKey)
    await expect(
      decryptAgeFile(await readAgeFile(sealed), {
        identity: await bob.services.sharing.ageIdentityForTests(),
      }),
    ).rejects.toMatchObject({ code: 'SHARE_NOT_FOR_YOU' })

    // Every answer is in the team's audit trail and in both vaults' own.
    expect(await teamAuditKinds()).toContain('runner.issue')
    expect(actions(ada)).toEqual(expect.arrayContaining(['team.answer', 'team.use']))
    const use = ada.services.audit
      .query({ limit: 200 })
      .entries.find((e) => e.action === 'team.use')
    expect(use?.detail).toBe('prod-aws version 1 in development (team runner)')
    expect(await teamAuditKinds()).toContain('connection.use')
    expect(actions(carol)).toContain('team.credentials')
    expect((await ada.services.teams.verify('platform')).warnings).toEqual([])
  })

  it('refuses an environment the team matrix denies, and a connection the team does not have', async () => {
    await expect(
      carol.services.teamRunner.credentials('platform', { ...asked, environment: 'production' }),
    ).rejects.toMatchObject({
      code: 'RUNNER_REFUSED',
      message: expect.stringContaining(
        'prod-aws is not authorized for environment production by the team',
      ),
    })
    await expect(
      carol.services.teamRunner.credentials('platform', { ...asked, connection: 'nope' }),
    ).rejects.toMatchObject({ message: expect.stringContaining('no connection named nope') })
    // Ada's own vault authorizes it in development; the team never had it.
    await expect(
      carol.services.teamRunner.credentials('platform', { ...asked, connection: 'vault-only-aws' }),
    ).rejects.toMatchObject({
      code: 'RUNNER_REFUSED',
      message: expect.stringContaining(
        "the team has no connection named vault-only-aws (a connection in an admin's own vault is served only once an admin pushes it: bridgekeep team push vault-only-aws --env development)",
      ),
    })
    // The team's matrix, not Ada's vault: allowed in production by a signed change, it is served.
    await ada.services.teamConnections.setEnvironments('platform', 'prod-aws', {
      allow: ['production'],
    })
    const production = awsSessionOf(
      await carol.services.teamRunner.credentials('platform', {
        ...asked,
        environment: 'production',
      }),
    )
    expect(production.accessKeyId).toMatch(/^ASIA/)
    await ada.services.teamConnections.setEnvironments('platform', 'prod-aws', {
      deny: ['production'],
    })
    expect(await teamAuditKinds()).toContain('runner.refuse')
  })

  it('opens the one version a request needs from the database, each time: an edited row or wrap is named, never used', async () => {
    const ours = `team_id = '${teamId}'`
    const adaKey = (await ada.services.sharing.localIdentity()).address.signingKey
    const flip = (table: string, column: string, where: string) =>
      team.dbaEdit(
        `UPDATE bridgekeep.${table} SET ${column} = set_byte(${column}, length(${column}) - 5, get_byte(${column}, length(${column}) - 5) # 1) WHERE ${where}`,
      )
    await flip('sealed_secrets', 'ciphertext', ours)
    await expect(carol.services.teamRunner.credentials('platform', asked)).rejects.toMatchObject({
      code: 'RUNNER_REFUSED',
      message: expect.stringContaining(
        'Team connection "prod-aws" version 1: its sealed secrets do not match its signed change',
      ),
    })
    await flip('sealed_secrets', 'ciphertext', ours) // back as it was
    await flip('key_wraps', 'wrapped', `${ours} AND recipient = '${adaKey}'`)
    await expect(carol.services.teamRunner.credentials('platform', asked)).rejects.toMatchObject({
      code: 'RUNNER_REFUSED',
      message: expect.stringContaining(
        'The key of team connection "prod-aws" version 1 was changed in the database',
      ),
    })
    await flip('key_wraps', 'wrapped', `${ours} AND recipient = '${adaKey}'`)
    expect(
      awsSessionOf(await carol.services.teamRunner.credentials('platform', asked)).accessKeyId,
    ).toMatch(/^ASIA/)
  })

  it('refuses a removed member at once, and a vault that is not an admin cannot run one', async () => {
    await expect(
      bob.services.teamRunner.serve('platform', { signal: new AbortController().signal }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only admins of platform can run its team runner; you are a member.',
    })
    expect((await bob.services.teamRunner.credentials('platform', asked)).runner).toBe('Ada')
    const bobKey = await signer(bob)
    await ada.services.teams.remove('platform', 'Bob')
    await expect(bob.services.teamRunner.credentials('platform', asked)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This vault is no longer a member of platform.',
    })
    // Written anyway, by the removed vault itself: the runner replays the log and refuses it.
    const late = signRequest(
      newRequestBody(teamId, { ...asked, operation: 'aws.session' }, new Date()),
      bobKey,
    )
    expect(await answerTo(late, 'bob_login')).toMatch(/^the requester is not a member of the team/)
    // The team is verified while the runner answers: a removed member whose login may still read
    // but no longer write requests is told why, not the database's refusal of the request.
    const roles = teamRoleNames(teamRoleName(teamId))
    await team.dba(`GRANT ${roles.base} TO bob_login`)
    await team.dba(`REVOKE ${roles.member} FROM bob_login`)
    await expect(bob.services.teamRunner.credentials('platform', asked)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This vault is no longer a member of platform.',
    })
  })

  it('refuses to open a team connection from a log cut back below what the runner verified', async () => {
    // The runner has served since before the newest change (Bob's removal) and verified it in a
    // pass: a cut below what it verified is noticed though its vault's record was read earlier.
    const where = `team_id = '${teamId}' AND seq = (SELECT max(seq) FROM bridgekeep.changes WHERE team_id = '${teamId}')`
    await team.dbaEdit(
      `CREATE TABLE public.cut AS SELECT * FROM bridgekeep.changes WHERE ${where}; DELETE FROM bridgekeep.changes WHERE ${where}`,
    )
    try {
      await expect(carol.services.teamRunner.credentials('platform', asked)).rejects.toMatchObject({
        code: 'RUNNER_REFUSED',
        message: expect.stringContaining(
          'credentials were not issued: The change log of platform lost changes this vault verified before',
        ),
      })
    } finally {
      await team.dbaEdit(
        'INSERT INTO bridgekeep.changes SELECT * FROM public.cut; DROP TABLE public.cut',
      )
    }
    expect((await carol.services.teamRunner.credentials('platform', asked)).runner).toBe('Ada')
  })

  it('says so when no runner answers', async () => {
    await world.stopRunner()
    await expect(
      carol.services.teamRunner.credentials('platform', asked, { timeoutMs: 1500 }),
    ).rejects.toMatchObject({
      code: 'RUNNER_TIMEOUT',
      message: 'No team runner of platform answered within 2 s.',
      hint: expect.stringContaining('bridgekeep team runner'),
    })
  })

  it('never puts a long-lived secret or an issued one in a table, the WAL, the log or an audit trail', () =>
    world.expectNoSecretAnywhere([ada, bob, carol]))
})

const actions = (v: Vault) => v.services.audit.query({ limit: 200 }).entries.map((e) => e.action)

import { readFileSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canary } from '../../../../test/fixtures/canary'
import { startSts, type StsFixture, type StsIdentity } from '../../../../test/fixtures/sts'
import { environmentIds, inlineAwsConnection, unlockedServices } from '../../../../test/services'
import { foundTeam, startTeamServer, TEAM_DATABASE, type TeamServer } from '../../../../test/teams'
import { teamRoleName, teamRoleNames } from '../../db/team-migrations'
import { decryptAgeFile, readAgeFile } from '../sharing/age-file'
import { newRequestBody, readAnswer, signRequest, type RequestRow } from './team-requests'
import { testIdentity } from './team-test-support'

// A team runner answering requests through a real PostgreSQL, in this process (the CLI's test
// runs one as a child process): Ada (admin) pushes an AWS connection (at a loopback STS that
// checks SigV4) to the team and runs the runner, which opens the team connection with her
// identity; Carol (use-only) and Bob (member) ask.

type Vault = Awaited<ReturnType<typeof unlockedServices>>

const user: StsIdentity = {
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  account: '123456789012',
  arn: 'arn:aws:iam::123456789012:user/deployer',
  userId: 'AIDAEXAMPLEUSER000023',
}
let team: TeamServer
let sts: StsFixture
let ada: Vault
let bob: Vault
let carol: Vault
let teamId: string
let stop: AbortController
let serving: Promise<void>
const asked = { connection: 'prod-aws', environment: 'development' }

beforeAll(async () => {
  ;[team, sts] = await Promise.all([startTeamServer(), startSts({ identities: [user] })])
  ;[ada, bob, carol] = await Promise.all([
    unlockedServices(),
    unlockedServices(),
    unlockedServices(),
  ])
  teamId = await foundTeam(team, { services: ada.services, name: 'Ada', login: 'bk_owner' }, [
    { services: bob.services, name: 'Bob', login: 'bob_login', role: 'member' },
    { services: carol.services, name: 'Carol', login: 'carol_login', role: 'use-only' },
  ])
  inlineAwsConnection(ada.services, user, sts.url)
  await ada.services.teamConnections.push('platform', 'prod-aws', { environments: ['development'] })
  // In Ada's vault, authorized there, but never pushed: the runner does not serve it.
  const { id: vaultOnly } = ada.services.connections.create({
    name: 'vault-only-aws',
    provider: 'aws',
    authMode: 'inline',
    values: {
      access_key_id: user.accessKeyId,
      secret_access_key: user.secretAccessKey,
      default_region: 'eu-west-1',
      sts_endpoint: sts.url,
    },
  })
  ada.services.authorizations.setAuthorizations({
    connectionId: vaultOnly,
    environmentIds: [environmentIds(ada.services).development!],
  })
  await startRunner()
}, 120_000)
afterAll(async () => {
  stop.abort()
  await serving
  await team?.server.stop()
  await sts?.close()
})

describe('a team runner on a real PostgreSQL', { timeout: 60_000 }, () => {
  it('gives a use-only member short-lived credentials that STS accepts, readable by them only', async () => {
    const session = await carol.services.teamRunner.credentials('platform', asked)
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
    const production = await carol.services.teamRunner.credentials('platform', {
      ...asked,
      environment: 'production',
    })
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
    expect((await carol.services.teamRunner.credentials('platform', asked)).accessKeyId).toMatch(
      /^ASIA/,
    )
  })

  it('refuses a forged signature, a replayed request and a stale one, each with a signed reason', async () => {
    const me = await signer(carol)
    const mallory = await testIdentity('Mallory')
    const forged = signRequest(
      newRequestBody(teamId, { ...asked, operation: 'aws.session' }, new Date()),
      {
        signingKey: me.signingKey,
        key: mallory.key,
      },
    )
    expect(await answerTo(forged)).toMatch(/signature does not match its requester/)

    const stale = signRequest(
      newRequestBody(
        teamId,
        { ...asked, operation: 'aws.session' },
        new Date(Date.now() - 120_000),
      ),
      me,
    )
    expect(await answerTo(stale)).toMatch(/^the request is stale: issued at/)

    // A request answered, then written again after its rows were removed (as a superuser can),
    // or under another id: refused, and no second session is issued.
    const first = signRequest(
      newRequestBody(teamId, { ...asked, operation: 'aws.session' }, new Date()),
      me,
    )
    expect(await answerTo(first)).toBeUndefined()
    const sessions = sts.issued.length
    await team.dbaEdit(`DELETE FROM bridgekeep.answers WHERE request_id = '${first.id}'`)
    await team.dbaEdit(`DELETE FROM bridgekeep.requests WHERE id = '${first.id}'`)
    expect(await answerTo(first)).toMatch(/answered before: a request is used once/)
    const moved = { ...first, id: crypto.randomUUID() }
    expect(await answerTo(moved)).toMatch(/signature does not match its requester/)
    expect(sts.issued.length).toBe(sessions)
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

  it('row-level security and append-only hold for requests and answers', async () => {
    const infraId = (await ada.services.teams.init(TEAM_DATABASE, 'infra')).id
    await team.login('mallory_login')
    // The strongest role of the other team: row-level security, not a missing grant, refuses.
    await team.dba(`GRANT ${teamRoleNames(teamRoleName(infraId)).admin} TO mallory_login`)
    const [asCarol, asMallory] = [
      await team.client('carol_login'),
      await team.client('mallory_login'),
    ]
    try {
      const teamsIn = async (c: typeof asCarol, table: string) =>
        (await c.query(`SELECT DISTINCT team_id FROM bridgekeep.${table}`)).rows.map(
          (r) => r.team_id,
        )
      for (const table of ['requests', 'answers']) {
        expect(await teamsIn(asCarol, table)).toEqual([teamId])
        expect(await teamsIn(asMallory, table)).toEqual([])
      }
      const forged = signRequest(
        newRequestBody(teamId, { ...asked, operation: 'aws.session' }, new Date()),
        await signer(carol),
      )
      await expect(
        asMallory.query(
          'INSERT INTO bridgekeep.requests (team_id, id, requester, body, signature) VALUES ($1, $2, $3, $4, $5)',
          [forged.teamId, forged.id, forged.requester, forged.body, forged.signature],
        ),
      ).rejects.toMatchObject({
        code: '42501',
        message: expect.stringContaining('row-level security'),
      })
      await expect(
        asCarol.query('UPDATE bridgekeep.answers SET body = body'),
      ).rejects.toMatchObject({
        code: '42501',
      })
    } finally {
      await asCarol.end()
      await asMallory.end()
    }
    const owner = await team.client('bk_owner')
    try {
      for (const statement of [
        'DELETE FROM bridgekeep.answers',
        'UPDATE bridgekeep.requests SET body = body',
      ])
        await expect(owner.query(statement)).rejects.toMatchObject({
          message: expect.stringContaining('append-only'),
        })
    } finally {
      await owner.end()
    }
  })

  it('a restarted runner still refuses a request it answered (the team audit, or its own vault audit, remembers)', async () => {
    const request = signRequest(
      newRequestBody(teamId, { ...asked, operation: 'aws.session' }, new Date()),
      await signer(carol),
    )
    expect(await answerTo(request)).toBeUndefined()
    stop.abort()
    await serving
    await team.dbaEdit(`DELETE FROM bridgekeep.answers WHERE request_id = '${request.id}'`)
    await team.dbaEdit(`DELETE FROM bridgekeep.requests WHERE id = '${request.id}'`)
    await startRunner()
    expect(await answerTo(request)).toMatch(/answered before: a request is used once/)

    // The DBA also deletes the newest team audit entries, where the restarted runner looked:
    // its own vault's trail (team.answer) still names the request.
    const hidden = signRequest(
      newRequestBody(teamId, { ...asked, operation: 'aws.session' }, new Date()),
      await signer(carol),
    )
    expect(await answerTo(hidden)).toBeUndefined()
    stop.abort()
    await serving
    const sessions = sts.issued.length
    await team.dbaEdit(`DELETE FROM bridgekeep.answers WHERE request_id = '${hidden.id}'`)
    await team.dbaEdit(`DELETE FROM bridgekeep.requests WHERE id = '${hidden.id}'`)
    await team.dbaEdit(`DELETE FROM bridgekeep.audit WHERE body LIKE '%${hidden.id}%'`)
    await startRunner()
    expect(await answerTo(hidden)).toMatch(/answered before: a request is used once/)
    expect(sts.issued.length).toBe(sessions)
  })

  it('refuses to open a team connection from a log cut back below what the runner verified', async () => {
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
    stop.abort()
    await serving
    await expect(
      carol.services.teamRunner.credentials('platform', asked, { timeoutMs: 1500 }),
    ).rejects.toMatchObject({
      code: 'RUNNER_TIMEOUT',
      message: 'No team runner of platform answered within 2 s.',
      hint: expect.stringContaining('bridgekeep team runner'),
    })
  })

  it('never puts a long-lived secret or an issued one in a table, the WAL, the log or an audit trail', async () => {
    const canaries = [
      user.secretAccessKey,
      ...sts.issued.flatMap((s) => [s.secretAccessKey, s.sessionToken!]),
    ]
    expect(canaries.length).toBeGreaterThan(3)
    const texts = await team.everything()
    for (const vault of [ada, bob, carol]) {
      const raw = new BetterSqlite3(vault.services.vault.path, { readonly: true })
      texts.push(JSON.stringify(raw.prepare('SELECT * FROM audit_log').all()))
      raw.close()
      texts.push(JSON.stringify(vault.log.lines))
    }
    expect(readFileSync(team.server.logFile, 'utf8')).toContain('INSERT INTO bridgekeep.answers')
    for (const secret of canaries)
      for (const [i, text] of texts.entries())
        expect(text.includes(secret), `canary ${secret.slice(0, 4)}… in text ${i}`).toBe(false)
  })
})

/** Ada's vault as the team's runner, in this process, once it listens. */
async function startRunner(): Promise<void> {
  stop = new AbortController()
  let listening!: () => void
  const ready = new Promise<void>((resolve) => (listening = resolve))
  serving = ada.services.teamRunner.serve('platform', {
    signal: stop.signal,
    // No poll within any test's time: every answer here comes through LISTEN/NOTIFY (the CLI's
    // test shows the poll answering a request whose notification never came).
    pollMs: 600_000,
    onListening: () => listening(),
  })
  await ready
}

const actions = (v: Vault) => v.services.audit.query({ limit: 200 }).entries.map((e) => e.action)

async function teamAuditKinds(): Promise<string[]> {
  const { rows } = await team.dba('SELECT kind FROM bridgekeep.audit WHERE team_id = $1', [teamId])
  return rows.map((r) => r.kind)
}

async function signer(v: Vault) {
  const me = await v.services.sharing.localIdentity()
  return { signingKey: me.address.signingKey, key: me.signingKey }
}

/** Writes `request` as `login` and waits for the runner's answer: its refusal reason, if any. */
async function answerTo(request: RequestRow, login = 'carol_login'): Promise<string | undefined> {
  const client = await team.client(login)
  try {
    await client.query(
      'INSERT INTO bridgekeep.requests (team_id, id, requester, body, signature) VALUES ($1, $2, $3, $4, $5)',
      [request.teamId, request.id, request.requester, request.body, request.signature],
    )
  } finally {
    await client.end()
  }
  for (let waited = 0; waited < 10_000; waited += 100) {
    const { rows } = await team.dba(
      'SELECT team_id, request_id, runner, body, signature, status FROM bridgekeep.answers WHERE request_id = $1',
      [request.id],
    )
    if (rows[0]) {
      const read = readAnswer(
        {
          teamId: rows[0].team_id,
          requestId: rows[0].request_id,
          runner: rows[0].runner,
          body: rows[0].body,
          signature: rows[0].signature,
          status: rows[0].status,
        },
        request,
      )
      if ('problem' in read) throw new Error(read.problem)
      expect(rows[0].runner).toBe((await signer(ada)).signingKey)
      return read.body.reason
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no answer to ${request.id}`)
}

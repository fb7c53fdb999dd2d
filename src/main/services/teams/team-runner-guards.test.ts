import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StsFixture } from '../../../../test/fixtures/sts'
import { runnerWorld, signer, type Vault } from '../../../../test/team-runner-world'
import { TEAM_DATABASE, type TeamServer } from '../../../../test/teams'
import { teamRoleName, teamRoleNames } from '../../db/team-migrations'
import { newRequestBody, signRequest } from './team-requests'
import { testIdentity } from './team-test-support'

// What guards a team runner's requests, through a real PostgreSQL with the runner in this
// process: a forged, stale or replayed request is refused with a signed reason (a restarted
// runner too), and row-level security and append-only hold for requests and answers.

let team: TeamServer
let sts: StsFixture
let ada: Vault
let carol: Vault
let teamId: string
const world = runnerWorld({
  userId: 'AIDAEXAMPLEUSER000024',
  members: [{ name: 'Carol', login: 'carol_login', role: 'use-only' }],
})
const { answerTo, startRunner, stopRunner } = world
const asked = { connection: 'prod-aws', environment: 'development' }

beforeAll(async () => {
  ;({
    team,
    sts,
    teamId,
    ada,
    members: [carol],
  } = await world.start())
}, 120_000)
afterAll(() => world.stop())

describe('the guards of a team runner on a real PostgreSQL', { timeout: 60_000 }, () => {
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
    await stopRunner()
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
    await stopRunner()
    const sessions = sts.issued.length
    await team.dbaEdit(`DELETE FROM bridgekeep.answers WHERE request_id = '${hidden.id}'`)
    await team.dbaEdit(`DELETE FROM bridgekeep.requests WHERE id = '${hidden.id}'`)
    await team.dbaEdit(`DELETE FROM bridgekeep.audit WHERE body LIKE '%${hidden.id}%'`)
    await startRunner()
    expect(await answerTo(hidden)).toMatch(/answered before: a request is used once/)
    expect(sts.issued.length).toBe(sessions)
  })

  it('never puts a long-lived secret or an issued one in a table, the WAL, the log or an audit trail', () =>
    world.expectNoSecretAnywhere([ada, carol]))
})

import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { teamSessionSchema } from '../../shared/team-connections'
import type { StsFixture } from '../../../test/fixtures/sts'
import { awsSessionOf } from '../services/teams/team-test-support'
import { runnerWorld, type Vault } from '../../../test/team-runner-world'
import type { TeamServer } from '../../../test/teams'

/**
 * `teams:credentials` as the Connections tab calls it, on a real PostgreSQL with Ada's vault as
 * the team runner in this process (her AWS connection at a loopback STS that checks SigV4):
 * Carol (use-only) gets a session STS accepts; bad input, a refusal and no runner are each said
 * in words; the long-lived secret is in no answer, log or audit entry.
 */
let team: TeamServer
let sts: StsFixture
let ada: Vault
let carol: Vault
const world = runnerWorld({
  userId: 'AIDAEXAMPLEUSER000031',
  members: [{ name: 'Carol', login: 'carol_login', role: 'use-only' }],
})
const { user } = world
const asked = { team: 'platform', name: 'prod-aws', environment: 'development' }

beforeAll(async () => {
  ;({
    team,
    sts,
    ada,
    members: [carol],
  } = await world.start())
}, 120_000)
afterAll(() => world.stop())

describe('the teams:credentials channel', { timeout: 60_000 }, () => {
  it('refuses bad input field by field, before any request is written', async () => {
    const blank = await carol.call('teams:credentials', { ...asked, environment: ' ' })
    expect(blank).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [expect.objectContaining({ field: 'environment' })] },
    })
    expect(await carol.call('teams:credentials', { ...asked, timeoutSeconds: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    })
    const { rows } = await team.dba('SELECT count(*)::int AS n FROM bridgekeep.requests')
    expect(rows[0].n).toBe(0)
  })

  it('gives a use-only member a 15-minute session that STS accepts', async () => {
    const answer = await carol.call('teams:credentials', asked)
    if (!answer.ok) throw new Error(answer.error.message)
    const session = awsSessionOf(teamSessionSchema.parse(answer.value))
    expect(session).toMatchObject({ runner: 'Ada', accessKeyId: expect.stringMatching(/^ASIA/) })
    expect(Date.parse(session.expiration) - Date.now()).toBeLessThanOrEqual(900_000)
    expect(session.secretAccessKey).not.toBe(user.secretAccessKey)
    const client = new STSClient({
      region: 'eu-west-1',
      endpoint: sts.url,
      credentials: { ...session, expiration: new Date(session.expiration) },
      maxAttempts: 1,
    })
    try {
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(user.arn)
    } finally {
      client.destroy()
    }
    const audit = carol.services.audit.query({ limit: 50 }).entries
    expect(audit.find((e) => e.action === 'team.credentials')).toMatchObject({
      outcome: 'success',
    })
  })

  it("says the runner's refusal in its words", async () => {
    expect(
      await carol.call('teams:credentials', { ...asked, environment: 'production' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'RUNNER_REFUSED',
        message: expect.stringContaining('not authorized for environment production'),
      },
    })
  })

  it('says so, with what to do, when no runner answers in time', async () => {
    await world.stopRunner()
    expect(await carol.call('teams:credentials', { ...asked, timeoutSeconds: 2 })).toMatchObject({
      ok: false,
      error: {
        code: 'RUNNER_TIMEOUT',
        message: 'No team runner of platform answered within 2 s.',
        hint: expect.stringContaining('bridgekeep team runner'),
      },
    })
  })

  it('puts no long-lived secret, nor an issued one, in a log or an audit entry', async () => {
    const secrets = [
      user.secretAccessKey,
      ...sts.issued.flatMap((s) => [s.secretAccessKey, s.sessionToken!]),
    ]
    expect(secrets.length).toBeGreaterThanOrEqual(3)
    for (const vault of [ada, carol]) {
      const texts = [
        JSON.stringify(vault.log.lines),
        JSON.stringify(vault.services.audit.query({ limit: 200 }).entries),
      ]
      for (const secret of secrets)
        for (const text of texts) expect(text.includes(secret)).toBe(false)
    }
  })
})

import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { teamRoleName, teamRoleNames } from '../db/team-migrations'
import { teamOfThree, type TeamOfThree } from '../../../test/team-connections'
import { unlockedServices } from '../../../test/services'

/**
 * The team connection channels as the Teams page calls them, on a real PostgreSQL with three
 * vaults (Ada admin, Bob member, Carol use-only): push, sync, the copy's list with this vault's
 * role, the matrix, a conflict shown with the other version, and no secret in any answer.
 */
let t: TeamOfThree
beforeAll(async () => {
  t = await teamOfThree()
}, 120_000)
afterAll(() => t?.team.server.stop())

describe('team connection IPC channels', { timeout: 60_000 }, () => {
  it('refuses bad input field by field, and an unknown team with what to do', async () => {
    const { call } = await unlockedServices()
    const blank = await call('teams:push', { team: 'platform', connection: ' ' })
    expect(blank).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', issues: [expect.objectContaining({ field: 'connection' })] },
    })
    expect(
      await call('teams:setEnvironments', { team: 'platform', name: 'app-db', grant: ['x'] }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await call('teams:connections', { team: 'platform' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'This vault is in no team space named platform.' },
    })
  })

  it('pushes, syncs, lists with the role, changes the matrix; use-only sees names only', async () => {
    const password = t.appDb(t.ada, 'app-db')
    const answers: unknown[] = []
    const call = async (vault: typeof t.ada, name: string, input: unknown) => {
      const answer = await vault.call(name as 'teams:sync', input as { team: string })
      answers.push(answer)
      return answer
    }
    expect(
      await call(t.ada, 'teams:push', {
        team: 'platform',
        connection: 'app-db',
        environments: ['staging'],
      }),
    ).toEqual({
      ok: true,
      value: {
        team: 'platform',
        name: 'app-db',
        version: 1,
        created: true,
        environments: ['staging'],
      },
    })
    // Bob's copy before a sync: nothing yet, not even his role; it says it never synced.
    expect(await call(t.bob, 'teams:connections', { team: 'platform' })).toMatchObject({
      ok: true,
      value: { syncedAt: null, connections: [], you: null },
    })
    expect(await call(t.bob, 'teams:sync', { team: 'platform' })).toMatchObject({
      ok: true,
      value: { team: 'platform', connections: 1, warnings: [] },
    })
    const bobs = await call(t.bob, 'teams:connections', { team: 'platform' })
    expect(bobs).toMatchObject({
      ok: true,
      value: {
        syncedAt: expect.any(String),
        you: 'member',
        connections: [
          {
            name: 'app-db',
            provider: 'postgres',
            version: 1,
            environments: ['staging'],
            updatedBy: 'Ada',
            fields: expect.objectContaining({ host: 'db.internal.example' }),
          },
        ],
      },
    })
    // A member may not change the matrix or push: refused by the service, nothing written.
    expect(
      await call(t.bob, 'teams:setEnvironments', {
        team: 'platform',
        name: 'app-db',
        allow: ['production'],
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    // Carol (use-only) syncs and sees the name, no field.
    await call(t.carol, 'teams:sync', { team: 'platform' })
    const carols = await call(t.carol, 'teams:connections', { team: 'platform' })
    expect(carols).toMatchObject({
      ok: true,
      value: { you: 'use-only', connections: [{ name: 'app-db', fields: {} }] },
    })

    // Ada denies staging and allows production: Bob's sync shows it.
    expect(
      await call(t.ada, 'teams:setEnvironments', {
        team: 'platform',
        name: 'app-db',
        allow: ['production'],
        deny: ['staging'],
      }),
    ).toEqual({
      ok: true,
      value: { team: 'platform', name: 'app-db', environments: ['production'], changed: true },
    })
    await call(t.bob, 'teams:sync', { team: 'platform' })
    expect(await call(t.bob, 'teams:connections', { team: 'platform' })).toMatchObject({
      ok: true,
      value: { connections: [{ name: 'app-db', environments: ['production'] }] },
    })
    expect(JSON.stringify(answers)).not.toContain(password)
  })

  it('shows a conflict with the other version: who wrote it, when, and what differs', async () => {
    await t.team.login('dan_login')
    await t.team.dba(`GRANT ${teamRoleNames(teamRoleName(t.teamId)).admin} TO dan_login`)
    const dan = await t.newMember('Dan', 'dan_login', 'admin')
    t.appDb(dan, 'app-db', 'dan-db.internal.example')
    expect(await dan.call('teams:sync', { team: 'platform' })).toMatchObject({ ok: true })
    // Ada changes the password and pushes it as a new version Dan has not synced (a push of
    // what the team already holds writes nothing); Dan's push over it is refused.
    const adaDb = t.ada.services.connections.list().find((c) => c.name === 'app-db')!
    t.ada.services.connections.rotate({ id: adaDb.id, secrets: { password: `pw-${randomUUID()}` } })
    expect(
      await t.ada.call('teams:push', { team: 'platform', connection: 'app-db' }),
    ).toMatchObject({ ok: true, value: { version: 2, created: false } })
    const refused = await dan.call('teams:push', { team: 'platform', connection: 'app-db' })
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringMatching(
          /at version 2, written by Ada at .*this vault last synced version 1.*host: "db\.internal\.example" \/ "dan-db\.internal\.example"/,
        ),
        hint: expect.stringContaining('team sync'),
      },
    })
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { teamOfThree, type TeamOfThree } from '../../../../test/team-connections'

// Removing a connection from a team on a real PostgreSQL: Ada (admin) removes, Bob (member) and
// Carol (use-only) see it go from their copies on their next sync.

let t: TeamOfThree

beforeAll(async () => {
  t = await teamOfThree()
}, 120_000)
afterAll(() => t?.team.server.stop())

const names = (vault: TeamOfThree['ada']) =>
  vault.services.teamConnections.list('platform').connections.map((c) => c.name)

describe('team rm: a signed connection.remove', { timeout: 60_000 }, () => {
  it('an admin removes a connection; members drop it on sync; its id never comes back', async () => {
    const { ada, bob, carol } = t
    t.appDb(ada, 'app-db')
    t.appDb(ada, 'other-db')
    for (const name of ['app-db', 'other-db'])
      await ada.services.teamConnections.push('platform', name, { environments: ['staging'] })
    for (const vault of [bob, carol]) await vault.services.teamConnections.sync('platform')
    const before = bob.services.teamConnections
      .list('platform')
      .connections.find((c) => c.name === 'app-db')!

    await expect(bob.services.teamConnections.remove('platform', 'app-db')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Only admins of platform can remove connections'),
    })
    await expect(ada.services.teamConnections.remove('platform', 'nope')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Team platform has no connection named nope.',
    })

    expect(await ada.services.teamConnections.remove('platform', 'APP-DB')).toEqual({
      team: 'platform',
      name: 'app-db',
      version: 1,
    })
    expect(names(ada)).toEqual(['other-db'])
    // Bob's copy keeps it until he syncs; his online use already refuses it.
    expect(names(bob)).toEqual(['app-db', 'other-db'])
    await expect(
      bob.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Team platform has no connection named app-db.',
    })
    for (const vault of [bob, carol]) {
      expect(await vault.services.teamConnections.sync('platform')).toMatchObject({
        connections: 1,
        warnings: [],
      })
      expect(names(vault)).toEqual(['other-db'])
    }
    expect(
      (await bob.services.teamConnections.open('platform', 'other-db', 'staging')).secrets,
    ).toBeDefined()

    // In the signed log, the team's audit trail and Ada's own trail; the log verifies clean.
    const { rows } = await t.team.dba(
      "SELECT c.kind AS change, a.body FROM bridgekeep.changes c, bridgekeep.audit a WHERE c.team_id = $1 AND a.team_id = $1 AND c.kind = 'connection.remove' AND a.kind = 'connection.remove'",
      [t.teamId],
    )
    expect(rows.map((r) => JSON.parse(r.body).detail)).toEqual(['app-db version 1'])
    const entry = ada.services.audit
      .query({ limit: 20 })
      .entries.find((e) => e.action === 'team.rm')
    expect(entry).toMatchObject({ outcome: 'success', detail: 'app-db version 1' })
    expect((await bob.services.teams.verify('platform')).warnings).toEqual([])

    // Pushed again, it is a new connection (a new id, version 1), never the removed one back.
    const again = await ada.services.teamConnections.push('platform', 'app-db', {
      environments: ['staging'],
    })
    expect(again).toMatchObject({ version: 1, created: true })
    await bob.services.teamConnections.sync('platform')
    const back = bob.services.teamConnections
      .list('platform')
      .connections.find((c) => c.name === 'app-db')!
    expect(back.id).not.toBe(before.id)
  })
})

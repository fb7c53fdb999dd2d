import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  addressOf,
  dbaEdit,
  fingerprintOf,
  signingKeyOf,
  teamOfThree,
  type TeamOfThree,
} from '../../../../test/team-connections'
import { unlockedServices } from '../../../../test/services'
import { TEAM_DATABASE, teamDbConnection } from '../../../../test/teams'
import { TeamStore } from './team-database-repository'
import { forgetReplay } from './team-replay-memory'

let t: TeamOfThree

/** Ada pushes app-db twice (versions 1 and 2) and ci-db once, before Dan is invited. */
beforeAll(async () => {
  t = await teamOfThree()
  const { ada } = t
  t.appDb(ada, 'app-db')
  t.appDb(ada, 'ci-db')
  await ada.services.teamConnections.push('platform', 'app-db', { environments: ['staging'] })
  await ada.services.teamConnections.push('platform', 'ci-db', { environments: ['staging'] })
  const local = ada.services.connections.findByRef('app-db')
  ada.services.connections.update({ id: local.id, values: { database: 'app2' } })
  expect((await ada.services.teamConnections.push('platform', 'app-db')).version).toBe(2)
}, 120_000)
afterAll(() => t?.team.server.stop())
afterEach(() => vi.restoreAllMocks())

/** The versions a vault's copy keeps sealed rows of, as `name@version`. */
function sealedInCopy(vault: TeamOfThree['ada']): string[] {
  const names = new Map(
    vault.services.teamConnections.list('platform').connections.map((c) => [c.id, c.name] as const),
  )
  const rows = vault.services.vault
    .database()
    .prepare('SELECT connection_id AS id, version FROM team_sealed_cache WHERE team_id = ?')
    .all(t.teamId) as { id: string; version: number }[]
  return rows.map((r) => `${names.get(r.id) ?? r.id}@${r.version}`).sort()
}

describe("a new member's first sync", { timeout: 60_000 }, () => {
  it('reads the change log once, to join; the first sync reads only what came after', async () => {
    const dan = await unlockedServices()
    await dan.services.sharing.setName({ name: 'Dan' })
    teamDbConnection(dan.services, t.team, 'bob_login')
    await t.ada.services.teams.invite('platform', await addressOf(dan), 'member', 'Dan')
    const whole = vi.spyOn(TeamStore.prototype, 'changes')
    const from = vi.spyOn(TeamStore.prototype, 'changesFrom')
    const reads = () => [whole.mock.calls.length, from.mock.calls.length]
    await dan.services.teams.join(TEAM_DATABASE, 'platform', await fingerprintOf(t.ada))
    // The founder pinned and the log verified from one read, kept for the first sync.
    expect(reads()).toEqual([1, 0])
    // Nothing to list or use before that sync, not even a role.
    expect(dan.services.teamConnections.list('platform')).toMatchObject({
      syncedAt: null,
      connections: [],
    })
    expect((await dan.services.teamConnections.listForMe('platform')).you).toBeNull()
    // Ada writes meanwhile: the first sync reads the rows after the join's, and adds them.
    await t.ada.services.teamConnections.setEnvironments('platform', 'ci-db', { allow: ['dev'] })
    whole.mockClear()
    from.mockClear()
    const synced = await dan.services.teamConnections.sync('platform')
    expect(synced).toMatchObject({ connections: 2, warnings: [] })
    expect(reads()).toEqual([0, 1])
    const inAda = t.ada.services.teamConnections.list('platform')
    expect(dan.services.teamConnections.list('platform').connections).toEqual(inAda.connections)
    expect(sealedInCopy(dan)).toEqual(['app-db@2', 'ci-db@1'])
    const opened = await dan.services.teamConnections.open('platform', 'app-db', 'staging')
    expect(opened.connection.version).toBe(2)
    expect((await dan.services.teamConnections.open('platform', 'ci-db', 'dev')).offline).toBe(
      false,
    )
    expect(reads()).toEqual([0, 3])
  })

  it('a first sync in a new process (no replay in memory) reads and stores the whole log', async () => {
    const erin = await t.newMember('Erin', 'bob_login', 'member')
    forgetReplay({ teamId: t.teamId, founderKey: await signingKeyOf(t.ada) })
    const whole = vi.spyOn(TeamStore.prototype, 'changes')
    expect(await erin.services.teamConnections.sync('platform')).toMatchObject({
      connections: 2,
      warnings: [],
    })
    expect(whole).toHaveBeenCalledTimes(1)
    expect(erin.services.teamConnections.list('platform').connections).toEqual(
      t.ada.services.teamConnections.list('platform').connections,
    )
  })

  it('still names a current version whose sealed row was changed, and ignores older ones', async () => {
    const { rows } = await t.team.dba(
      `SELECT connection_id, version, ciphertext FROM bridgekeep.sealed_secrets
        WHERE team_id = $1 ORDER BY connection_id, version`,
      [t.teamId],
    )
    const sealed = rows as { connection_id: string; version: number; ciphertext: Buffer }[]
    const old = sealed.find((r) =>
      sealed.some((o) => o.connection_id === r.connection_id && o.version > r.version),
    )!
    const current = sealed.find((r) => r.connection_id === old.connection_id && r !== old)!
    const setCiphertext = (row: typeof old, ciphertext: Buffer) =>
      dbaEdit(
        t.team,
        'UPDATE bridgekeep.sealed_secrets SET ciphertext = $1 WHERE connection_id = $2 AND version = $3',
        [ciphertext, row.connection_id, row.version],
      )
    const dan = await t.newMember('Fay', 'bob_login', 'member')
    try {
      // An old version is not read by a first sync: its row edited changes nothing.
      await setCiphertext(old, Buffer.from('not what was sealed'))
      expect((await dan.services.teamConnections.sync('platform')).warnings).toEqual([])
      await setCiphertext(current, old.ciphertext)
      expect((await dan.services.teamConnections.sync('platform')).warnings).toEqual([
        expect.stringContaining(
          'Team connection "app-db" version 2: its sealed secrets do not match its signed change',
        ),
      ])
      await expect(
        dan.services.teamConnections.open('platform', 'app-db', 'staging'),
      ).rejects.toMatchObject({ code: 'TEAM_TAMPERED' })
    } finally {
      await setCiphertext(old, old.ciphertext)
      await setCiphertext(current, current.ciphertext)
    }
    expect((await dan.services.teamConnections.sync('platform')).warnings).toEqual([])
  })
})

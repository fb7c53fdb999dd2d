import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { teamOfThree, type TeamOfThree } from '../../../test/team-connections'
import { createLogger, type LogLine } from '../log'
import { TeamWatches } from './team-watches'

/**
 * The app's watch of every joined team, on a real PostgreSQL: Ada's change reaches Bob's window
 * as a `teams:changed` push within a second (LISTEN/NOTIFY, the poll is far too slow for it), a
 * dropped connection is logged once and opened again, and locking closes every watch.
 */
let t: TeamOfThree
beforeAll(async () => {
  t = await teamOfThree()
}, 120_000)
afterAll(() => t?.team.server.stop())

describe('the app watching its teams', { timeout: 60_000 }, () => {
  it("pushes another member's change within a second, survives a dropped connection, stops on lock", async () => {
    t.appDb(t.ada, 'app-db')
    await t.ada.services.teamConnections.push('platform', 'app-db', { environments: ['staging'] })
    const { services } = t.bob
    const pushes: { at: number; team: string }[] = []
    services.events.connect((channel, payload) => {
      if (channel === 'teams:changed')
        pushes.push({ at: Date.now(), ...(payload as { team: string }) })
    })
    const logged: LogLine[] = []
    const watches = new TeamWatches({
      services,
      log: createLogger((line) => logged.push(line)),
      pollMs: 300,
      retryMs: 100,
    })
    try {
      // The first read brings Ada's push into Bob's copy, and says so once.
      await expect.poll(() => pushes.length, { timeout: 5_000 }).toBe(1)
      expect(pushes[0]!.team).toBe('platform')
      expect(services.teamConnections.list('platform').connections[0]?.name).toBe('app-db')
      // Quiet polls find nothing new: no push for them.
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(pushes).toHaveLength(1)

      const written = Date.now()
      await t.ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['dev'] })
      await expect.poll(() => pushes.length, { interval: 20, timeout: 1_000 }).toBe(2)
      expect(pushes[1]!.at - written).toBeLessThan(1_000)
      expect(services.teamConnections.list('platform').connections[0]?.environments).toEqual([
        'dev',
        'staging',
      ])

      // The database drops Bob's connections: logged once, opened again, and changes flow again.
      await t.team.dba(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'bob_login'",
        [],
      )
      await expect
        .poll(() => logged.some((l) => l.event === 'team.watch' && l.fields.state === 'back'), {
          timeout: 10_000,
        })
        .toBe(true)
      expect(logged.filter((l) => l.level === 'warn')).toHaveLength(1)
      expect(logged[0]).toMatchObject({ fields: { team: 'platform', state: 'retrying later' } })
      await t.ada.services.teamConnections.setEnvironments('platform', 'app-db', { deny: ['dev'] })
      await expect.poll(() => pushes.length, { timeout: 2_000 }).toBe(3)

      // Locked: every watch ends and its connection closes; Ada's change pushes nothing now.
      const bobConnections = async () =>
        Number(
          (
            await t.team.dba(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE usename = 'bob_login'",
              [],
            )
          ).rows[0].n,
        )
      expect(await bobConnections()).toBeGreaterThan(0)
      services.vaultLifecycle.lock()
      await expect.poll(bobConnections, { timeout: 5_000 }).toBe(0)
      await t.ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['qa'] })
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      expect(pushes).toHaveLength(3)
      // Unlocked again: the team is watched again, and the change missed meanwhile comes in.
      await services.vaultLifecycle.unlock({ method: 'keychain' })
      await expect.poll(() => pushes.length, { timeout: 5_000 }).toBe(4)
      expect(services.teamConnections.list('platform').connections[0]?.environments).toEqual([
        'qa',
        'staging',
      ])
    } finally {
      await watches.stop()
    }
  })
})

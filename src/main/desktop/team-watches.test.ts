import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addressOf,
  fingerprintOf,
  teamOfThree,
  type TeamOfThree,
} from '../../../test/team-connections'
import { TEAM_DATABASE } from '../../../test/teams'
import { teamRoleName, teamRoleNames } from '../db/team-migrations'
import { createLogger, memoryLogger, type LogLine } from '../log'
import { MemoryKeyStore } from '../security/keystore'
import { createServices, type Services } from '../services'
import { MemoryClipboard } from '../services/clipboard/secret-clipboard'
import { TeamWatches } from './team-watches'
import { VaultDataWatch } from './vault-data-watch'

/**
 * The app's watch of every joined team, on a real PostgreSQL: Ada's change reaches Bob's window
 * as a `teams:changed` push (LISTEN/NOTIFY; that a notification alone brings it, with the poll far
 * off, is in team-connections.test.ts), a dropped connection is logged once and opened again, and
 * locking closes every watch. A team created or joined is watched at once: no timer reads the list
 * of teams, pushes do. What must happen is waited for with a generous deadline (a loaded machine
 * is slow to connect and verify), never timed.
 */
/** Longer than anything here takes on a loaded machine; shorter than the watch's 30 s fallback poll. */
const SOON = { timeout: 20_000 }
let t: TeamOfThree
beforeAll(async () => {
  t = await teamOfThree()
}, 120_000)
afterAll(() => t?.team.server.stop())

describe('the app watching its teams', { timeout: 60_000 }, () => {
  it("pushes another member's change, survives a dropped connection, stops on lock", async () => {
    t.appDb(t.ada, 'app-db')
    await t.ada.services.teamConnections.push('platform', 'app-db', { environments: ['staging'] })
    const { services } = t.bob
    const pushes: { team: string }[] = []
    services.events.connect((channel, payload) => {
      if (channel === 'teams:changed') pushes.push(payload as { team: string })
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
      await expect.poll(() => pushes.length, SOON).toBe(1)
      expect(pushes[0]!.team).toBe('platform')
      expect(services.teamConnections.list('platform').connections[0]?.name).toBe('app-db')
      // Quiet polls find nothing new: no push for them.
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect(pushes).toHaveLength(1)

      await t.ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['dev'] })
      await expect.poll(() => pushes.length, SOON).toBe(2)
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
        .poll(() => logged.some((l) => l.event === 'team.watch' && l.fields.state === 'back'), SOON)
        .toBe(true)
      expect(logged.filter((l) => l.level === 'warn')).toHaveLength(1)
      expect(logged[0]).toMatchObject({ fields: { team: 'platform', state: 'retrying later' } })
      await t.ada.services.teamConnections.setEnvironments('platform', 'app-db', { deny: ['dev'] })
      await expect.poll(() => pushes.length, SOON).toBe(3)

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
      await expect.poll(bobConnections, SOON).toBe(0)
      await t.ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['qa'] })
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      expect(pushes).toHaveLength(3)
      // Unlocked again: the team is watched again, and the change missed meanwhile comes in.
      await services.vaultLifecycle.unlock({ method: 'keychain' })
      await expect.poll(() => pushes.length, SOON).toBe(4)
      expect(services.teamConnections.list('platform').connections[0]?.environments).toEqual([
        'qa',
        'staging',
      ])
    } finally {
      await watches.stop()
    }
  })

  it("writes a watch's team.connect entry before the lock that ends it; none for one stopped before it opened", async () => {
    const { services } = t.bob
    const since = services.audit.query({ limit: 1 }).entries[0]!.id
    const pushes = changesOf(services)
    const watches = new TeamWatches({ services, log: memoryLogger() })
    try {
      await expect.poll(() => pushes.length, SOON).toBe(1)
      services.vaultLifecycle.lock()
      // Unlocked and at once locked again: the watch the unlock starts is stopped before its
      // connection opened (the lock's push comes in the same turn).
      await services.vaultLifecycle.unlock({ method: 'keychain' })
      services.vaultLifecycle.lock()
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      await services.vaultLifecycle.unlock({ method: 'keychain' })
      await expect.poll(() => pushes.length, SOON).toBe(2)
    } finally {
      await watches.stop()
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
    const trail = services.audit
      .query({ limit: 50 })
      .entries.filter((e) => e.id > since)
      .reverse()
      .map((e) => `${e.action} ${e.outcome} ${e.detail}`)
    const watched = 'team.connect success Watched team space platform'
    expect(trail).toEqual([
      watched,
      'vault.lock success Locked',
      'vault.unlock success With keychain',
      'vault.lock success Locked',
      'vault.unlock success With keychain',
      watched,
    ])
  })

  it('watches a team created through the service at once', async () => {
    const { services } = t.ada
    const pushes = changesOf(services)
    const watches = new TeamWatches({ services, log: memoryLogger() })
    try {
      await expect.poll(() => pushes.includes('platform'), SOON).toBe(true)
      await services.teams.init(TEAM_DATABASE, 'infra')
      // Its first read is pushed: there is no list check to wait for.
      await expect.poll(() => pushes.includes('infra'), SOON).toBe(true)
    } finally {
      await watches.stop()
    }
  })

  it('watches a team another process joined on the same vault, once the vault file changed', async () => {
    const ops = await t.ada.services.teams.init(TEAM_DATABASE, 'ops')
    await t.team.dba(`GRANT ${teamRoleNames(teamRoleName(ops.id)).member} TO bob_login`)
    await t.ada.services.teams.invite('ops', await addressOf(t.bob), 'member', 'Bob')
    const { services } = t.bob
    const pushes = changesOf(services)
    const dataWatch = new VaultDataWatch({ services, intervalMs: 100 })
    const watches = new TeamWatches({ services, log: memoryLogger() })
    // The CLI, as far as the vault file goes: its own connection to it, unlocked on its own.
    const cli = createServices({
      dataDir: t.bob.dataDir,
      appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'cli' },
      log: memoryLogger(),
      keyStore: new MemoryKeyStore(),
      clipboard: new MemoryClipboard(),
      env: {},
    })
    try {
      await expect.poll(() => pushes.includes('platform'), SOON).toBe(true)
      // The data watch's first look reads the file's version, which later commits are told apart
      // from: a push it makes shows that look was made.
      const looked = dataChangesOf(services)
      dataWatch.touched()
      await expect.poll(() => looked.length, SOON).toBeGreaterThan(0)
      await cli.vaultLifecycle.unlock({ method: 'recovery', recoveryKey: t.bob.recoveryKey })
      await cli.teams.join(TEAM_DATABASE, 'ops', await fingerprintOf(t.ada))
      await expect.poll(() => pushes.includes('ops'), SOON).toBe(true)
    } finally {
      cli.vault.close()
      dataWatch.stop()
      await watches.stop()
    }
  })
})

/** The `vault:dataChanged` pushes from now on. */
function dataChangesOf(services: Services): unknown[] {
  const pushes: unknown[] = []
  services.events.connect((channel, payload) => {
    if (channel === 'vault:dataChanged') pushes.push(payload)
  })
  return pushes
}

/** The teams named by `teams:changed` pushes from now on. */
function changesOf(services: Services): string[] {
  const teams: string[] = []
  services.events.connect((channel, payload) => {
    if (channel === 'teams:changed') teams.push((payload as { team: string }).team)
  })
  return teams
}

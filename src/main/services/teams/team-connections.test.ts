import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  signingKeyOf,
  teamOfThree,
  whereSecretsCouldBe,
  wrapsOf,
  type TeamOfThree,
  type TeamVault,
} from '../../../../test/team-connections'
import { TEAM_DB } from '../../../../test/teams'
import { closedPort } from '../../../../test/fixtures/loopback'
import { parseReferenceText } from '../../../shared/secret-reference'
import { actorOf } from './team-access'
import { TeamStore } from './team-database-repository'
import { appendChange, verifyTeam } from './team-session'

let t: TeamOfThree
let ada: TeamVault
let bob: TeamVault
let carol: TeamVault

beforeAll(async () => {
  t = await teamOfThree()
  ;({ ada, bob, carol } = t)
}, 120_000)
afterAll(() => t?.team.server.stop())

describe('connections in a team space on a real PostgreSQL', { timeout: 60_000 }, () => {
  let password: string

  it('an admin pushes a connection; a member syncs it and opens it where the matrix allows', async () => {
    password = t.appDb(ada, 'app-db')
    // A member's login listening: each change wakes it with the team's id (LISTEN/NOTIFY).
    const listener = await t.team.client('bob_login')
    const woken: string[] = []
    listener.on('notification', (n) => woken.push(`${n.channel}:${n.payload}`))
    await listener.query('LISTEN bridgekeep_changes')
    const pushed = await ada.services.teamConnections.push(undefined, 'app-db', {
      environments: ['Staging'],
    })
    expect(pushed).toEqual({
      team: 'platform',
      name: 'app-db',
      version: 1,
      created: true,
      unchanged: false,
      environments: ['staging'],
    })
    // The put and the matrix change (the server's notifications may take a moment under load).
    await expect.poll(() => woken.length, { timeout: 20_000 }).toBe(2)
    expect(new Set(woken)).toEqual(new Set([`bridgekeep_changes:${t.teamId}`]))
    await listener.end()
    // Before a sync, the member's copy is empty: it lists nothing.
    expect(bob.services.teamConnections.list('platform').connections).toEqual([])
    const synced = await bob.services.teamConnections.sync('platform')
    expect(synced).toMatchObject({ team: 'platform', connections: 1, warnings: [] })
    const [listed] = bob.services.teamConnections.list('platform').connections
    expect(listed).toMatchObject({
      name: 'app-db',
      provider: 'postgres',
      version: 1,
      environments: ['staging'],
      updatedBy: 'Ada',
      fields: { host: 'db.internal.example', database: 'app', user: 'app' },
    })
    expect(listed).not.toHaveProperty('problem')
    expect(JSON.stringify(listed)).not.toContain(password)

    const opened = await bob.services.teamConnections.open('platform', 'APP-DB', 'staging')
    expect(opened.secrets).toEqual({ password })
    expect(opened).toMatchObject({ offline: false, environment: 'staging' })
    // The key went to full members only: Ada and Bob, never Carol (use-only).
    expect((await wrapsOf(t.team, 'app-db', 1)).map((w) => w.recipient).sort()).toEqual(
      [await signingKeyOf(ada), await signingKeyOf(bob)].sort(),
    )
    const uses = await t.team.dba(
      "SELECT body FROM bridgekeep.audit WHERE team_id = $1 AND kind = 'connection.use'",
      [t.teamId],
    )
    expect(uses.rows.map((r) => JSON.parse(r.body).detail)).toEqual(['app-db version 1 in staging'])
    const actions = bob.services.audit.query({ limit: 50 }).entries.map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['team.sync', 'team.use']))
    expect(ada.services.audit.query({ limit: 50 }).entries.map((e) => e.action)).toContain(
      'team.push',
    )
  })

  it("another member's change is in a watching vault's copy by the notification, not the poll", async () => {
    const synced: { connections: number; warnings: string[] }[] = []
    // A poll far off (10 min): only the notification can bring a change within the deadline
    // below, which is generous for a loaded machine.
    const watch = bob.services.teamConnections.watch('platform', (r) => synced.push(r), {
      pollMs: 600_000,
    })
    const soon = { timeout: 20_000 }
    await expect.poll(() => synced.length, soon).toBe(1) // the first read
    const envs = () => bob.services.teamConnections.list('platform').connections[0]!.environments
    await ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['dev'] })
    await expect.poll(envs, soon).toEqual(['dev', 'staging'])
    await ada.services.teamConnections.setEnvironments('platform', 'app-db', { deny: ['dev'] })
    await expect.poll(envs, soon).toEqual(['staging'])
    expect(synced.every((r) => r.connections === 1 && r.warnings.length === 0)).toBe(true)
    await watch.stop()
    await watch.done
    // One use of the team database for the whole watch, recorded once it was open.
    const watched = bob.services.audit
      .query({ limit: 20 })
      .entries.filter(
        (e) => e.action === 'team.connect' && e.detail === 'Watched team space platform',
      )
    expect(watched).toHaveLength(1)
  })

  it('thirty uses at once all land in the team audit trail, chained (they take turns)', async () => {
    const before = await t.team.dba('SELECT count(*)::int AS n FROM bridgekeep.audit')
    const opened = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? ada : bob).services.teamConnections.open('platform', 'app-db', 'staging'),
      ),
    )
    expect(opened.filter((r) => r.status === 'rejected')).toEqual([])
    const after = await t.team.dba('SELECT count(*)::int AS n FROM bridgekeep.audit')
    expect(after.rows[0].n - before.rows[0].n).toBe(30)
    const verified = await bob.services.teams.verify('platform')
    expect(verified.warnings).toEqual([])
    expect(verified.auditEntries).toBe(after.rows[0].n)
  })

  it('refuses a use-only member, an environment the matrix does not allow, and bad pushes', async () => {
    await carol.services.teamConnections.sync('platform')
    expect(carol.services.teamConnections.list('platform').connections).toHaveLength(1)
    await expect(
      carol.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({ code: 'USE_ONLY', message: expect.stringContaining('use-only') })

    await expect(
      bob.services.teamConnections.open('platform', 'app-db', 'production'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Connection app-db of team platform is not authorized for environment production.',
      hint: expect.stringContaining('The team allows it in: staging.'),
    })
    expect(
      bob.services.audit.query({ filter: { outcome: 'failure' }, limit: 10 }).entries[0],
    ).toMatchObject({ action: 'team.use', detail: 'app-db in production; FORBIDDEN' })
    // Only an admin changes the matrix; then the member's next open sees it.
    await expect(
      bob.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['production'] }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('you are a member'),
    })
    const allowed = await ada.services.teamConnections.setEnvironments('platform', 'app-db', {
      allow: ['production'],
    })
    expect(allowed).toMatchObject({ environments: ['production', 'staging'], changed: true })
    expect(
      (await bob.services.teamConnections.open('platform', 'app-db', 'production')).secrets,
    ).toEqual({ password })
    await ada.services.teamConnections.setEnvironments('platform', 'app-db', {
      deny: ['production'],
    })
    await expect(
      bob.services.teamConnections.open('platform', 'app-db', 'production'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })

    await expect(bob.services.teamConnections.push('platform', 'team-db')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Only admins'),
    })
    await expect(
      ada.services.teamConnections.push('platform', 'app-db', { environments: ['Prod Env!'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('"Prod Env!"') })
    ada.services.connections.create({
      name: 'ref-db',
      provider: 'postgres',
      authMode: 'inline',
      values: { host: 'h.example', port: '5432', database: 'd', user: 'u', sslmode: 'require' },
      references: { password: parseReferenceText('env:DB_PASSWORD') },
    })
    await expect(ada.services.teamConnections.push('platform', 'ref-db')).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: expect.stringContaining('holds a reference instead of a value (Password)'),
    })
    await expect(
      bob.services.teamConnections.open('platform', 'no-such', 'staging'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // A connection shared with Ada use-only is not hers to give to the team.
    t.appDb(ada, 'lent-db')
    ada.services.vault
      .database()
      .prepare("UPDATE connections SET use_only = 1 WHERE name = 'lent-db'")
      .run()
    await expect(ada.services.teamConnections.push('platform', 'lent-db')).rejects.toMatchObject({
      code: 'USE_ONLY',
      message: 'lent-db was shared with you use-only: its secrets are not yours to give to a team.',
    })
    const puts = await t.team.dba('SELECT count(*)::int AS n FROM bridgekeep.sealed_secrets')
    expect(puts.rows[0].n).toBe(1)
  })

  it("opens from this vault's copy when the team database is out of reach, and says so", async () => {
    const teamDb = bob.services.connections.findByRef('team-db').id
    const port = bob.services.connections.get(teamDb).config.port!
    bob.services.connections.update({ id: teamDb, values: { port: String(await closedPort()) } })
    try {
      const opened = await bob.services.teamConnections.open('platform', 'app-db', 'staging')
      expect(opened).toMatchObject({ offline: true, secrets: { password } })
      expect(bob.services.audit.query({ limit: 1 }).entries[0]).toMatchObject({
        action: 'team.use',
        outcome: 'success',
        detail: expect.stringContaining('(offline: from this vault’s copy, not in the team audit)'),
      })
      // The matrix of the copy still applies offline.
      await expect(
        bob.services.teamConnections.open('platform', 'app-db', 'production'),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' })
      // Writing needs the database: a clear error, nothing changed.
      await expect(bob.services.teamConnections.sync('platform')).rejects.toMatchObject({
        code: 'TEAM_UNAVAILABLE',
      })
    } finally {
      bob.services.connections.update({ id: teamDb, values: { port } })
    }
  })

  it('a push over a version this vault has not synced is refused, showing the other version', async () => {
    await ada.services.teams.role('platform', 'Bob', 'admin', 'bob_login')
    // Bob has his own app-db, another host, and synced version 1 of the team's.
    t.appDb(bob, 'app-db', 'db.bob.example')
    await bob.services.teamConnections.sync('platform')
    // Ada pushes version 2 meanwhile.
    const adaId = ada.services.connections.findByRef('app-db').id
    ada.services.connections.update({ id: adaId, values: { database: 'app2' } })
    expect((await ada.services.teamConnections.push('platform', 'app-db')).version).toBe(2)
    const refused = bob.services.teamConnections.push('platform', 'app-db')
    await expect(refused).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(
        /^Connection app-db in team platform is at version 2, written by Ada at \d{4}-.*, and this vault last synced version 1: pushing would overwrite it\. Nothing was pushed\. Non-secret fields that differ \(team \/ yours\): database: "app2" \/ "app"; host: "db\.internal\.example" \/ "db\.bob\.example"\.$/,
      ),
      hint: expect.stringContaining('bridgekeep team sync'),
    })
    // Nothing was written by the refused push.
    const puts = await t.team.dba(
      "SELECT count(*)::int AS n FROM bridgekeep.changes WHERE kind = 'connection.put'",
    )
    expect(puts.rows[0].n).toBe(2)
    // After a sync, Bob's version replaces it knowingly.
    await bob.services.teamConnections.sync('platform')
    expect((await bob.services.teamConnections.push('platform', 'app-db')).version).toBe(3)
    await ada.services.teamConnections.sync('platform')
    const [now] = ada.services.teamConnections.list('platform').connections
    expect(now).toMatchObject({ version: 3, updatedBy: 'Bob', environments: ['staging'] })
  })

  it('two admins pushing different connections at once both land; a demotion re-keys', async () => {
    t.appDb(ada, 'cache-a')
    t.appDb(bob, 'cache-b')
    await bob.services.teamConnections.sync('platform')
    const [a, b] = await Promise.all([
      ada.services.teamConnections.push('platform', 'cache-a'),
      bob.services.teamConnections.push('platform', 'cache-b'),
    ])
    expect([a.version, b.version]).toEqual([1, 1])
    const synced = await ada.services.teamConnections.sync('platform')
    expect(synced).toMatchObject({ connections: 3, warnings: [] })
    // A change signed on a team read before someone else wrote takes a taken position: refused
    // as a conflict (the writer reads again), never a row on a stale head.
    const store = await TeamStore.open({
      host: t.team.server.host,
      port: t.team.server.port,
      database: TEAM_DB,
      user: 'bk_owner',
      password: t.team.passwords.get('bk_owner')!,
      sslmode: 'verify-full',
      ca: t.team.ca.cert,
    })
    try {
      const adaKey = await signingKeyOf(ada)
      const stale = await verifyTeam(store, { teamId: t.teamId, founderKey: adaKey })
      await ada.services.teamConnections.setEnvironments('platform', 'cache-a', { allow: ['dev'] })
      const me = await ada.services.sharing.localIdentity()
      const connectionId = stale.state.connections.live.values().next().value!.id
      await expect(
        appendChange(
          store,
          stale,
          actorOf(me),
          'connection.environments',
          { connectionId, environments: [] },
          {},
          {
            action: 'connection.environments',
            detail: 'cache-a: none',
            at: new Date().toISOString(),
          },
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' })
    } finally {
      await store.close()
    }
    expect((await ada.services.teamConnections.sync('platform')).warnings).toEqual([])
    // Made use-only: new keys for everything, none wrapped to Bob.
    const demoted = await ada.services.teams.role('platform', 'Bob', 'use-only', 'bob_login')
    expect(demoted).toMatchObject({ rotate: ['app-db', 'cache-a', 'cache-b'], notRekeyed: [] })
    const bobKey = await signingKeyOf(bob)
    for (const name of ['app-db', 'cache-a', 'cache-b']) {
      const [latest] = (
        await t.team.dba(
          "SELECT max((body::jsonb ->> 'version')::int) AS v FROM bridgekeep.changes WHERE kind = 'connection.put' AND body::jsonb ->> 'name' = $1",
          [name],
        )
      ).rows as { v: number }[]
      expect((await wrapsOf(t.team, name, latest!.v)).map((w) => w.recipient)).not.toContain(bobKey)
    }
    await expect(
      bob.services.teamConnections.open('platform', 'cache-b', 'staging'),
    ).rejects.toMatchObject({ code: 'USE_ONLY' })
    // Raised again: the admin's client wraps the current keys to him.
    await ada.services.teams.role('platform', 'Bob', 'member', 'bob_login')
    await ada.services.teamConnections.setEnvironments('platform', 'cache-b', {
      allow: ['staging'],
    })
    const reopened = await bob.services.teamConnections.open('platform', 'cache-b', 'staging')
    expect(reopened.connection.version).toBe(2)
    expect(Object.keys(reopened.secrets)).toEqual(['password'])
  })

  it('no secret is in clear in any team table, the WAL, the server log or a vault file', async () => {
    expect(t.canaries.length).toBe(5)
    const { tables, texts, log } = await whereSecretsCouldBe(t.team, [ada, bob, carol])
    expect(tables).toEqual(expect.arrayContaining(['sealed_secrets', 'key_wraps', 'changes']))
    expect(log).toContain('INSERT INTO bridgekeep.sealed_secrets')
    for (const secret of t.canaries)
      for (const [i, text] of texts.entries())
        expect(text.includes(secret), `canary ${secret.slice(0, 6)}… in text ${i}`).toBe(false)
  })
})

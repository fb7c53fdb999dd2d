import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { unlockedServices } from '../../../../test/services'
import {
  startTeamServer,
  TEAM_DATABASE,
  TEAM_DB,
  teamDbConnection,
  type TeamServer,
} from '../../../../test/teams'
import { canary } from '../../../../test/fixtures/canary'
import { closedPort } from '../../../../test/fixtures/loopback'
import { teamRoleName } from '../../db/team-migrations'
import { parseReferenceText } from '../../../shared/secret-reference'
import { unwrapForMe } from './key-wrap'
import { actorOf } from './team-access'
import { TeamStore } from './team-database-repository'
import { appendChange, verifyTeam } from './team-session'

type Vault = Awaited<ReturnType<typeof unlockedServices>>

let team: TeamServer
let ada: Vault
let bob: Vault
let carol: Vault
let dave: Vault
let teamId: string
/** Secret values planted in connections: never in clear in a table, the WAL, a log or a vault. */
const canaries: string[] = []

const fingerprint = async (v: Vault) => (await v.services.sharing.identity()).fingerprint
const address = async (v: Vault) => (await v.services.sharing.identity()).address
const signingKeyOf = async (v: Vault) =>
  (await v.services.sharing.localIdentity()).address.signingKey

/** A local PostgreSQL connection whose password is a fresh canary. */
function appDb(vault: Vault, name: string, host = 'db.internal.example') {
  const password = `pw-${canary.alnum(28)}`
  canaries.push(password)
  vault.services.connections.create({
    name,
    provider: 'postgres',
    authMode: 'inline',
    values: { host, port: '5432', database: 'app', user: 'app', password, sslmode: 'require' },
  })
  return password
}

async function wrapsOf(name: string, version: number) {
  const result = await team.dba(
    `SELECT w.recipient, w.wrapped FROM bridgekeep.key_wraps w
       JOIN bridgekeep.changes c ON c.team_id = w.team_id AND c.kind = 'connection.put'
        AND (c.body::jsonb ->> 'connectionId')::uuid = w.connection_id
        AND (c.body::jsonb ->> 'version')::int = w.version
      WHERE c.body::jsonb ->> 'name' = $1 AND w.version = $2`,
    [name, version],
  )
  return result.rows as { recipient: string; wrapped: Buffer }[]
}

beforeAll(async () => {
  team = await startTeamServer()
  for (const login of ['bob_login', 'carol_login']) await team.login(login)
  ;[ada, bob, carol] = await Promise.all([
    unlockedServices(),
    unlockedServices(),
    unlockedServices(),
  ])
  for (const [vault, name, login] of [
    [ada, 'Ada', 'bk_owner'],
    [bob, 'Bob', 'bob_login'],
    [carol, 'Carol', 'carol_login'],
  ] as const) {
    await vault.services.sharing.setName({ name })
    teamDbConnection(vault.services, team, login)
  }
  teamId = (await ada.services.teams.init(TEAM_DATABASE, 'platform')).id
  await team.dba(`GRANT ${teamRoleName(teamId)} TO bob_login, carol_login`)
  await ada.services.teams.invite('platform', await address(bob), 'member', 'Bob')
  await ada.services.teams.invite('platform', await address(carol), 'use-only', 'Carol')
  await bob.services.teams.join(TEAM_DATABASE, 'platform', await fingerprint(ada))
  await carol.services.teams.join(TEAM_DATABASE, 'platform', await fingerprint(ada))
}, 120_000)
afterAll(() => team?.server.stop())

describe('connections in a team space on a real PostgreSQL', { timeout: 60_000 }, () => {
  let password: string

  it('an admin pushes a connection; a member syncs it and opens it where the matrix allows', async () => {
    password = appDb(ada, 'app-db')
    // A member's login listening: each change wakes it with the team's id (LISTEN/NOTIFY).
    const listener = await team.client('bob_login')
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
      environments: ['staging'],
    })
    await expect.poll(() => woken.length).toBe(2) // the put and the matrix change
    expect(new Set(woken)).toEqual(new Set([`bridgekeep_changes:${teamId}`]))
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
    expect((await wrapsOf('app-db', 1)).map((w) => w.recipient).sort()).toEqual(
      [await signingKeyOf(ada), await signingKeyOf(bob)].sort(),
    )
    const uses = await team.dba(
      "SELECT body FROM bridgekeep.audit WHERE team_id = $1 AND kind = 'connection.use'",
      [teamId],
    )
    expect(uses.rows.map((r) => JSON.parse(r.body).detail)).toEqual(['app-db version 1 in staging'])
    const actions = bob.services.audit.query({ limit: 50 }).entries.map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['team.sync', 'team.use']))
    expect(ada.services.audit.query({ limit: 50 }).entries.map((e) => e.action)).toContain(
      'team.push',
    )
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
    appDb(ada, 'lent-db')
    ada.services.vault
      .database()
      .prepare("UPDATE connections SET use_only = 1 WHERE name = 'lent-db'")
      .run()
    await expect(ada.services.teamConnections.push('platform', 'lent-db')).rejects.toMatchObject({
      code: 'USE_ONLY',
      message: 'lent-db was shared with you use-only: its secrets are not yours to give to a team.',
    })
    const puts = await team.dba('SELECT count(*)::int AS n FROM bridgekeep.sealed_secrets')
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
    await ada.services.teams.role('platform', 'Bob', 'admin')
    // Bob has his own app-db, another host, and synced version 1 of the team's.
    appDb(bob, 'app-db', 'db.bob.example')
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
    const puts = await team.dba(
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

  it('ciphertext, a wrapped key or a change edited in the database is detected and named', async () => {
    const version = 3
    const { ciphertext } = (
      await team.dba(
        'SELECT ciphertext FROM bridgekeep.sealed_secrets WHERE team_id = $1 AND version = $2',
        [teamId, version],
      )
    ).rows[0] as { ciphertext: Buffer }
    const flipped = Buffer.from(ciphertext)
    flipped[flipped.length - 5]! ^= 1
    await dbaEdit('UPDATE bridgekeep.sealed_secrets SET ciphertext = $1 WHERE version = 3', [
      flipped,
    ])
    const synced = await ada.services.teamConnections.sync('platform')
    const named = `Team connection "app-db" version 3: its sealed secrets do not match its signed change`
    expect(synced.warnings).toEqual([expect.stringContaining(named)])
    expect(ada.services.teamConnections.list('platform').connections[0]!.problem).toContain(named)
    await expect(
      ada.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({ code: 'TEAM_TAMPERED', message: expect.stringContaining(named) })
    await dbaEdit('UPDATE bridgekeep.sealed_secrets SET ciphertext = $1 WHERE version = 3', [
      ciphertext,
    ])

    // Ada's wrapped key replaced with Bob's: it does not open with Ada's identity.
    const wraps = await wrapsOf('app-db', version)
    const adaKey = await signingKeyOf(ada)
    const bobKey = await signingKeyOf(bob)
    const bobWrap = wraps.find((w) => w.recipient === bobKey)!.wrapped
    await dbaEdit(
      'UPDATE bridgekeep.key_wraps SET wrapped = $1 WHERE version = 3 AND recipient = $2',
      [bobWrap, adaKey],
    )
    await expect(
      ada.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({
      code: 'TEAM_TAMPERED',
      message:
        'The key of team connection "app-db" version 3 was changed in the database: the key wrapped to this vault does not open with its identity. It cannot be opened.',
    })
    const adaWrap = wraps.find((w) => w.recipient === adaKey)!.wrapped
    await dbaEdit(
      'UPDATE bridgekeep.key_wraps SET wrapped = $1 WHERE version = 3 AND recipient = $2',
      [adaWrap, adaKey],
    )
    expect(
      (await ada.services.teamConnections.open('platform', 'app-db', 'staging')).secrets,
    ).toEqual({
      password: expect.stringMatching(/^pw-/) as string,
    })

    // The change that allowed production, edited to allow everything: ignored and named.
    const [matrix] = (
      await team.dba(
        "SELECT seq, body FROM bridgekeep.changes WHERE kind = 'connection.environments' ORDER BY seq LIMIT 1",
      )
    ).rows as { seq: string; body: string }[]
    const forged = matrix!.body.replace('"staging"', '"production","staging"')
    await dbaEdit('UPDATE bridgekeep.changes SET body = $1 WHERE seq = $2', [forged, matrix!.seq])
    const warned = await bob.services.teamConnections.sync('platform')
    expect(warned.warnings[0]).toBe(
      `Change #${matrix!.seq} (connection.environments by key ${adaKey.slice(0, 8)}…) ignored: its content does not match its hash (it was edited after it was written).`,
    )
    await dbaEdit('UPDATE bridgekeep.changes SET body = $1 WHERE seq = $2', [
      matrix!.body,
      matrix!.seq,
    ])
    expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
  })

  it('removing a full member re-keys every connection; their identity opens no new version', async () => {
    const bobKey = await signingKeyOf(bob)
    const bobAge = await bob.services.sharing.ageIdentityForTests()
    await ada.services.teamConnections.sync('platform')
    const removed = await ada.services.teams.remove('platform', 'Bob')
    expect(removed).toMatchObject({
      name: 'Bob',
      role: 'admin',
      rotate: ['app-db'],
      notRekeyed: [],
    })
    await ada.services.teamConnections.sync('platform')
    const [current] = ada.services.teamConnections.list('platform').connections
    expect(current).toMatchObject({ version: 4, updatedBy: 'Ada' })
    const wraps = await wrapsOf('app-db', 4)
    expect(wraps.map((w) => w.recipient)).toEqual([await signingKeyOf(ada)])
    // Bob's identity with every wrap of the new version: none opens.
    for (const wrap of wraps)
      await expect(
        unwrapForMe(wrap.wrapped, bobAge, { teamId, connectionId: current!.id, version: 4 }),
      ).rejects.toMatchObject({ code: 'TEAM_KEY_NOT_FOR_YOU' })
    expect(wraps.some((w) => w.recipient === bobKey)).toBe(false)
    // And his client no longer opens anything of the team.
    await expect(
      bob.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('no longer a member'),
    })
    expect(
      (await ada.services.teamConnections.open('platform', 'app-db', 'staging')).secrets,
    ).toEqual({
      password: expect.stringMatching(/^pw-/) as string,
    })
  })

  it('a member added later gets the current keys', async () => {
    const before = ada.services.teamConnections.list('platform')
    dave = await unlockedServices()
    await dave.services.sharing.setName({ name: 'Dave' })
    teamDbConnection(dave.services, team, 'bob_login')
    await ada.services.teams.invite('platform', await address(dave), 'member', 'Dave')
    await dave.services.teams.join(TEAM_DATABASE, 'platform', await fingerprint(ada))
    // Ada's copy is older than the change she just verified (the invitation): still no warning.
    expect(ada.services.teamConnections.list('platform')).toEqual(before)
    expect(before.warnings).toEqual([])
    expect(
      (await dave.services.teamConnections.open('platform', 'app-db', 'staging')).secrets,
    ).toEqual({
      password: expect.stringMatching(/^pw-/) as string,
    })
  })

  it('two admins pushing different connections at once both land, one after the other', async () => {
    await ada.services.teams.role('platform', 'Dave', 'admin')
    appDb(ada, 'cache-a')
    appDb(dave, 'cache-b')
    await dave.services.teamConnections.sync('platform')
    const [a, b] = await Promise.all([
      ada.services.teamConnections.push('platform', 'cache-a'),
      dave.services.teamConnections.push('platform', 'cache-b'),
    ])
    expect([a.version, b.version]).toEqual([1, 1])
    const synced = await ada.services.teamConnections.sync('platform')
    expect(synced).toMatchObject({ connections: 3, warnings: [] })
    // A change signed on a team read before someone else wrote takes a taken position: refused
    // as a conflict (the writer reads again), never a row on a stale head.
    const store = await TeamStore.open({
      host: team.server.host,
      port: team.server.port,
      database: TEAM_DB,
      user: 'bk_owner',
      password: team.passwords.get('bk_owner')!,
      sslmode: 'verify-full',
      ca: team.ca.cert,
    })
    try {
      const adaKey = await signingKeyOf(ada)
      const stale = await verifyTeam(store, { teamId, founderKey: adaKey })
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
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' })
    } finally {
      await store.close()
    }
    expect((await ada.services.teamConnections.sync('platform')).warnings).toEqual([])
    // Made use-only: new keys for everything, none wrapped to Dave.
    const demoted = await ada.services.teams.role('platform', 'Dave', 'use-only')
    expect(demoted).toMatchObject({ rotate: ['app-db', 'cache-a', 'cache-b'], notRekeyed: [] })
    const daveKey = await signingKeyOf(dave)
    for (const name of ['app-db', 'cache-a', 'cache-b']) {
      const [latest] = (
        await team.dba(
          "SELECT max((body::jsonb ->> 'version')::int) AS v FROM bridgekeep.changes WHERE kind = 'connection.put' AND body::jsonb ->> 'name' = $1",
          [name],
        )
      ).rows as { v: number }[]
      expect((await wrapsOf(name, latest!.v)).map((w) => w.recipient)).not.toContain(daveKey)
    }
    await expect(
      dave.services.teamConnections.open('platform', 'cache-b', 'staging'),
    ).rejects.toMatchObject({ code: 'USE_ONLY' })
  })

  it('no secret is in clear in any team table, the WAL, the server log or a vault file', async () => {
    expect(canaries.length).toBe(5)
    const tables = (
      await team.dba(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'bridgekeep'",
      )
    ).rows.map((r) => r.table_name as string)
    expect(tables).toEqual(expect.arrayContaining(['sealed_secrets', 'key_wraps', 'changes']))
    const texts: string[] = []
    for (const table of tables) {
      const rows = (await team.dba(`SELECT * FROM bridgekeep.${table}`)).rows
      texts.push(
        JSON.stringify(rows),
        ...rows.flatMap((r) =>
          Object.values(r)
            .filter(Buffer.isBuffer)
            .map((b) => b.toString('latin1')),
        ),
      )
    }
    await team.dba('CHECKPOINT')
    const files = [team.server.logFile, ...filesUnder(join(team.server.dir, 'data', 'pg_wal'))]
    for (const vault of [ada, bob, carol, dave]) {
      vault.services.vault.database().pragma('wal_checkpoint(PASSIVE)')
      for (const suffix of ['', '-wal'])
        if (existsSync(vault.services.vault.path + suffix))
          files.push(vault.services.vault.path + suffix)
    }
    texts.push(...files.map((f) => readFileSync(f).toString('latin1')))
    // The checks can fail: the sealed rows are there, and the log holds every statement.
    expect(readFileSync(team.server.logFile, 'utf8')).toContain(
      'INSERT INTO bridgekeep.sealed_secrets',
    )
    for (const secret of canaries)
      for (const [i, text] of texts.entries())
        expect(text.includes(secret), `canary ${secret.slice(0, 6)}… in text ${i}`).toBe(false)
  })
})

/** An edit as the superuser, with the append-only triggers off for its session (as a DBA can). */
async function dbaEdit(sql: string, values: unknown[]): Promise<void> {
  const client = new pg.Client({
    host: team.server.host,
    port: team.server.port,
    user: 'admin',
    password: team.server.adminPassword,
    database: TEAM_DB,
  })
  await client.connect()
  try {
    await client.query('SET session_replication_role = replica')
    await client.query(sql, values)
  } finally {
    await client.end()
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

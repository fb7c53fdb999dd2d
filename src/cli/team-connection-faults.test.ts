import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, SLOW } from '../../test/cli'
import { canary } from '../../test/fixtures/canary'
import { expectCleanFailure, hold, release, terminateWaiting } from '../../test/team-faults'
import { cliTeamWorld, type CliVault } from '../../test/team-world'
import type { TeamServer } from '../../test/teams'

/**
 * Faults in the middle of team connection commands, against a real PostgreSQL and the real CLI:
 * a push, a matrix change, the re-key after a removal and a sync, each cut off by a killed session,
 * a restarted server or a killed CLI. Counted row by row: nothing half-written, nothing twice.
 */
describe.skipIf(!privateKeyring)('team connections under faults (real PostgreSQL)', SLOW, () => {
  let team: TeamServer
  let ada: CliVault
  let bob: CliVault
  let carol: CliVault
  const secrets: string[] = []
  const world = cliTeamWorld({
    seats: [
      { name: 'Ada', login: 'bk_owner' },
      { name: 'Bob', login: 'bob_login', role: 'member' },
      { name: 'Carol', login: 'carol_login', role: 'member' },
    ],
    team: { name: 'ops', by: 'cli' },
  })
  const { outputs, run, ok } = world
  const count = async (sql: string, values: unknown[] = []) =>
    (await team.dba(`SELECT count(*)::int AS n FROM bridgekeep.${sql}`, values)).rows[0].n as number
  const puts = (name: string) =>
    count("changes WHERE kind = 'connection.put' AND body::jsonb ->> 'name' = $1", [name])
  const rowsOf = async (name: string) => ({
    puts: await puts(name),
    sealed: await count(
      `sealed_secrets s WHERE s.connection_id IN (SELECT (body::jsonb ->> 'connectionId')::uuid FROM bridgekeep.changes WHERE body::jsonb ->> 'name' = $1)`,
      [name],
    ),
    wraps: await count(
      `key_wraps w WHERE w.connection_id IN (SELECT (body::jsonb ->> 'connectionId')::uuid FROM bridgekeep.changes WHERE body::jsonb ->> 'name' = $1)`,
      [name],
    ),
  })
  /** A local connection of Ada's whose password is a fresh canary. */
  const localConnection = (name: string) => {
    const password = `pw-${canary.alnum(28)}`
    secrets.push(password)
    ada.services.connections.create({
      name,
      provider: 'postgres',
      authMode: 'inline',
      values: { host: 'db.internal.example', port: '5432', database: 'app', user: 'app', password },
    })
  }
  const signingKey = async (vault: CliVault) =>
    (await vault.services.sharing.localIdentity()).address.signingKey

  beforeAll(async () => {
    ;({
      team,
      vaults: [ada, bob, carol],
    } = await world.start())
  }, 120_000)
  afterAll(() => world.stop())

  it('a push whose session is killed between its change row and its sealed secrets leaves nothing; run again, one version', async () => {
    localConnection('app-db')
    const push = ['team', 'push', 'app-db', '--env', 'staging']
    // The change row is inserted, the sealed secrets wait: the kill strikes between the two.
    const locker = await hold(team, 'sealed_secrets', 'SHARE')
    const pending = run(ada, push)
    await terminateWaitingAt('INSERT INTO bridgekeep.sealed_secrets')
    await release(locker)
    expectCleanFailure(team, await pending)
    expect(await rowsOf('app-db')).toEqual({ puts: 0, sealed: 0, wraps: 0 })

    // The server restarted while the wrapped keys wait: still nothing.
    const wrapsLock = await hold(team, 'key_wraps', 'SHARE')
    const restarted = run(ada, push)
    await waitingAt('INSERT INTO bridgekeep.key_wraps')
    team.server.restart()
    await release(wrapsLock)
    expectCleanFailure(team, await restarted)
    expect(await rowsOf('app-db')).toEqual({ puts: 0, sealed: 0, wraps: 0 })

    const pushed = await ok(ada, push)
    expect(pushed.stdout).toContain(
      'Pushed app-db to ops as version 1 (new). It may be used in: staging.',
    )
    // One change, one sealed row, a key wrapped to each of the three full members.
    expect(await rowsOf('app-db')).toEqual({ puts: 1, sealed: 1, wraps: 3 })
    // As if the reply of that run had been lost: running it once more writes nothing.
    const again = await ok(ada, push)
    expect(again.stdout).toContain(
      'ops already holds app-db as it is here (version 1): no new version. It may be used in: staging.',
    )
    expect(await rowsOf('app-db')).toEqual({ puts: 1, sealed: 1, wraps: 3 })
    await ok(bob, ['team', 'sync'])
    expect((await ok(bob, ['team', 'verify'])).stdout).toMatch(/verified: no warning/)
  })

  it('a matrix change killed before its audit entry is not written; run again, once; and again, nothing', async () => {
    const environments = () => count("changes WHERE kind = 'connection.environments'")
    const before = await environments()
    const allow = ['team', 'env', 'app-db', '--allow', 'dev']
    const locker = await hold(team, 'audit', 'SHARE')
    const pending = run(ada, allow)
    await terminateWaiting(team)
    await release(locker)
    expectCleanFailure(team, await pending)
    expect(await environments()).toBe(before)
    await ok(ada, allow)
    await ok(ada, allow)
    expect(await environments()).toBe(before + 1)
    await ok(bob, ['team', 'sync'])
    const [appDb] = bob.services.teamConnections.list('ops').connections
    expect(appDb).toMatchObject({ name: 'app-db', environments: ['dev', 'staging'] })
  })

  it(
    'the re-key after a removal killed half-way through 20 connections: every connection usable; an admin sync finishes it, once',
    { timeout: 240_000 },
    async () => {
      const names = Array.from({ length: 19 }, (_, i) => `svc-${String(i + 1).padStart(2, '0')}`)
      for (const name of names) {
        localConnection(name)
        await ada.services.teamConnections.push('ops', name, { environments: ['staging'] })
      }
      const all = ['app-db', ...names]
      const bobKey = await signingKey(bob)
      // The 11th new sealed row waits on an advisory lock the test holds: the kill strikes there,
      // after 10 connections were given a new version and before the other 10 were.
      const gate = await team.client('bk_owner')
      await gate.query('SELECT pg_advisory_lock(4242)')
      await team.dba(`
      CREATE FUNCTION bridgekeep.test_gate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        IF NEW.version = 2 AND (SELECT count(*) FROM bridgekeep.sealed_secrets WHERE version = 2) >= 10 THEN
          PERFORM pg_advisory_xact_lock(4242);
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_gate BEFORE INSERT ON bridgekeep.sealed_secrets
        FOR EACH ROW EXECUTE FUNCTION bridgekeep.test_gate();`)
      try {
        const pending = run(ada, ['team', 'remove', 'Bob'])
        await terminateWaiting(team)
        expectCleanFailure(team, await pending)
      } finally {
        await gate.end()
        await team.dba(
          'DROP TRIGGER test_gate ON bridgekeep.sealed_secrets; DROP FUNCTION bridgekeep.test_gate()',
        )
      }
      // The removal is made; 10 connections have a new version wrapped to Ada and Carol only.
      expect(await count("changes WHERE kind = 'member.remove'")).toBe(1)
      expect(await count('sealed_secrets WHERE version = 2')).toBe(10)
      expect(await count('key_wraps WHERE version = 2')).toBe(20)
      expect(await count('key_wraps WHERE version = 2 AND recipient = $1', [bobKey])).toBe(0)
      expect(await count('sealed_secrets WHERE version = 1')).toBe(20)

      // Nothing is unusable meanwhile: every connection opens, old version or new.
      await ok(carol, ['team', 'sync'])
      for (const name of all)
        expect((await carol.services.teamConnections.open('ops', name, 'staging')).secrets).toEqual(
          {
            password: expect.stringMatching(/^pw-/) as string,
          },
        )
      // A member is told what is left; `team remove` run again says how to finish it.
      const told = await run(carol, ['team', 'sync'])
      expect(told.stderr.match(/still under a key a member who left/g)).toHaveLength(10)
      const again = await run(ada, ['team', 'remove', 'Bob'])
      expect(again.code).toBe(1)
      expect(again.stderr).toContain('No member of ops is Bob.')
      expect(again.stderr).toContain('has not finished giving these connections a new key')
      expect(again.stderr).toContain('bridgekeep team sync')
      expect(again.stderr).not.toMatch(/^\s+at /m)

      // Two admins' syncs at once finish the job between them (one that loses a position to the
      // other reads again and goes on); a further sync writes nothing more.
      await ok(ada, ['team', 'role', 'Carol', '--role', 'admin', '--db-login', 'carol_login'])
      // Both come to write the same position: one waits on the sealed rows, the other on the
      // first one's change row; released together, the second loses the position.
      const locker = await hold(team, 'sealed_secrets', 'SHARE')
      const both = Promise.all([ok(ada, ['team', 'sync']), ok(carol, ['team', 'sync'])])
      await waitingBackends(2)
      await release(locker)
      const finished = await both
      const rekeyed = finished.flatMap(
        (f) =>
          /^Re-keyed \(a member who left could read their previous key\): (.*)\.$/m
            .exec(f.stdout)?.[1]
            ?.split(', ') ?? [],
      )
      expect(new Set(rekeyed)).toEqual(new Set(names.slice(9)))
      for (const twice of [false, true]) {
        if (twice) expect((await ok(ada, ['team', 'sync'])).stdout).not.toContain('Re-keyed')
        expect(await count('sealed_secrets WHERE version = 2')).toBe(20)
        expect(await count('sealed_secrets WHERE version > 2')).toBe(0)
        expect(await count("changes WHERE kind = 'connection.put'")).toBe(40)
        expect(await count('key_wraps WHERE version = 2')).toBe(40)
        expect(await count('key_wraps WHERE version = 2 AND recipient = $1', [bobKey])).toBe(0)
      }
      const synced = await ok(carol, ['team', 'sync'])
      expect(synced.stderr).toBe('')
      for (const name of all) {
        const opened = await carol.services.teamConnections.open('ops', name, 'staging')
        expect(opened.connection.version).toBe(2)
      }
      expect((await ok(ada, ['team', 'verify'])).stdout).toMatch(/verified: no warning/)
    },
  )

  it('a push killed between its version and its matrix change: run again, the matrix is set and no second version written', async () => {
    localConnection('env-db')
    const matrixChanges = () => count("changes WHERE kind = 'connection.environments'")
    const before = await matrixChanges()
    const push = ['team', 'push', 'env-db', '--env', 'staging']
    // Bob was removed above: keys go to Ada and Carol. The version is committed; the matrix change waits to write its audit entry: killed there.
    const locker = await hold(team, 'audit', 'SHARE')
    const pending = run(ada, push)
    await terminateWaiting(team)
    await release(locker)
    expectCleanFailure(team, await pending)
    expect(await rowsOf('env-db')).toEqual({ puts: 1, sealed: 1, wraps: 2 })
    expect(await matrixChanges()).toBe(before)
    const again = await ok(ada, push)
    expect(again.stdout).toContain('ops already holds env-db as it is here (version 1)')
    expect(await rowsOf('env-db')).toEqual({ puts: 1, sealed: 1, wraps: 2 })
    expect(await matrixChanges()).toBe(before + 1)
    // A real change of its secrets is a new version, as before.
    const local = ada.services.connections.findByRef('env-db')
    const password = `pw-${canary.alnum(28)}`
    secrets.push(password)
    ada.services.connections.update({ id: local.id, values: { password } })
    expect((await ok(ada, ['team', 'push', 'env-db'])).stdout).toContain('as version 2')
  })

  it('a push killed between its matrix change and its team audit entry: run again, the entry is written, once', async () => {
    localConnection('trail-db')
    const putEntries = () =>
      count("audit WHERE kind = 'connection.put' AND body::jsonb ->> 'detail' LIKE $1", [
        'trail-db version 1%',
      ])
    const matrixChanges = () =>
      count(
        "changes WHERE kind = 'connection.environments' AND (body::jsonb ->> 'connectionId')::uuid IN (SELECT (body::jsonb ->> 'connectionId')::uuid FROM bridgekeep.changes WHERE body::jsonb ->> 'name' = $1)",
        ['trail-db'],
      )
    const push = ['team', 'push', 'trail-db', '--env', 'staging']
    // The version and its matrix change are committed; the `connection.put` audit entry waits on
    // an advisory lock the test holds (the matrix change's own entry does not): killed there.
    const gate = await team.client('bk_owner')
    await gate.query('SELECT pg_advisory_lock(4343)')
    await team.dba(`
      CREATE FUNCTION bridgekeep.test_gate() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        IF NEW.kind = 'connection.put' THEN
          PERFORM pg_advisory_xact_lock(4343);
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_gate BEFORE INSERT ON bridgekeep.audit
        FOR EACH ROW EXECUTE FUNCTION bridgekeep.test_gate();`)
    try {
      const pending = run(ada, push)
      await terminateWaiting(team)
      expectCleanFailure(team, await pending)
    } finally {
      await gate.end()
      await team.dba(
        'DROP TRIGGER test_gate ON bridgekeep.audit; DROP FUNCTION bridgekeep.test_gate()',
      )
    }
    const written = await rowsOf('trail-db')
    expect(written).toMatchObject({ puts: 1, sealed: 1 })
    expect(await matrixChanges()).toBe(1)
    expect(await putEntries()).toBe(0)
    // Run again: no second version, no second matrix change, and the missing entry; then nothing.
    for (const _ of [1, 2]) {
      const again = await ok(ada, push)
      expect(again.stdout).toContain('ops already holds trail-db as it is here (version 1)')
      expect(await putEntries()).toBe(1)
      expect(await rowsOf('trail-db')).toEqual(written)
      expect(await matrixChanges()).toBe(1)
    }
    expect((await ok(ada, ['team', 'verify'])).stdout).toMatch(/verified: no warning/)
  })

  it('the server restarted, and kill -9 of the CLI, in the middle of a sync: the local vault stays consistent; the next sync completes', async () => {
    localConnection('late-db')
    await ada.services.teamConnections.push('ops', 'late-db', { environments: ['staging'] })
    const before = carol.services.teamConnections.list('ops')
    expect(before.connections.map((c) => c.name)).not.toContain('late-db')
    // The server restarted while the sync waits to read the sealed versions: a clear failure,
    // the copy as it was.
    const restartLock = await hold(team, 'sealed_secrets', 'ACCESS EXCLUSIVE')
    const restarted = run(carol, ['team', 'sync'])
    await waitingAt('bridgekeep.sealed_secrets')
    team.server.restart('immediate')
    await release(restartLock)
    expectCleanFailure(team, await restarted)
    expect(carol.services.teamConnections.list('ops')).toEqual(before)
    // The sync has read the changes and waits to read the sealed versions: killed there.
    const locker = await hold(team, 'sealed_secrets', 'ACCESS EXCLUSIVE')
    let pid = 0
    const pending = run(carol, ['team', 'sync'], (p) => (pid = p))
    await waitingAt('bridgekeep.sealed_secrets')
    process.kill(pid, 'SIGKILL')
    const killed = await pending
    await release(locker)
    expect(killed.signal).toBe('SIGKILL')
    const db = carol.services.vault.database()
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(db.pragma('foreign_key_check')).toEqual([])
    expect(carol.services.teamConnections.list('ops')).toEqual(before)
    await ok(carol, ['team', 'sync'])
    expect(carol.services.teamConnections.list('ops').connections.map((c) => c.name)).toContain(
      'late-db',
    )
  })

  it('no secret, password or private key in any output', async () => {
    const canaries = [...secrets, ...team.passwords.values()]
    for (const vault of [ada, bob, carol])
      canaries.push(await vault.services.sharing.ageIdentityForTests())
    // Ten commands of the tests' own at least, after the world's eight (names, init, invites, joins).
    expect(outputs.length).toBeGreaterThan(18)
    for (const secret of canaries)
      for (const o of outputs)
        expect((o.stdout + o.stderr).includes(secret), `canary ${secret.slice(0, 4)}…`).toBe(false)
  })

  /** Waits until `n` team commands' backends wait on a lock. */
  async function waitingBackends(n: number): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const waiting = (
        await team.dba(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'bridgekeep-team' AND wait_event_type = 'Lock'",
        )
      ).rows[0].n as number
      if (waiting === n) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`${n} team commands did not come to wait on a lock`)
  }

  /** Waits until the team command's backend waits on a lock in a statement containing `text`. */
  async function waitingAt(text: string): Promise<number> {
    for (let i = 0; i < 300; i++) {
      const rows = (
        await team.dba(
          "SELECT pid, query FROM pg_stat_activity WHERE application_name = 'bridgekeep-team' AND wait_event_type = 'Lock'",
        )
      ).rows as { pid: number; query: string }[]
      if (rows.length === 1 && rows[0]!.query.includes(text)) return rows[0]!.pid
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`No team command came to wait at ${text}`)
  }

  async function terminateWaitingAt(text: string): Promise<void> {
    const pid = await waitingAt(text)
    expect((await team.dba('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0].ok).toBe(true)
  }
})

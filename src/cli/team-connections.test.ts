import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, SLOW } from '../../test/cli'
import { cliTeamWorld, type CliVault } from '../../test/team-world'
import { TEAM_DB, type TeamServer } from '../../test/teams'

/**
 * Team connections through the real `bridgekeep`: an admin pushes a PostgreSQL login, a member
 * syncs it and runs the real psql with it through `exec --team`, against the same server.
 */
describe.skipIf(!privateKeyring)(
  'bridgekeep team push/sync/connections/env, exec --team',
  SLOW,
  () => {
    let team: TeamServer
    let ada: CliVault
    let bob: CliVault
    const world = cliTeamWorld({
      seats: [
        { name: 'Ada', login: 'bk_owner' },
        { name: 'Bob', login: 'bob_login', role: 'member' },
      ],
      logins: ['app_login'],
      team: { name: 'platform', by: 'services' },
      debug: true,
    })
    const { outputs, run } = world

    beforeAll(async () => {
      ;({
        team,
        vaults: [ada, bob],
      } = await world.start())
      // The connection the team shares: a real login on the same server.
      ada.services.connections.create({
        name: 'app-db',
        provider: 'postgres',
        authMode: 'inline',
        values: {
          host: team.server.host,
          port: String(team.server.port),
          database: TEAM_DB,
          user: 'app_login',
          password: team.passwords.get('app_login')!,
          sslmode: 'verify-full',
          ca_certificate: team.ca.cert,
        },
      })
    }, 120_000)
    afterAll(() => world.stop())

    it('refuses bad input with what to do', async () => {
      const noConnection = await run(ada, ['team', 'push'])
      expect(noConnection.code).toBe(2)
      const missing = await run(ada, ['team', 'push', 'no-such-db'])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toContain('no-such-db')
      const neither = await run(ada, ['team', 'env', 'app-db'])
      expect(neither.code).toBe(2)
      expect(neither.stderr).toContain('give --allow <env> or --deny <env>')
      const both = await run(ada, ['team', 'env', 'app-db', '--allow', 'dev', '--deny', 'dev'])
      expect(both.code).toBe(2)
      expect(both.stderr).toContain('dev is both allowed and denied')
      const badEnv = await run(ada, ['team', 'push', 'app-db', '--env', 'Prod Env!'])
      expect(badEnv.code).toBe(1)
      expect(badEnv.stderr).toContain('is not a valid team environment')
      const notSynced = await run(bob, ['team', 'connections'])
      expect(notSynced.stdout).toContain(
        'This vault has not synced platform yet: bridgekeep team sync',
      )
    })

    it('push, sync, list, and exec --team running psql; the matrix and removal through the CLI', async () => {
      const pushed = await run(ada, ['team', 'push', 'app-db', '--env', 'staging'])
      expect(pushed, pushed.stderr).toMatchObject({ code: 0 })
      expect(pushed.stdout).toBe(
        'Pushed app-db to platform as version 1 (new). It may be used in: staging.\n',
      )
      const synced = await run(bob, ['team', 'sync'])
      expect(synced, synced.stderr).toMatchObject({ code: 0 })
      expect(synced.stdout).toMatch(/^Synced platform: 1 connection, \d+ changes\.$/m)
      expect((await run(bob, ['team', 'connections'])).stdout).toMatch(
        /^app-db\s+postgres\s+1\s+Ada\s+staging$/m,
      )
      const listed = JSON.parse((await run(bob, ['team', 'connections', '--json'])).stdout)
      expect(listed.connections[0]).toMatchObject({ name: 'app-db', fields: { user: 'app_login' } })

      const psql = ['psql', '-tAc', 'select current_user']
      const used = await run(bob, [
        'exec',
        '--team',
        'platform',
        'app-db',
        '--env',
        'staging',
        '--',
        ...psql,
      ])
      expect(used, used.stderr).toMatchObject({ code: 0 })
      expect(used.stdout.trim()).toBe('app_login')
      const refused = await run(bob, [
        'exec',
        '--team',
        'platform',
        'app-db',
        '--env',
        'production',
        '--',
        ...psql,
      ])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain(
        'Connection app-db of team platform is not authorized for environment production.',
      )
      const memberEnv = await run(bob, ['team', 'env', 'app-db', '--allow', 'production'])
      expect(memberEnv.code).toBe(1)
      expect(memberEnv.stderr).toContain('Only admins of platform')
      const allowed = await run(ada, ['team', 'env', 'app-db', '--allow', 'production'])
      expect(allowed.stdout).toBe('app-db of platform may now be used in: production, staging.\n')
      const now = await run(bob, [
        'exec',
        '--team',
        'platform',
        'app-db',
        '--env',
        'production',
        '--',
        ...psql,
      ])
      expect(now, now.stderr).toMatchObject({ code: 0 })
      const actions = bob.services.audit.query({ limit: 100 }).entries.map((e) => e.action)
      expect(actions).toEqual(expect.arrayContaining(['team.sync', 'team.use']))

      const removed = await run(ada, ['team', 'remove', 'Bob'])
      expect(removed, removed.stderr).toMatchObject({ code: 0 })
      expect(removed.stdout).toContain(
        'Every team connection has a new key they do not hold. Rotate these: they could read them, and cannot be made to forget them.\n  app-db\n',
      )
      const after = await run(bob, [
        'exec',
        '--team',
        'platform',
        'app-db',
        '--env',
        'staging',
        '--',
        ...psql,
      ])
      expect(after.code).toBe(1)
      expect(after.stderr).toContain('This vault is no longer a member of platform.')
    })

    it('no output of any command holds the password', () => {
      const password = team.passwords.get('app_login')!
      // Ten commands of the tests' own at least, after the world's two (each vault named).
      expect(outputs.length).toBeGreaterThan(12)
      for (const output of outputs) expect(JSON.stringify(output)).not.toContain(password)
    })
  },
)

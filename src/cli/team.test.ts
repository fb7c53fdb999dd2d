import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, SLOW } from '../../test/cli'
import { ADA_BOB_CAROL, cliTeamWorld, type CliVault } from '../../test/team-world'
import type { TeamServer } from '../../test/teams'
import { teamRoleName, teamRoleNames } from '../main/db/team-migrations'

/** Three vaults (admin, member, use-only) in their own data folders, each driven through the CLI. */
describe.skipIf(!privateKeyring)('bridgekeep team (real PostgreSQL, child processes)', SLOW, () => {
  let team: TeamServer
  let ada: CliVault
  let bob: CliVault
  let carol: CliVault
  const world = cliTeamWorld({
    seats: ADA_BOB_CAROL,
    debug: true,
  })
  const { outputs, run } = world
  const identity = async (vault: CliVault) =>
    JSON.parse((await run(vault, ['share', 'identity', '--json'])).stdout) as {
      address: string
      fingerprint: string
    }

  beforeAll(async () => {
    ;({
      team,
      vaults: [ada, bob, carol],
    } = await world.start())
  }, 120_000)
  afterAll(() => world.stop())

  it('refuses bad input with what to do, touching nothing', async () => {
    const noName = await run(ada, ['team', 'init', 'team-db', '--env', 'staging'])
    expect(noName.code).toBe(2)
    expect(noName.stderr).toContain('--name <team> is required.')
    const noEnv = await run(ada, ['team', 'init', 'team-db', '--name', 'platform'])
    expect(noEnv.code).toBe(2)
    expect(noEnv.stderr).toContain('--env is required')
    const badName = await run(ada, ['team', 'init', 'team-db', '--env', 'staging', '--name', '!!'])
    expect(badName.code).toBe(1)
    expect(badName.stderr).toContain('Team name "!!" is not valid')
    const notAuthorized = await run(ada, [
      'team',
      'init',
      'team-db',
      '--env',
      'production',
      '--name',
      'platform',
    ])
    expect(notAuthorized.code).toBe(1)
    expect(notAuthorized.stderr).toContain('not authorized for environment')
    const badRole = await run(ada, ['team', 'invite', 'bkshare1:x', '--role', 'owner'])
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toContain('--role must be one of admin, member, use-only (not "owner")')
    const noTeam = await run(ada, ['team', 'members'])
    expect(noTeam.code).toBe(1)
    expect(noTeam.stderr).toContain('This vault is in no team space yet.')
    expect((await run(ada, ['team', 'ls'])).stdout).toContain('No team spaces yet.')
    expect(ada.services.teams.list()).toEqual([])
  })

  it('a team of three: init, invite, join, members, remove', async () => {
    const founder = await identity(ada)
    const init = await run(ada, [
      'team',
      'init',
      'team-db',
      '--env',
      'staging',
      '--name',
      'platform',
    ])
    expect(init.code).toBe(0)
    expect(init.stdout).toContain(founder.fingerprint)
    const teamId = ada.services.teams.list()[0]!.id
    const roles = teamRoleNames(teamRoleName(teamId))
    expect(init.stdout).toContain(`GRANT ${roles.member} TO <their login>`)
    // The database administrator grants each login the role of its team role.
    await team.dba(`GRANT ${roles.member} TO bob_login`)
    await team.dba(`GRANT ${roles['use-only']} TO carol_login`)

    const bobAddress = (await identity(bob)).address
    const carolAddress = (await identity(carol)).address
    const badAddress = await run(ada, ['team', 'invite', 'bkshare1:nope', '--role', 'member'])
    expect(badAddress.code).toBe(1)
    expect(badAddress.stderr).toContain('That share address is not valid')
    expect(
      (await run(ada, ['team', 'invite', bobAddress, '--role', 'member', '--name', 'Bob'])).code,
    ).toBe(0)
    // Without --db-login: the exact statement for the database administrator.
    expect(outputs.at(-1)!.stdout).toContain(
      `Ask the database administrator to run: GRANT ${roles.member} TO <their login>;`,
    )
    const invited = await run(ada, [
      'team',
      'invite',
      carolAddress,
      '--role',
      'use-only',
      '--name',
      'Carol',
      '--team',
      'platform',
    ])
    expect(invited.stdout).toMatch(/^Role\s+use-only$/m)

    const unpinned = await run(bob, [
      'team',
      'join',
      'connection://staging/team-db',
      '--team',
      'platform',
    ])
    expect(unpinned.code).toBe(1)
    expect(unpinned.stderr).toContain(founder.fingerprint)
    expect(unpinned.stderr).toContain('--founder')
    for (const vault of [bob, carol]) {
      const joined = await run(vault, [
        'team',
        'join',
        'team-db',
        '--env',
        'staging',
        '--team',
        'platform',
        '--founder',
        founder.fingerprint,
      ])
      expect(joined, joined.stderr).toMatchObject({ code: 0 })
    }
    expect((await run(carol, ['team', 'ls'])).stdout).toMatch(/^platform\s+team-db\s+staging/m)
    const again = await run(carol, [
      'team',
      'join',
      'team-db',
      '--env',
      'staging',
      '--team',
      'platform',
    ])
    expect(again.stderr).toContain('This vault is already in a team space named platform.')
    // A member's login may not create teams: the database says no, and what is needed.
    const noRights = await run(bob, [
      'team',
      'init',
      'team-db',
      '--env',
      'staging',
      '--name',
      'bobs',
    ])
    expect(noRights.code).toBe(1)
    expect(noRights.stderr).toContain('refused: permission denied')
    expect(noRights.stderr).toContain('CREATEROLE')
    const badName = await run(ada, [
      'team',
      'invite',
      (await identity(carol)).address,
      '--role',
      'member',
      '--name',
      'x'.repeat(61),
    ])
    expect(badName.stderr).toContain('Name: at most 60 characters.')

    const members = await run(carol, ['team', 'members'])
    expect(members.code).toBe(0)
    expect(members.stderr).not.toContain('warning:')
    expect(members.stdout).toMatch(/^Ada\s+admin\s/m)
    expect(members.stdout).toMatch(/^Bob\s+member\s/m)
    expect(members.stdout).toMatch(/^Carol \(you\)\s+use-only\s/m)

    const notAdmin = await run(carol, ['team', 'remove', 'Ada'])
    expect(notAdmin.code).toBe(1)
    expect(notAdmin.stderr).toContain(
      'Only admins of platform can remove members; you are a use-only member.',
    )
    const unknown = await run(ada, ['team', 'remove', 'Mallory'])
    expect(unknown.stderr).toContain('No member of platform is Mallory.')
    const removed = await run(ada, ['team', 'remove', 'Bob'])
    expect(removed.code).toBe(0)
    expect(removed.stdout).toContain('Removed Bob (member) from platform.')
    expect(removed.stdout).toContain('rotate those')
    const json = JSON.parse((await run(bob, ['team', 'members', '--json'])).stdout) as {
      members: { name: string }[]
    }
    expect(json.members.map((m) => m.name)).toEqual(['Ada', 'Carol'])

    // Audited locally (never a key), and in the team's own trail.
    const actions = ada.services.audit.query({ limit: 100 }).entries.map((e) => e.action)
    for (const action of ['team.create', 'team.invite', 'team.remove', 'team.connect'])
      expect(actions).toContain(action)
    expect(bob.services.audit.query({ limit: 100 }).entries.map((e) => e.action)).toContain(
      'team.join',
    )
  })

  it("role changes, seen by another member's client; team verify names a DBA's edit", async () => {
    const notAdmin = await run(carol, ['team', 'role', 'Ada', '--role', 'member'])
    expect(notAdmin.code).toBe(1)
    expect(notAdmin.stderr).toContain(
      'Only admins of platform can change roles; you are a use-only member.',
    )
    const lastAdmin = await run(ada, ['team', 'role', 'Ada', '--role', 'member'])
    expect(lastAdmin.code).toBe(1)
    expect(lastAdmin.stderr).toContain(
      "Ada is the team's only admin: demoting them would leave platform without one.",
    )
    const changesBefore = (await team.dba('SELECT count(*)::int AS n FROM bridgekeep.changes'))
      .rows[0].n
    const same = await run(ada, ['team', 'role', 'Carol', '--role', 'use-only'])
    expect(same.code).toBe(0)
    expect(same.stdout).toContain('Carol of platform is already use-only: nothing changed.')
    expect((await team.dba('SELECT count(*)::int AS n FROM bridgekeep.changes')).rows[0].n).toBe(
      changesBefore,
    )
    const badRole = await run(ada, ['team', 'role', 'Carol', '--role', 'owner'])
    expect(badRole.code).toBe(2)

    // Ada's login (the owner, CREATEROLE) may grant roles: --db-login runs the statements.
    const roles = teamRoleNames(teamRoleName(ada.services.teams.list()[0]!.id))
    const promoted = await run(ada, [
      'team',
      'role',
      'Carol',
      '--role',
      'admin',
      '--db-login',
      'carol_login',
    ])
    expect(promoted, promoted.stderr).toMatchObject({ code: 0 })
    expect(promoted.stdout).toContain('Carol of platform is now admin (was use-only).')
    expect(promoted.stdout).toContain(
      `Database: ran REVOKE ${roles['use-only']} FROM carol_login; GRANT ${roles.admin} TO carol_login;`,
    )
    const carolRoles = await team.dba(
      "SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles l ON l.oid = m.member WHERE l.rolname = 'carol_login'",
    )
    expect(carolRoles.rows.map((r) => r.rolname)).toEqual([roles.admin])
    expect((await run(carol, ['team', 'members'])).stdout).toMatch(/^Carol \(you\)\s+admin\s/m)
    // Carol, now an admin, demotes Ada (no longer the last admin); Ada's client sees it.
    // Carol's login may not grant roles: the change is made, the statements are left to the DBA.
    const refused = await run(carol, [
      'team',
      'role',
      'Ada',
      '--role',
      'member',
      '--db-login',
      'bk_owner',
    ])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('Ada of platform is now member (was admin).')
    expect(refused.stderr).toContain('The database refused the role change (')
    expect(refused.stderr).toContain('must have admin option on role')
    expect(refused.stderr).toContain(
      `Ask the database administrator to run: REVOKE ${roles.admin} FROM bk_owner; GRANT ${roles.member} TO bk_owner;`,
    )
    expect((await run(ada, ['team', 'members'])).stdout).toMatch(/^Ada \(you\)\s+member\s/m)
    const demoted = await run(ada, ['team', 'role', 'Carol', '--role', 'member'])
    expect(demoted.code).toBe(1)
    expect(demoted.stderr).toContain('Only admins of platform can change roles; you are a member.')
    expect(ada.services.audit.query({ limit: 100 }).entries.map((e) => e.action)).toContain(
      'team.role',
    )
    const trail = await team.dba("SELECT kind FROM bridgekeep.audit WHERE kind = 'member.role'")
    expect(trail.rows).toHaveLength(2)

    const clean = await run(ada, ['team', 'verify'])
    expect(clean, clean.stderr).toMatchObject({ code: 0 })
    expect(clean.stderr).not.toContain('warning:')
    expect(clean.stdout).toMatch(/^Members\s+2 \(1 admin\)$/m)
    expect(clean.stdout).toMatch(/^Result\s+verified: no warning$/m)

    // A DBA gives Ada back her admin role in the members table, outside the signed log.
    await team.dba("UPDATE bridgekeep.members SET role = 'admin' WHERE name = 'Ada'")
    const edited = await run(ada, ['team', 'verify'])
    expect(edited.code).toBe(1)
    expect(edited.stderr).toContain(
      'warning: The members table gives Ada the role admin; the signed changes say member: the signed role applies.',
    )
    expect(edited.stdout).toMatch(/^Result\s+1 warning \(on stderr\)$/m)
    const json = await run(carol, ['team', 'verify', '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, members: 2, admins: 1 })
    // The signed role still applies: Ada cannot act as an admin.
    expect((await run(ada, ['team', 'role', 'Carol', '--role', 'member'])).code).toBe(1)

    // A superuser DBA rewrites Ada's demotion and its audit entry, triggers off: both named.
    await team.dba(
      `SET session_replication_role = replica;
       UPDATE bridgekeep.changes SET body = replace(body, '"member"', '"admin"')
         WHERE kind = 'member.role' AND seq = (SELECT max(seq) FROM bridgekeep.changes);
       UPDATE bridgekeep.audit SET body = replace(body, 'now member', 'now admin')
         WHERE kind = 'member.role';
       RESET session_replication_role`,
    )
    const rewritten = await run(ada, ['team', 'verify'])
    expect(rewritten.code).toBe(1)
    expect(rewritten.stderr).toMatch(/warning: Change #\d+ \(member\.role by key .{8}…\) ignored: /)
    expect(rewritten.stderr).toMatch(
      /which this vault verified before, is missing or no longer trusted/,
    )
    expect(rewritten.stderr).toMatch(/warning: The team audit trail is broken at entry #\d+: /)
  })

  it('no private key or password in any output, audit trail or table', async () => {
    const canaries = [...team.passwords.values()]
    for (const vault of [ada, bob, carol]) {
      canaries.push(await vault.services.sharing.ageIdentityForTests())
      canaries.push(
        (await vault.services.sharing.localIdentity()).signingKey.export({ format: 'jwk' }).d!,
      )
    }
    const texts = outputs.map((o) => o.stdout + o.stderr)
    for (const vault of [ada, bob, carol])
      texts.push(JSON.stringify(vault.services.audit.query({ limit: 1000 })))
    for (const t of ['teams', 'members', 'changes', 'audit'])
      texts.push(JSON.stringify((await team.dba(`SELECT * FROM bridgekeep.${t}`)).rows))
    for (const canary of canaries)
      for (const text of texts)
        expect(text.includes(canary), `canary ${canary.slice(0, 4)}…`).toBe(false)
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { privateKeyring, SLOW, type CliResult } from '../../test/cli'
import {
  expectCleanFailure as expectCleanTeamFailure,
  hold as holdTable,
  release,
  waitingBackend as waitingTeamBackend,
} from '../../test/team-faults'
import { ADA_BOB_CAROL, cliTeamWorld, type CliVault } from '../../test/team-world'
import type { TeamServer } from '../../test/teams'
import { CHANGE_DOMAIN } from '../main/services/teams/change-chain'
import { canonicalJson, signRow } from '../main/services/teams/signed-chain'
import { testIdentity } from '../main/services/teams/team-test-support'
import { formatAddress, parseAddress } from '../main/services/sharing/share-address'

/**
 * Faults in the middle of team commands, against a real PostgreSQL and the real CLI: the server
 * restarted, the session killed. A command is held at a precise point by a lock the test takes
 * (its backend then waits, seen in pg_stat_activity), and the fault strikes there.
 */
describe.skipIf(!privateKeyring)('bridgekeep team under faults (real PostgreSQL)', SLOW, () => {
  let team: TeamServer
  let ada: CliVault
  let bob: CliVault
  let carol: CliVault
  const world = cliTeamWorld({
    seats: ADA_BOB_CAROL,
    team: { name: 'ops', by: 'cli' },
  })
  const { outputs, run } = world
  const addressOf = async (vault: CliVault) =>
    (JSON.parse((await run(vault, ['share', 'identity', '--json'])).stdout) as { address: string })
      .address
  const count = async (table: 'changes' | 'audit', kind: string, like = '%') =>
    (
      await team.dba(
        `SELECT count(*)::int AS n FROM bridgekeep.${table} WHERE kind = $1 AND body LIKE $2`,
        [kind, like],
      )
    ).rows[0].n as number

  const hold = (table: string, mode: 'SHARE' | 'ACCESS EXCLUSIVE') => holdTable(team, table, mode)
  const waitingBackend = () => waitingTeamBackend(team)
  const expectCleanFailure = (result: CliResult) => expectCleanTeamFailure(team, result)

  beforeAll(async () => {
    ;({
      team,
      vaults: [ada, bob, carol],
    } = await world.start())
  }, 120_000)
  afterAll(() => world.stop())

  it('the server restarted in the middle of an invite: a clear failure, nothing half-written; run again, added once', async () => {
    const invite = [
      'team',
      'invite',
      await addressOf(bob),
      '--role',
      'member',
      '--name',
      'Bob',
      '--db-login',
      'bob_login',
    ]
    // The change is written, the audit entry waits: the restart strikes between the two.
    const locker = await hold('audit', 'SHARE')
    const pending = run(ada, invite)
    await waitingBackend()
    team.server.restart()
    await release(locker)
    expectCleanFailure(await pending)
    expect(await count('changes', 'member.add', '%Bob%')).toBe(0)
    expect(await count('audit', 'member.add', '%Bob%')).toBe(0)

    const again = await run(ada, invite)
    expect(again, again.stderr).toMatchObject({ code: 0 })
    expect(again.stdout).toMatch(/^Added\s+Bob$/m)
    // As if the reply of that run had been lost: running it once more changes nothing.
    const thrice = await run(ada, invite)
    expect(thrice, thrice.stderr).toMatchObject({ code: 0 })
    expect(thrice.stdout).toMatch(/^Already a member\s+Bob$/m)
    expect(await count('changes', 'member.add', '%Bob%')).toBe(1)
    expect(await count('audit', 'member.add', '%Bob%')).toBe(1)
    const verified = await run(ada, ['team', 'verify'])
    expect(verified, verified.stderr).toMatchObject({ code: 0 })
  })

  it('the session killed (pg_terminate_backend) in the middle of a write: same', async () => {
    const invite = [
      'team',
      'invite',
      await addressOf(carol),
      '--role',
      'use-only',
      '--name',
      'Carol',
      '--db-login',
      'carol_login',
    ]
    const locker = await hold('audit', 'SHARE')
    const pending = run(ada, invite)
    const pid = await waitingBackend()
    expect((await team.dba('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0].ok).toBe(true)
    await locker.query('ROLLBACK')
    await release(locker)
    expectCleanFailure(await pending)
    expect(await count('changes', 'member.add', '%Carol%')).toBe(0)

    expect((await run(ada, invite)).code).toBe(0)
    expect(await count('changes', 'member.add', '%Carol%')).toBe(1)
    expect(await count('audit', 'member.add', '%Carol%')).toBe(1)
    for (const vault of [bob, carol]) {
      const joined = await run(vault, [
        'team',
        'join',
        'team-db',
        '--env',
        'staging',
        '--team',
        'ops',
        '--founder',
        (
          JSON.parse((await run(ada, ['share', 'identity', '--json'])).stdout) as {
            fingerprint: string
          }
        ).fingerprint,
      ])
      expect(joined, joined.stderr).toMatchObject({ code: 0 })
    }
  })

  it('the server restarted in the middle of a verify: a clear failure; run again, verified', async () => {
    // Reading the audit trail waits behind an exclusive lock: the restart strikes mid-read.
    const locker = await hold('audit', 'ACCESS EXCLUSIVE')
    const pending = run(bob, ['team', 'verify'])
    await waitingBackend()
    team.server.restart('immediate')
    await release(locker)
    const failed = await pending
    expectCleanFailure(failed)
    expect(failed.stderr).not.toContain('warning:')
    const again = await run(bob, ['team', 'verify'])
    expect(again, again.stderr).toMatchObject({ code: 0 })
    expect(again.stdout).toMatch(/^Result\s+verified: no warning$/m)
    expect(again.stdout).toMatch(/^Members\s+3 \(1 admin\)$/m)
  })

  it("a removed member's client cannot act, and its direct writes are ignored by others' replay", async () => {
    // Bob is made an admin (his login gets the admin's database role), then removed; the
    // database administrator has not revoked his login's role yet.
    expect(
      (await run(ada, ['team', 'role', 'Bob', '--role', 'admin', '--db-login', 'bob_login'])).code,
    ).toBe(0)
    const removed = await run(ada, ['team', 'remove', 'Bob'])
    expect(removed, removed.stderr).toMatchObject({ code: 0 })
    for (const args of [
      ['team', 'invite', (await testIdentityAddress()).address, '--role', 'admin'],
      ['team', 'remove', 'Carol'],
      ['team', 'role', 'Carol', '--role', 'admin'],
    ]) {
      const refused = await run(bob, args)
      expect(refused.code, args.join(' ')).toBe(1)
      expect(refused.stderr).toContain('This vault is no longer a member of ops.')
      expect(refused.stderr).not.toMatch(/^\s+at /m)
    }
    const before = await team.dba('SELECT count(*)::int AS n FROM bridgekeep.changes')

    // Bob's login writes directly, signed with Bob's real key, on the current head: a new admin.
    const mallory = await testIdentity('Mallory')
    const head = (
      await team.dba('SELECT team_id, seq, hash FROM bridgekeep.changes ORDER BY seq DESC LIMIT 1')
    ).rows[0] as { team_id: string; seq: string; hash: string }
    const bobKey = (await bob.services.sharing.localIdentity()).signingKey
    const forged = signRow(
      CHANGE_DOMAIN,
      {
        teamId: head.team_id,
        seq: Number(head.seq) + 1,
        author: (await bob.services.sharing.localIdentity()).address.signingKey,
        kind: 'member.add',
        body: canonicalJson({
          signingKey: mallory.signingKey,
          ageRecipient: mallory.ageRecipient,
          name: 'Mallory',
          role: 'admin',
        }),
        prevHash: head.hash,
      },
      bobKey,
    )
    const asBob = await team.client('bob_login')
    try {
      await asBob.query(
        'INSERT INTO bridgekeep.changes (team_id, seq, author, kind, body, prev_hash, hash, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [
          forged.teamId,
          forged.seq,
          forged.author,
          forged.kind,
          forged.body,
          forged.prevHash,
          forged.hash,
          forged.signature,
        ],
      )
      await asBob.query(
        "INSERT INTO bridgekeep.members (team_id, signing_key, age_recipient, name, role, since_seq) VALUES ($1, $2, $3, 'Mallory', 'admin', $4)",
        [forged.teamId, mallory.signingKey, mallory.ageRecipient, forged.seq],
      )
    } finally {
      await asBob.end()
    }
    expect((await team.dba('SELECT count(*)::int AS n FROM bridgekeep.changes')).rows[0].n).toBe(
      before.rows[0].n + 1,
    )
    for (const vault of [ada, carol]) {
      const seen = await run(vault, ['team', 'verify'])
      expect(seen.code).toBe(1)
      expect(seen.stderr).toContain(
        `warning: Change #${forged.seq} (member.add by key ${forged.author.slice(0, 8)}…) ignored: its author was not an admin of the team at that point.`,
      )
      expect(seen.stderr).toContain('The members table lists key')
      expect(seen.stdout).toMatch(/^Members\s+2 \(1 admin\)$/m)
    }
    // Honest clients go on from the trusted head: the next change is accepted by everyone.
    expect((await run(ada, ['team', 'role', 'Carol', '--role', 'member'])).code).toBe(0)
    const members = await run(carol, ['team', 'members'])
    expect(members.stdout).toMatch(/^Carol \(you\)\s+member\s/m)
    expect(members.stdout).not.toContain('Mallory')
  })

  it('the session killed in the middle of team init and of a role change: nothing half-written; run again, done once', async () => {
    // Runs `args`, kills its session as it waits to write the audit entry: a clean failure.
    const killedMidWrite = async (vault: CliVault, args: string[]) => {
      const locker = await hold('audit', 'SHARE')
      const pending = run(vault, args)
      const pid = await waitingBackend()
      await team.dba('SELECT pg_terminate_backend($1)', [pid])
      await release(locker)
      expectCleanFailure(await pending)
    }
    const init = ['team', 'init', 'team-db', '--env', 'staging', '--name', 'infra']
    await killedMidWrite(ada, init)
    // Not even the team's database roles are left: they were created in the same transaction.
    expect(
      (await team.dba("SELECT count(*)::int AS n FROM bridgekeep.teams WHERE name = 'infra'"))
        .rows[0].n,
    ).toBe(0)
    const roles = await team.dba(
      "SELECT rolname FROM pg_roles WHERE rolname LIKE 'bridgekeep_team_%'",
    )
    expect(roles.rows).toHaveLength(4) // the ops team's base role and its three
    const created = await run(ada, init)
    expect(created, created.stderr).toMatchObject({ code: 0 })
    expect(await count('audit', 'team.found')).toBe(2)

    // Carol is a member now (the test before made her one).
    const role = ['team', 'role', 'Carol', '--role', 'admin', '--team', 'ops']
    const roleChanges = await count('changes', 'member.role')
    const roleEntries = await count('audit', 'member.role')
    await killedMidWrite(ada, role)
    expect(await count('changes', 'member.role')).toBe(roleChanges)
    expect((await run(ada, role)).code).toBe(0)
    expect((await run(ada, role)).stdout).toContain(
      'Carol of ops is already admin: nothing changed.',
    )
    expect(await count('changes', 'member.role')).toBe(roleChanges + 1)
    expect(await count('audit', 'member.role')).toBe(roleEntries + 1)
  })

  it('no password or private key in any output', async () => {
    const canaries = [...team.passwords.values()]
    for (const vault of [ada, bob, carol]) {
      canaries.push(await vault.services.sharing.ageIdentityForTests())
      canaries.push(
        (await vault.services.sharing.localIdentity()).signingKey.export({ format: 'jwk' }).d!,
      )
    }
    expect(outputs.length).toBeGreaterThan(20)
    for (const canary of canaries)
      for (const o of outputs)
        expect((o.stdout + o.stderr).includes(canary), `canary ${canary.slice(0, 4)}…`).toBe(false)
  })
})

async function testIdentityAddress() {
  const identity = await testIdentity('Dave')
  return parseAddress(formatAddress(identity.ageRecipient, identity.signingKey))
}

import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import { unlockedServices } from '../../../../test/services'
import { threeSeated } from '../../../../test/team-connections'
import { TEAM_DATABASE, teamDbConnection, type TeamServer } from '../../../../test/teams'
import { TEAM_SCHEMA_VERSION, teamRoleName, teamRoleNames } from '../../db/team-migrations'
import { CHANGE_DOMAIN } from './change-chain'
import { canonicalJson, signRow } from './signed-chain'
import { testIdentity } from './team-test-support'
import { formatAddress, parseAddress } from '../sharing/share-address'

type Vault = Awaited<ReturnType<typeof unlockedServices>>

let team: TeamServer
let ada: Vault
let bob: Vault
let carol: Vault
let platformId: string

const fingerprint = async (v: Vault) => (await v.services.sharing.identity()).fingerprint
const address = async (v: Vault) => (await v.services.sharing.identity()).address
const roles = async (v: Vault, name?: string) =>
  Object.fromEntries(
    (await v.services.teams.members(name)).members.map((m) => [m.name, m.role] as const),
  )

beforeAll(async () => {
  ;({ team, ada, bob, carol } = await threeSeated())
}, 120_000)
afterAll(() => team?.server.stop())

describe('a team space on a real PostgreSQL', { timeout: 60_000 }, () => {
  it('team init creates the schema and the team, founded by this vault', async () => {
    const created = await ada.services.teams.init(TEAM_DATABASE, 'platform')
    platformId = created.id
    expect(created).toMatchObject({
      name: 'platform',
      connection: 'team-db',
      environment: 'staging',
    })
    const version = await team.dba('SELECT max(version) AS v FROM bridgekeep.schema_version')
    expect(version.rows[0].v).toBe(TEAM_SCHEMA_VERSION)
    expect(await roles(ada)).toEqual({ Ada: 'admin' })
    // A second team in the same database: the schema is there already.
    await ada.services.teams.init(TEAM_DATABASE, 'infra')
    expect(ada.services.teams.list().map((t) => t.name)).toEqual(['infra', 'platform'])
    // Another vault may not take a name the database already has.
    const dave = await unlockedServices()
    teamDbConnection(dave.services, team, 'bk_owner')
    await expect(dave.services.teams.init(TEAM_DATABASE, 'Platform')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('A team named Platform already exists'),
    })
    const actions = ada.services.audit.query({ limit: 50 }).entries.map((e) => e.action)
    expect(actions.filter((a) => a === 'team.create')).toHaveLength(2)
    expect(actions).toContain('team.connect')
  })

  it('refuses a schema newer than this version knows, changing nothing', async () => {
    await team.dba("INSERT INTO bridgekeep.schema_version (version, name) VALUES (99, 'future')")
    try {
      await expect(ada.services.teams.init(TEAM_DATABASE, 'other')).rejects.toMatchObject({
        code: 'TEAM_SCHEMA_TOO_NEW',
        message: expect.stringContaining(
          `schema 99; this version knows up to ${TEAM_SCHEMA_VERSION}`,
        ),
      })
    } finally {
      await team.dba('DELETE FROM bridgekeep.schema_version WHERE version = 99')
    }
    expect(
      (await team.dba("SELECT count(*)::int AS n FROM bridgekeep.teams WHERE name = 'other'"))
        .rows[0].n,
    ).toBe(0)
  })

  it('joining needs an invitation and the founder pinned by fingerprint', async () => {
    // Before the database administrator grants the team's role, the login sees no team space.
    await expect(
      bob.services.teams.join(TEAM_DATABASE, 'platform', await fingerprint(ada)),
    ).rejects.toMatchObject({
      code: 'TEAM_UNAVAILABLE',
      hint: expect.stringContaining('grant your login the database role of your team role'),
      message: expect.stringContaining('This login may not use the team spaces on'),
    })
    await team.dba(`GRANT ${teamRoleName(platformId)} TO bob_login, carol_login`)
    const notYet = bob.services.teams.join(TEAM_DATABASE, 'platform', await fingerprint(ada))
    await expect(notYet).rejects.toMatchObject({
      code: 'FORBIDDEN',
      hint: expect.stringContaining(await address(bob)),
    })
    // The owner's login may grant roles: the invitation gives each login its role's database role.
    await ada.services.teams.invite('platform', await address(bob), 'member', 'Bob', 'bob_login')
    await ada.services.teams.invite(
      'platform',
      await address(carol),
      'use-only',
      'Carol',
      'carol_login',
    )
    // Without a fingerprint: told what the database claims, and to compare it.
    await expect(bob.services.teams.join(TEAM_DATABASE, 'platform')).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining(await fingerprint(ada)),
    })
    await expect(
      bob.services.teams.join(TEAM_DATABASE, 'platform', await fingerprint(carol)),
    ).rejects.toMatchObject({ message: expect.stringContaining('is not the one given') })
    await bob.services.teams.join(
      TEAM_DATABASE,
      'platform',
      (await fingerprint(ada)).replace(/ /g, ''),
    )
    // Carol verified Ada as a contact: that pins the founder.
    const contact = await carol.services.sharing.addContact({
      name: 'Ada',
      address: await address(ada),
    })
    carol.services.sharing.verifyContact({ id: contact.id, verified: true })
    await carol.services.teams.join(TEAM_DATABASE, 'platform')
    expect(await roles(bob)).toEqual({ Ada: 'admin', Bob: 'member', Carol: 'use-only' })
  })

  it('only admins change membership', async () => {
    await expect(
      bob.services.teams.invite(undefined, await address(carol), 'admin'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('you are a member'),
    })
  })

  it('a DBA editing rows directly is detected and ignored, with the row named', async () => {
    // Disabling triggers, as only a superuser can: raise Carol to admin in the log and the table.
    const carolRow = (
      await team.dba(
        "SELECT seq, body FROM bridgekeep.changes WHERE team_id = $1 AND body LIKE '%Carol%'",
        [platformId],
      )
    ).rows[0]
    await team.dbaEdit(
      `UPDATE bridgekeep.changes SET body = replace(body, '"use-only"', '"admin"') WHERE team_id = '${platformId}' AND seq = ${carolRow.seq}`,
    )
    await team.dbaEdit(
      `UPDATE bridgekeep.members SET role = 'admin' WHERE team_id = '${platformId}' AND name = 'Carol'`,
    )
    const seen = await bob.services.teams.members('platform')
    expect(Object.fromEntries(seen.members.map((m) => [m.name, m.role]))).toEqual({
      Ada: 'admin',
      Bob: 'member',
    })
    expect(seen.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `^Change #${carolRow.seq} \\(member\\.add by key .{8}…\\) ignored: its content does not match its hash`,
          ),
        ),
        expect.stringContaining('The members table lists key'),
      ]),
    )
    // Put it back (as the DBA), then cut the log back: the vault remembers what it saw.
    await team.dbaEdit(
      `UPDATE bridgekeep.changes SET body = $$${carolRow.body}$$ WHERE team_id = '${platformId}' AND seq = ${carolRow.seq}`,
    )
    await team.dbaEdit(
      `UPDATE bridgekeep.members SET role = 'use-only' WHERE team_id = '${platformId}' AND name = 'Carol'`,
    )
    expect((await bob.services.teams.members('platform')).warnings).toEqual([])
    const last = (
      await team.dba(
        'SELECT * FROM bridgekeep.changes WHERE team_id = $1 ORDER BY seq DESC LIMIT 1',
        [platformId],
      )
    ).rows[0]
    await team.dbaEdit(
      `DELETE FROM bridgekeep.changes WHERE team_id = '${platformId}' AND seq = ${last.seq}`,
    )
    const cut = await bob.services.teams.members('platform')
    expect(cut.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          `Change #${last.seq}, which this vault verified before, is missing`,
        ),
      ]),
    )
    await team.dba(
      'INSERT INTO bridgekeep.changes (team_id, seq, author, kind, body, prev_hash, hash, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [
        last.team_id,
        last.seq,
        last.author,
        last.kind,
        last.body,
        last.prev_hash,
        last.hash,
        last.signature,
      ],
    )
    // An audit entry rewritten: the first broken link is named.
    await team.dbaEdit(
      `UPDATE bridgekeep.audit SET body = replace(body, 'joined', 'left') WHERE team_id = '${platformId}' AND kind = 'member.join'`,
    )
    const broken = await bob.services.teams.members('platform')
    expect(broken.warnings).toEqual([
      expect.stringMatching(
        /^The team audit trail is broken at entry #\d+: its content does not match its hash/,
      ),
    ])
    await team.dbaEdit(
      `UPDATE bridgekeep.audit SET body = replace(body, 'left', 'joined') WHERE team_id = '${platformId}' AND kind = 'member.join'`,
    )

    // A forged change inserted on the head, signed by an outsider claiming to be Ada: ignored,
    // and honest changes written after it build on the trusted head, not on it.
    const mallory = await testIdentity('Mallory')
    const head = last as { seq: string; hash: string }
    const forged = signRow(
      CHANGE_DOMAIN,
      {
        teamId: platformId,
        seq: Number(head.seq) + 1,
        author: (await ada.services.sharing.localIdentity()).address.signingKey,
        kind: 'member.add',
        body: canonicalJson({
          signingKey: mallory.signingKey,
          ageRecipient: mallory.ageRecipient,
          name: 'Mallory',
          role: 'admin',
        }),
        prevHash: head.hash,
      },
      mallory.key,
    )
    await team.dba(
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
    const ignored = `Change #${forged.seq} (member.add by key ${forged.author.slice(0, 8)}…) ignored: its signature does not match its author.`
    const onHead = await bob.services.teams.members('platform')
    expect(onHead.members.map((m) => m.name).sort()).toEqual(['Ada', 'Bob', 'Carol'])
    expect(onHead.warnings).toEqual([ignored])
    await ada.services.teams.invite('platform', (await testAddress()).address, 'member', 'Dave')
    const afterForgery = await bob.services.teams.members('platform')
    expect(afterForgery.members.map((m) => m.name).sort()).toEqual(['Ada', 'Bob', 'Carol', 'Dave'])
    // Behind the trusted head now: routine reads continue after that head (they do not read the
    // forged row again); the full replay of `team verify` still names it.
    expect(afterForgery.warnings).toEqual([])
    expect((await bob.services.teams.verify('platform')).warnings).toEqual([ignored])
    await ada.services.teams.remove('platform', 'Dave')
  })

  it('a removed member can no longer change the team, and the removal is signed and audited', async () => {
    await expect(
      ada.services.teams.invite('platform', await address(carol), 'admin'),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: 'Carol is already a member of platform.' })
    const removed = await ada.services.teams.remove('platform', 'Bob')
    // No login given: the statement for the database administrator (until then Bob's login reads).
    const { member, base } = teamRoleNames(teamRoleName(platformId))
    expect(removed).toEqual({
      ...{ team: 'platform', name: 'Bob', role: 'member' },
      database: { statements: [`REVOKE ${member}, ${base} FROM <their login>`], applied: false },
    })
    expect(await roles(bob)).toEqual({ Ada: 'admin', Carol: 'use-only' })
    await expect(
      bob.services.teams.invite('platform', await address(bob), 'admin'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This vault is no longer a member of platform.',
    })
    await expect(ada.services.teams.remove('platform', 'Ada')).rejects.toMatchObject({
      message: expect.stringContaining('only admin'),
    })
    const kinds = (
      await team.dba('SELECT kind FROM bridgekeep.audit WHERE team_id = $1 ORDER BY seq', [
        platformId,
      ])
    ).rows.map((r) => r.kind)
    expect(kinds).toEqual([
      'team.found',
      'member.add',
      'member.add',
      'member.join',
      'member.join',
      'member.add',
      'member.remove',
      'member.remove',
    ])
  })

  it('no private key or password is in any table, the WAL or the server log', async () => {
    const canaries: string[] = [...team.passwords.values()]
    for (const vault of [ada, bob, carol]) {
      canaries.push(await vault.services.sharing.ageIdentityForTests())
      const me = await vault.services.sharing.localIdentity()
      canaries.push(me.signingKey.export({ format: 'jwk' }).d!)
      canaries.push(me.signingKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'))
    }
    const texts = await team.everything()
    for (const vault of [ada, bob, carol]) {
      const raw = new BetterSqlite3(vault.services.vault.path, { readonly: true })
      texts.push(JSON.stringify(raw.prepare('SELECT * FROM audit_log').all()))
      texts.push(JSON.stringify(raw.prepare('SELECT * FROM team_spaces').all()))
      raw.close()
    }
    // The checks can fail: the log holds every statement Bridgekeep sent, and the WAL is there.
    expect(readFileSync(team.server.logFile, 'utf8')).toContain('INSERT INTO bridgekeep.changes')
    for (const canary of canaries)
      for (const [i, text] of texts.entries())
        expect(
          text.includes(canary),
          `canary ${canary.slice(0, 4)}… in text ${i} ${text.slice(text.indexOf(canary) - 200, text.indexOf(canary)).replace(canary, '<canary>')}`,
        ).toBe(false)
  })
})

/** A share address of a new identity, as a teammate would give theirs. */
async function testAddress() {
  const identity = await testIdentity('Dave')
  return parseAddress(formatAddress(identity.ageRecipient, identity.signingKey))
}

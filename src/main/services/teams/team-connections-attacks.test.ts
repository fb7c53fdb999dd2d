import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  dbaEdit,
  signingKeyOf,
  teamOfThree,
  wrapsOf,
  type TeamOfThree,
  type TeamVault,
} from '../../../../test/team-connections'
import { TEAM_DATABASE } from '../../../../test/teams'
import { teamRoleName, teamRoleNames } from '../../db/team-migrations'
import { CHANGE_DOMAIN } from './change-chain'
import { canonicalJson, signRow } from './signed-chain'

let t: TeamOfThree
let ada: TeamVault
let bob: TeamVault
let carol: TeamVault
/** Every warning and error message the attacks produced: none may hold a secret. */
const messages: string[] = []

/** Ada pushes app-db and ci-db (allowed in staging); Bob (member) syncs them. */
beforeAll(async () => {
  t = await teamOfThree()
  ;({ ada, bob, carol } = t)
  t.appDb(ada, 'app-db')
  t.appDb(ada, 'ci-db', 'ci.internal.example')
  for (const name of ['app-db', 'ci-db'])
    await ada.services.teamConnections.push('platform', name, { environments: ['staging'] })
  await bob.services.teamConnections.sync('platform')
}, 120_000)
afterAll(() => t?.team.server.stop())

const warningsOf = async (vault: TeamVault) => {
  const { warnings } = await vault.services.teamConnections.sync('platform')
  messages.push(...warnings)
  return warnings
}
const openError = async (vault: TeamVault, name: string) => {
  const error = (await vault.services.teamConnections
    .open('platform', name, 'staging')
    .then(() => undefined)
    .catch((e: unknown) => e)) as { code: string; message: string; hint?: string } | undefined
  if (error) messages.push(error.message, error.hint ?? '')
  return error
}
const sealedOf = async (name: string, version: number) =>
  (
    await t.team.dba(
      `SELECT s.connection_id, s.ciphertext FROM bridgekeep.sealed_secrets s JOIN bridgekeep.changes c
          ON c.kind = 'connection.put' AND (c.body::jsonb ->> 'connectionId')::uuid = s.connection_id
         AND (c.body::jsonb ->> 'version')::int = s.version
       WHERE c.body::jsonb ->> 'name' = $1 AND s.version = $2`,
      [name, version],
    )
  ).rows[0] as { connection_id: string; ciphertext: Buffer }
const setCiphertext = (connectionId: string, version: number, ciphertext: Buffer) =>
  dbaEdit(
    t.team,
    'UPDATE bridgekeep.sealed_secrets SET ciphertext = $1 WHERE connection_id = $2 AND version = $3',
    [ciphertext, connectionId, version],
  )
const putCount = async () =>
  (
    await t.team.dba(
      "SELECT count(*)::int AS n FROM bridgekeep.changes WHERE kind = 'connection.put'",
    )
  ).rows[0].n as number

/**
 * A change signed by `signer`'s real key on the trusted head, inserted by `login` (the superuser
 * by default, as a DBA would): what a member, a removed admin or a DBA could write.
 */
async function forge(signer: TeamVault, kind: string, body: unknown, login?: string) {
  const trusted = (await ada.services.teams.verify('platform')).lastTrustedChange
  const rows = (
    await t.team.dba('SELECT seq, hash FROM bridgekeep.changes WHERE team_id = $1 ORDER BY seq', [
      t.teamId,
    ])
  ).rows as { seq: string; hash: string }[]
  const identity = await signer.services.sharing.localIdentity()
  const row = signRow(
    CHANGE_DOMAIN,
    {
      teamId: t.teamId,
      seq: Number(rows.at(-1)!.seq) + 1,
      author: identity.address.signingKey,
      kind,
      body: canonicalJson(body),
      prevHash: rows.find((r) => Number(r.seq) === trusted)!.hash,
    },
    identity.signingKey,
  )
  await insertChange(row, login)
  return row
}
async function insertChange(row: object, login?: string) {
  const sql =
    'INSERT INTO bridgekeep.changes (team_id, seq, author, kind, body, prev_hash, hash, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)'
  const values = ['teamId', 'seq', 'author', 'kind', 'body', 'prevHash', 'hash', 'signature'].map(
    (k) => (row as Record<string, unknown>)[k],
  )
  if (!login) return void (await t.team.dba(sql, values))
  const client = await t.team.client(login)
  try {
    await client.query(sql, values)
  } finally {
    await client.end()
  }
}
/** The warning every client gives for a change whose author was not an admin then. */
const notAdmin = (row: { seq: number; kind: string; author: string }) =>
  `Change #${row.seq} (${row.kind} by key ${row.author.slice(0, 8)}…) ignored: its author was not an admin of the team at that point.`

describe('attacks on team connections, as a DBA or another login', { timeout: 60_000 }, () => {
  it("two connections' sealed rows swapped: both named, neither opened", async () => {
    const app = await sealedOf('app-db', 1)
    const ci = await sealedOf('ci-db', 1)
    await setCiphertext(app.connection_id, 1, ci.ciphertext)
    await setCiphertext(ci.connection_id, 1, app.ciphertext)
    const warnings = await warningsOf(bob)
    for (const name of ['app-db', 'ci-db']) {
      expect(warnings).toContainEqual(
        expect.stringContaining(
          `Team connection "${name}" version 1: its sealed secrets do not match its signed change`,
        ),
      )
      expect(await openError(bob, name)).toMatchObject({ code: 'TEAM_TAMPERED' })
    }
    await setCiphertext(app.connection_id, 1, app.ciphertext)
    await setCiphertext(ci.connection_id, 1, ci.ciphertext)
    expect(await warningsOf(bob)).toEqual([])
  })

  it("an older version's sealed row and wrapped key replayed under the newer version: named, not opened", async () => {
    const local = ada.services.connections.findByRef('app-db')
    ada.services.connections.update({ id: local.id, values: { database: 'app2' } })
    expect((await ada.services.teamConnections.push('platform', 'app-db')).version).toBe(2)
    const old = await sealedOf('app-db', 1)
    const current = await sealedOf('app-db', 2)
    const bobKey = await signingKeyOf(bob)
    const bobWrap = async (version: number) =>
      (await wrapsOf(t.team, 'app-db', version)).find((w) => w.recipient === bobKey)!.wrapped
    const [oldWrap, newWrap] = [await bobWrap(1), await bobWrap(2)]
    const setBobWrap = (wrapped: Buffer) =>
      dbaEdit(
        t.team,
        'UPDATE bridgekeep.key_wraps SET wrapped = $1 WHERE connection_id = $2 AND version = 2 AND recipient = $3',
        [wrapped, current.connection_id, bobKey],
      )
    await setCiphertext(current.connection_id, 2, old.ciphertext)
    await setBobWrap(oldWrap)
    expect(await warningsOf(bob)).toEqual([
      expect.stringContaining(
        'Team connection "app-db" version 2: its sealed secrets do not match its signed change',
      ),
    ])
    expect(await openError(bob, 'app-db')).toMatchObject({ code: 'TEAM_TAMPERED' })
    // The right ciphertext, the older version's key: its binding names the other version.
    await setCiphertext(current.connection_id, 2, current.ciphertext)
    expect(await warningsOf(bob)).toEqual([])
    expect(await openError(bob, 'app-db')).toMatchObject({
      code: 'TEAM_TAMPERED',
      message: expect.stringContaining('was changed in the database') as string,
    })
    await setBobWrap(newWrap)
    expect(await openError(bob, 'app-db')).toBeUndefined()
  })

  it('a connection.put or a matrix change signed by a member (not an admin) is ignored and named', async () => {
    // Bob's own login may not even write a change: the database refuses.
    const connectionId = (await sealedOf('ci-db', 1)).connection_id
    const put = {
      connectionId,
      version: 2,
      baseVersion: 1,
      name: 'ci-db',
      provider: 'postgres',
      authMode: 'inline',
      fields: { host: 'evil.example' },
      secretsHash: '0'.repeat(64),
      at: new Date().toISOString(),
    }
    await expect(forge(bob, 'connection.put', put, 'bob_login')).rejects.toMatchObject({
      code: '42501',
    })
    const forgedPut = await forge(bob, 'connection.put', put)
    const forgedMatrix = await forge(bob, 'connection.environments', {
      connectionId,
      environments: ['production', 'staging'],
    })
    for (const vault of [ada, bob]) {
      const warnings = await warningsOf(vault)
      expect(warnings).toContain(notAdmin(forgedPut))
      expect(warnings).toContain(notAdmin(forgedMatrix))
    }
    const ci = bob.services.teamConnections
      .list('platform')
      .connections.find((c) => c.name === 'ci-db')
    expect(ci).toMatchObject({ version: 1, environments: ['staging'] })
    expect(await openError(bob, 'ci-db')).toBeUndefined()
    await expect(
      bob.services.teamConnections.open('platform', 'ci-db', 'production'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // Honest clients go on from the trusted head.
    await ada.services.teamConnections.setEnvironments('platform', 'ci-db', { allow: ['dev'] })
    await bob.services.teamConnections.sync('platform')
    expect(
      bob.services.teamConnections.list('platform').connections.find((c) => c.name === 'ci-db'),
    ).toMatchObject({ environments: ['dev', 'staging'] })
  })

  it("a change from another team's log pasted in is ignored and named", async () => {
    await ada.services.teams.init(TEAM_DATABASE, 'other')
    await ada.services.teamConnections.push('other', 'app-db', { environments: ['staging'] })
    const [theirs] = (
      await t.team.dba(
        "SELECT c.* FROM bridgekeep.changes c JOIN bridgekeep.teams t ON t.id = c.team_id WHERE t.name = 'other' AND c.kind = 'connection.put'",
      )
    ).rows as Record<string, unknown>[]
    const last = (
      await t.team.dba('SELECT max(seq)::int AS seq FROM bridgekeep.changes WHERE team_id = $1', [
        t.teamId,
      ])
    ).rows[0].seq as number
    const pasted = { ...theirs!, teamId: t.teamId, seq: last + 1, prevHash: theirs!.prev_hash }
    await insertChange(pasted)
    const warnings = await warningsOf(bob)
    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Change #${last + 1} \\(connection\\.put by key .{8}…\\) ignored: `),
      ),
    )
    expect(bob.services.teamConnections.list('platform').connections.map((c) => c.name)).toEqual([
      'app-db',
      'ci-db',
    ])
  })

  it("a use-only member's login wrapping a key to itself is refused; a DBA's wrap is ignored and named", async () => {
    const carolKey = await signingKeyOf(carol)
    const { connection_id: connectionId } = await sealedOf('ci-db', 1)
    const adaWrap = (await wrapsOf(t.team, 'ci-db', 1))[0]!.wrapped
    const insertWrap =
      'INSERT INTO bridgekeep.key_wraps (team_id, connection_id, version, recipient, wrapped) VALUES ($1, $2, 1, $3, $4)'
    const asCarol = await t.team.client('carol_login')
    try {
      await expect(
        asCarol.query(insertWrap, [t.teamId, connectionId, carolKey, adaWrap]),
      ).rejects.toMatchObject({ code: '42501' })
    } finally {
      await asCarol.end()
    }
    const puts = await putCount()
    await t.team.dba(insertWrap, [t.teamId, connectionId, carolKey, adaWrap])
    const stray = `The key of team connection "ci-db" version 1 wrapped to key ${carolKey.slice(0, 8)}… is ignored: that key is not a full member of the team`
    for (const vault of [ada, bob])
      expect(await warningsOf(vault)).toContainEqual(expect.stringContaining(stray))
    expect(await putCount()).toBe(puts) // nothing re-keyed because of it
    expect(await openError(carol, 'ci-db')).toMatchObject({ code: 'USE_ONLY' })
  })

  it("a removed admin's connection.put and a wrap for them inserted after the removal: ignored and named", async () => {
    // Bob is made an admin (his login gets the admin's role), then removed; the database
    // administrator has not revoked his login's role yet, so his login can still write.
    const roles = teamRoleNames(teamRoleName(t.teamId))
    await t.team.dba(`GRANT ${roles.admin} TO bob_login`)
    await ada.services.teams.role('platform', 'Bob', 'admin')
    const removed = await ada.services.teams.remove('platform', 'Bob')
    expect(removed).toMatchObject({ rotate: ['app-db', 'ci-db'], notRekeyed: [] })
    const bobKey = await signingKeyOf(bob)
    const current = await sealedOf('ci-db', 2)
    const forgedPut = await forge(
      bob,
      'connection.put',
      {
        connectionId: current.connection_id,
        version: 3,
        baseVersion: 2,
        name: 'ci-db',
        provider: 'postgres',
        authMode: 'inline',
        fields: { host: 'evil.example' },
        secretsHash: '0'.repeat(64),
        at: new Date().toISOString(),
      },
      'bob_login',
    )
    // A wrap for Bob on the new version, by his own login: a copy of his wrap of version 1.
    const oldWrap = (await wrapsOf(t.team, 'ci-db', 1)).find((w) => w.recipient === bobKey)!.wrapped
    const asBob = await t.team.client('bob_login')
    try {
      await asBob.query(
        'INSERT INTO bridgekeep.key_wraps (team_id, connection_id, version, recipient, wrapped) VALUES ($1, $2, 2, $3, $4)',
        [t.teamId, current.connection_id, bobKey, oldWrap],
      )
    } finally {
      await asBob.end()
    }
    const puts = await putCount()
    const warnings = await warningsOf(ada)
    expect(warnings).toContain(notAdmin(forgedPut))
    expect(warnings).toContainEqual(
      expect.stringContaining(
        `The key of team connection "ci-db" version 2 wrapped to key ${bobKey.slice(0, 8)}… is ignored`,
      ),
    )
    expect(await putCount()).toBe(puts)
    expect(await openError(ada, 'ci-db')).toBeUndefined()
    expect(await openError(bob, 'ci-db')).toMatchObject({ code: 'FORBIDDEN' })
  })

  it('no secret is in any warning or error the attacks produced', async () => {
    expect(messages.length).toBeGreaterThan(10)
    const canaries = [...t.canaries, ...t.team.passwords.values()]
    for (const vault of [ada, bob, carol])
      canaries.push(await vault.services.sharing.ageIdentityForTests())
    for (const secret of canaries)
      for (const message of messages) expect(message.includes(secret)).toBe(false)
    expect(messages.join('\n')).not.toMatch(/^\s+at /m)
  })
})

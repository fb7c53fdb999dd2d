import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  dbaEdit,
  signingKeyOf,
  teamOfThree,
  whereSecretsCouldBe,
  wrapsOf,
  type TeamOfThree,
  type TeamVault,
} from '../../../../test/team-connections'
import { teamRoleName, teamRoleNames } from '../../db/team-migrations'
import { unwrapForMe } from './key-wrap'

let t: TeamOfThree
let ada: TeamVault
let bob: TeamVault
let carol: TeamVault
let dave: TeamVault | undefined

/** Ada pushes app-db (allowed in staging); Bob syncs it. */
beforeAll(async () => {
  t = await teamOfThree()
  ;({ ada, bob, carol } = t)
  t.appDb(ada, 'app-db')
  await ada.services.teamConnections.push('platform', 'app-db', { environments: ['staging'] })
  await bob.services.teamConnections.sync('platform')
}, 120_000)
afterAll(() => t?.team.server.stop())

describe('team connections edited in the database, and revocation', { timeout: 60_000 }, () => {
  it('ciphertext, a wrapped key or a change edited in the database is detected and named', async () => {
    const version = 1
    const { ciphertext } = (
      await t.team.dba(
        'SELECT ciphertext FROM bridgekeep.sealed_secrets WHERE team_id = $1 AND version = $2',
        [t.teamId, version],
      )
    ).rows[0] as { ciphertext: Buffer }
    const flipped = Buffer.from(ciphertext)
    flipped[flipped.length - 5]! ^= 1
    await dbaEdit(
      t.team,
      'UPDATE bridgekeep.sealed_secrets SET ciphertext = $1 WHERE version = 1',
      [flipped],
    )
    const synced = await ada.services.teamConnections.sync('platform')
    const named = `Team connection "app-db" version 1: its sealed secrets do not match its signed change`
    expect(synced.warnings).toEqual([expect.stringContaining(named)])
    expect(ada.services.teamConnections.list('platform').connections[0]!.problem).toContain(named)
    await expect(
      ada.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({ code: 'TEAM_TAMPERED', message: expect.stringContaining(named) })
    await dbaEdit(
      t.team,
      'UPDATE bridgekeep.sealed_secrets SET ciphertext = $1 WHERE version = 1',
      [ciphertext],
    )

    // Ada's wrapped key replaced with Bob's: it does not open with Ada's identity.
    const wraps = await wrapsOf(t.team, 'app-db', version)
    const adaKey = await signingKeyOf(ada)
    const bobKey = await signingKeyOf(bob)
    const bobWrap = wraps.find((w) => w.recipient === bobKey)!.wrapped
    await dbaEdit(
      t.team,
      'UPDATE bridgekeep.key_wraps SET wrapped = $1 WHERE version = 1 AND recipient = $2',
      [bobWrap, adaKey],
    )
    await expect(
      ada.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({
      code: 'TEAM_TAMPERED',
      message:
        'The key of team connection "app-db" version 1 was changed in the database: the key wrapped to this vault does not open with its identity. It cannot be opened.',
    })
    const adaWrap = wraps.find((w) => w.recipient === adaKey)!.wrapped
    await dbaEdit(
      t.team,
      'UPDATE bridgekeep.key_wraps SET wrapped = $1 WHERE version = 1 AND recipient = $2',
      [adaWrap, adaKey],
    )
    expect(
      (await ada.services.teamConnections.open('platform', 'app-db', 'staging')).secrets,
    ).toEqual({
      password: expect.stringMatching(/^pw-/) as string,
    })

    // The change that allowed production, edited to allow everything: ignored and named.
    const [matrix] = (
      await t.team.dba(
        "SELECT seq, body FROM bridgekeep.changes WHERE kind = 'connection.environments' ORDER BY seq LIMIT 1",
      )
    ).rows as { seq: string; body: string }[]
    const forged = matrix!.body.replace('"staging"', '"production","staging"')
    await dbaEdit(t.team, 'UPDATE bridgekeep.changes SET body = $1 WHERE seq = $2', [
      forged,
      matrix!.seq,
    ])
    const warned = await bob.services.teamConnections.sync('platform')
    expect(warned.warnings[0]).toBe(
      `Change #${matrix!.seq} (connection.environments by key ${adaKey.slice(0, 8)}…) ignored: its content does not match its hash (it was edited after it was written).`,
    )
    await dbaEdit(t.team, 'UPDATE bridgekeep.changes SET body = $1 WHERE seq = $2', [
      matrix!.body,
      matrix!.seq,
    ])
    expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
  })

  it('a log cut back below what this vault verified: nothing is opened, the copy is kept', async () => {
    await ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['dev'] })
    await bob.services.teamConnections.open('platform', 'app-db', 'dev') // Bob verified it
    const [newest] = (
      await t.team.dba(
        'SELECT * FROM bridgekeep.changes WHERE team_id = $1 ORDER BY seq DESC LIMIT 1',
        [t.teamId],
      )
    ).rows as Record<string, unknown>[]
    expect(newest!.kind).toBe('connection.environments')
    await dbaEdit(t.team, 'DELETE FROM bridgekeep.changes WHERE team_id = $1 AND seq = $2', [
      t.teamId,
      newest!.seq,
    ])
    await expect(
      bob.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({
      code: 'TEAM_TAMPERED',
      message: expect.stringContaining(
        `lost changes this vault verified before: team connections are not opened until they are back. Change #${newest!.seq}, which this vault verified before, is missing`,
      ),
    })
    const synced = await bob.services.teamConnections.sync('platform')
    expect(synced.warnings).toEqual([
      expect.stringContaining(`Change #${newest!.seq}, which this vault verified before`),
    ])
    expect(bob.services.teamConnections.list('platform').connections[0]!.environments).toEqual([
      'dev',
      'staging',
    ])
    const columns = Object.keys(newest!)
    await dbaEdit(
      t.team,
      `INSERT INTO bridgekeep.changes (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(newest!),
    )
    expect((await bob.services.teamConnections.open('platform', 'app-db', 'dev')).offline).toBe(
      false,
    )
  })

  it('removing a full member re-keys every connection; their identity opens no new version', async () => {
    const bobKey = await signingKeyOf(bob)
    const bobAge = await bob.services.sharing.ageIdentityForTests()
    await ada.services.teamConnections.sync('platform')
    const removed = await ada.services.teams.remove('platform', 'Bob')
    expect(removed).toMatchObject({
      name: 'Bob',
      role: 'member',
      rotate: ['app-db'],
      notRekeyed: [],
    })
    await ada.services.teamConnections.sync('platform')
    const [current] = ada.services.teamConnections.list('platform').connections
    expect(current).toMatchObject({ version: 2, updatedBy: 'Ada' })
    const wraps = await wrapsOf(t.team, 'app-db', 2)
    expect(wraps.map((w) => w.recipient)).toEqual([await signingKeyOf(ada)])
    // Bob's identity with every wrap of the new version: none opens.
    for (const wrap of wraps)
      await expect(
        unwrapForMe(wrap.wrapped, bobAge, {
          teamId: t.teamId,
          connectionId: current!.id,
          version: 2,
        }),
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
    dave = await t.newMember('Dave', 'bob_login', 'member')
    // Ada's copy is older than the change she just verified (the invitation): still no warning.
    expect(ada.services.teamConnections.list('platform')).toEqual(before)
    expect(before.warnings).toEqual([])
    expect(
      (await dave.services.teamConnections.open('platform', 'app-db', 'staging')).secrets,
    ).toEqual({
      password: expect.stringMatching(/^pw-/) as string,
    })
    // An admin who demotes themselves cannot re-key any more: every connection is named.
    await ada.services.teams.role('platform', 'Dave', 'admin')
    const selfDemoted = await ada.services.teams.role('platform', 'Ada', 'use-only')
    expect(selfDemoted).toMatchObject({ rotate: ['app-db'], notRekeyed: ['app-db'] })
    // Dave's login does not hold the admin's database role yet: his sync still syncs, and says
    // what it could not do.
    const refused = await dave.services.teamConnections.sync('platform')
    expect(refused.rekeyed).toEqual([])
    expect(refused.warnings).toEqual([
      expect.stringContaining('This vault could not give the connections below a new key:'),
      expect.stringContaining('Team connection "app-db" version 2 is still under a key'),
    ])
    // Once the database administrator grants it, the demotion run again by Dave gives it the
    // new key Ada could not (an admin's sync would too: team-connection-faults.test.ts).
    await t.team.dba(`GRANT ${teamRoleNames(teamRoleName(t.teamId)).admin} TO bob_login`)
    expect(await dave.services.teams.role('platform', 'Ada', 'use-only')).toMatchObject({
      changed: false,
      rotate: ['app-db'],
      notRekeyed: [],
    })
    expect(await dave.services.teamConnections.sync('platform')).toMatchObject({
      rekeyed: [],
      warnings: [],
    })
    expect(
      (await dave.services.teamConnections.open('platform', 'app-db', 'staging')).connection,
    ).toMatchObject({ version: 3, updatedBy: 'Dave' })
  })

  it('no secret is in clear in any team table, the WAL, the server log or a vault file', async () => {
    expect(t.canaries.length).toBe(1)
    const { tables, texts, log } = await whereSecretsCouldBe(t.team, [
      ada,
      bob,
      carol,
      ...(dave ? [dave] : []),
    ])
    expect(tables).toEqual(expect.arrayContaining(['sealed_secrets', 'key_wraps', 'changes']))
    expect(log).toContain('INSERT INTO bridgekeep.sealed_secrets')
    for (const secret of t.canaries)
      for (const [i, text] of texts.entries())
        expect(text.includes(secret), `canary ${secret.slice(0, 6)}… in text ${i}`).toBe(false)
  })
})

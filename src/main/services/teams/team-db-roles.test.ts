import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type pg from 'pg'
import { unlockedServices } from '../../../../test/services'
import {
  startTeamServer,
  TEAM_DATABASE,
  teamDbConnection,
  type TeamServer,
} from '../../../../test/teams'
import {
  TEAM_SCHEMA_VERSION,
  teamMigrations,
  teamRoleName,
  teamRoleNames,
} from '../../db/team-migrations'
import { formatAddress } from '../sharing/share-address'
import { TeamStore } from './team-database-repository'
import { migrateTeamSchema } from './team-schema-repository'
import { testIdentity } from './team-test-support'

/**
 * The database's own wall, by team role, with real PostgreSQL logins: each login is granted the
 * database role of one team role and tries what its role may and may not do.
 */
let team: TeamServer
let x: ReturnType<typeof teamRoleNames>
let y: ReturnType<typeof teamRoleNames>
let xId: string
let yId: string
let ada: Awaited<ReturnType<typeof unlockedServices>>

const LOGINS = ['x_admin', 'x_member', 'x_use_only', 'y_admin'] as const

beforeAll(async () => {
  team = await startTeamServer()
  for (const login of LOGINS) await team.login(login)
  ada = await unlockedServices()
  await ada.services.sharing.setName({ name: 'Ada' })
  teamDbConnection(ada.services, team, 'bk_owner')
  xId = (await ada.services.teams.init(TEAM_DATABASE, 'x')).id
  yId = (await ada.services.teams.init(TEAM_DATABASE, 'y')).id
  x = teamRoleNames(teamRoleName(xId))
  y = teamRoleNames(teamRoleName(yId))
  await team.dba(`GRANT ${x.admin} TO x_admin`)
  await team.dba(`GRANT ${x.member} TO x_member`)
  await team.dba(`GRANT ${x['use-only']} TO x_use_only`)
  await team.dba(`GRANT ${y.admin} TO y_admin`)
  for (const id of [xId, yId]) await plantRows(id)
}, 120_000)

/**
 * A row of each table the founding does not fill, written by the DBA, so that the cross-team
 * check has something to hide in every team table. A new team table must be added here.
 */
async function plantRows(teamId: string): Promise<void> {
  const request = randomUUID()
  await team.dba(
    "INSERT INTO bridgekeep.requests (team_id, id, requester, body, signature) VALUES ($1, $2, 'k', '{}', 's')",
    [teamId, request],
  )
  await team.dba(
    "INSERT INTO bridgekeep.answers (team_id, request_id, runner, body, signature, status) VALUES ($1, $2, 'k', 'b', 's', 'refused')",
    [teamId, request],
  )
  const connection = randomUUID()
  await team.dba(
    "INSERT INTO bridgekeep.sealed_secrets (team_id, connection_id, version, ciphertext) VALUES ($1, $2, 1, '\\x00')",
    [teamId, connection],
  )
  await team.dba(
    "INSERT INTO bridgekeep.key_wraps (team_id, connection_id, version, recipient, wrapped) VALUES ($1, $2, 1, 'k', '\\x00')",
    [teamId, connection],
  )
}
afterAll(() => team?.server.stop())

/** Runs `work` as `login` inside a transaction that is always rolled back: the log stays clean. */
async function as<T>(login: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await team.client(login)
  try {
    await client.query('BEGIN')
    return await work(client)
  } finally {
    await client.query('ROLLBACK').catch(() => undefined)
    await client.end()
  }
}

const signedInsert = (table: 'changes' | 'audit', teamId: string) => ({
  text: `INSERT INTO bridgekeep.${table} (team_id, seq, author, kind, body, prev_hash, hash, signature${table === 'audit' ? ', at' : ''}) VALUES ($1, 999, 'k', 'member.add', '{}', 'p', 'h', 's'${table === 'audit' ? ', now()' : ''})`,
  values: [teamId],
})
const refusedByGrant = { code: '42501', message: expect.stringContaining('permission denied') }
const refusedByPolicy = { code: '42501', message: expect.stringContaining('row-level security') }

describe('database roles by team role (real PostgreSQL logins)', { timeout: 60_000 }, () => {
  it('only an admin login may append a change; every role may append to the audit trail', async () => {
    await as('x_admin', (c) => c.query(signedInsert('changes', xId)))
    for (const login of ['x_member', 'x_use_only'])
      await expect(as(login, (c) => c.query(signedInsert('changes', xId)))).rejects.toMatchObject(
        refusedByGrant,
      )
    for (const login of ['x_admin', 'x_member', 'x_use_only'])
      expect((await as(login, (c) => c.query(signedInsert('audit', xId)))).rowCount).toBe(1)
  })

  it('only an admin login may write the members table', async () => {
    const update = 'UPDATE bridgekeep.members SET role = role'
    expect((await as('x_admin', (c) => c.query(update))).rowCount).toBe(1)
    expect((await as('x_admin', (c) => c.query('DELETE FROM bridgekeep.members'))).rowCount).toBe(1)
    for (const login of ['x_member', 'x_use_only']) {
      await expect(as(login, (c) => c.query(update))).rejects.toMatchObject(refusedByGrant)
      await expect(
        as(login, (c) =>
          c.query(
            "INSERT INTO bridgekeep.members (team_id, signing_key, age_recipient, name, role, since_seq) VALUES ($1, 'k', 'a', 'M', 'admin', 1)",
            [xId],
          ),
        ),
      ).rejects.toMatchObject(refusedByGrant)
    }
  })

  it("a login of one team reads none of another team's rows, in any team table, and writes none", async () => {
    const tables = (
      await team.dba(
        "SELECT table_name AS t FROM information_schema.columns WHERE table_schema = 'bridgekeep' AND column_name = 'team_id' ORDER BY 1",
      )
    ).rows.map((r) => r.t as string)
    expect(tables).toEqual(expect.arrayContaining(['audit', 'changes', 'members']))
    // Every table holds rows of both teams (the DBA sees them all): there is something to hide.
    for (const t of tables)
      expect(
        (await team.dba(`SELECT DISTINCT team_id FROM bridgekeep.${t}`)).rows.map((r) => r.team_id),
      ).toEqual(expect.arrayContaining([xId, yId]))
    for (const [login, own] of [
      ['y_admin', yId],
      ['x_member', xId],
      ['x_use_only', xId],
    ] as const) {
      const seen = await as(login, async (c) => {
        const teams = (await c.query('SELECT id FROM bridgekeep.teams')).rows.map((r) => r.id)
        const rows: Record<string, string[]> = { teams }
        for (const t of tables)
          rows[t] = [
            ...new Set(
              (await c.query(`SELECT team_id FROM bridgekeep.${t}`)).rows.map((r) => r.team_id),
            ),
          ]
        return rows
      })
      for (const [t, ids] of Object.entries(seen)) expect(ids, `${login} ${t}`).toEqual([own])
    }
    await expect(as('y_admin', (c) => c.query(signedInsert('changes', xId)))).rejects.toMatchObject(
      refusedByPolicy,
    )
    await expect(as('y_admin', (c) => c.query(signedInsert('audit', xId)))).rejects.toMatchObject(
      refusedByPolicy,
    )
    expect(
      (
        await as('y_admin', (c) =>
          c.query('DELETE FROM bridgekeep.members WHERE team_id = $1', [xId]),
        )
      ).rowCount,
    ).toBe(0)
  })

  it('history is append-only for every login: no privilege for members, the trigger for the owner', async () => {
    for (const login of ['x_admin', 'x_member', 'x_use_only']) {
      await expect(
        as(login, (c) => c.query('UPDATE bridgekeep.changes SET body = body')),
      ).rejects.toMatchObject(refusedByGrant)
      await expect(as(login, (c) => c.query('DELETE FROM bridgekeep.audit'))).rejects.toMatchObject(
        refusedByGrant,
      )
    }
    for (const statement of [
      'UPDATE bridgekeep.changes SET kind = kind',
      'DELETE FROM bridgekeep.audit',
      'TRUNCATE bridgekeep.changes CASCADE',
    ])
      await expect(as('bk_owner', (c) => c.query(statement))).rejects.toMatchObject({
        message: expect.stringContaining('append-only'),
      })
  })

  it('invite and remove with the login: its role granted, then revoked (it reads nothing more)', async () => {
    await team.login('x_leaver')
    const leaver = await testIdentity('Leaver')
    const address = formatAddress(leaver.ageRecipient, leaver.signingKey)
    const invited = await ada.services.teams.invite('x', address, 'member', 'Leaver', 'x_leaver')
    expect(invited.database).toEqual({
      statements: [`GRANT ${x.member} TO x_leaver`],
      applied: true,
    })
    const read = () => as('x_leaver', (c) => c.query('SELECT kind FROM bridgekeep.changes'))
    expect((await read()).rows.map((r) => r.kind)).toEqual(['team.found', 'member.add'])
    const removed = await ada.services.teams.remove('x', 'Leaver', 'x_leaver')
    expect(removed.database).toEqual({
      statements: [`REVOKE ${x.member}, ${x.base} FROM x_leaver`],
      applied: true,
    })
    await expect(read()).rejects.toMatchObject(refusedByGrant)
    // A login the database does not have: the change is made, the refusal said.
    const again = await ada.services.teams.invite('x', address, 'use-only', 'Leaver', 'nobody')
    expect(again.database).toMatchObject({
      applied: false,
      refused: 'The database has no login nobody.',
    })
  })

  it('upgrading a version-1 team space creates the roles for its teams and narrows the base role', async () => {
    await team.dba('CREATE DATABASE upgrade OWNER bk_owner')
    const store = await TeamStore.open({
      host: team.server.host,
      port: team.server.port,
      database: 'upgrade',
      user: 'bk_owner',
      password: team.passwords.get('bk_owner')!,
      sslmode: 'verify-full',
      ca: team.ca.cert,
    })
    const OLD_ID = '0e1d2c3b-4a59-4687-a5b4-c3d2e1f00112'
    const old = teamRoleName(OLD_ID)
    const roles = teamRoleNames(old)
    try {
      expect(
        await migrateTeamSchema(
          store,
          teamMigrations.filter((m) => m.version === 1),
        ),
      ).toBe(1)
      // A team as version 1 made it: one role, reading and writing everything.
      for (const statement of [
        `CREATE ROLE ${old} NOLOGIN`,
        `GRANT USAGE ON SCHEMA bridgekeep TO ${old}`,
        `GRANT SELECT ON bridgekeep.schema_version, bridgekeep.teams TO ${old}`,
        `GRANT SELECT, INSERT ON bridgekeep.changes, bridgekeep.audit TO ${old}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON bridgekeep.members TO ${old}`,
        `INSERT INTO bridgekeep.teams (id, name, db_role, founder_key) VALUES ('${OLD_ID}', 'old', '${old}', 'k')`,
      ])
        await team.dba(statement, [], 'upgrade')
      expect(await migrateTeamSchema(store)).toBe(TEAM_SCHEMA_VERSION)
      const can = async (role: string, table: string, privilege: string) =>
        (
          await team.dba(
            `SELECT has_table_privilege('${role}', 'bridgekeep.${table}', '${privilege}') AS ok`,
            [],
            'upgrade',
          )
        ).rows[0].ok as boolean
      expect(await can(old, 'changes', 'SELECT')).toBe(true)
      expect(await can(old, 'changes', 'INSERT')).toBe(false)
      expect(await can(old, 'audit', 'INSERT')).toBe(false)
      expect(await can(old, 'members', 'UPDATE')).toBe(false)
      expect(await can(roles.admin, 'changes', 'INSERT')).toBe(true)
      expect(await can(roles.admin, 'members', 'DELETE')).toBe(true)
      expect(await can(roles.member, 'changes', 'INSERT')).toBe(false)
      expect(await can(roles['use-only'], 'audit', 'INSERT')).toBe(true)
      expect(await can(roles['use-only'], 'changes', 'SELECT')).toBe(true)
      // The team runner's tables (version 3): members ask, only an admin's runner answers.
      expect(await can(old, 'requests', 'INSERT')).toBe(false)
      expect(await can(roles['use-only'], 'requests', 'INSERT')).toBe(true)
      expect(await can(roles['use-only'], 'answers', 'SELECT')).toBe(true)
      expect(await can(roles.member, 'answers', 'INSERT')).toBe(false)
      expect(await can(roles.admin, 'answers', 'INSERT')).toBe(true)
      // Team connections (version 2): only admins seal versions and wrap keys; members read them.
      for (const table of ['sealed_secrets', 'key_wraps']) {
        expect(await can(old, table, 'INSERT')).toBe(false)
        expect(await can(roles.member, table, 'SELECT')).toBe(true)
        expect(await can(roles.member, table, 'INSERT')).toBe(false)
        expect(await can(roles.admin, table, 'INSERT')).toBe(true)
      }
    } finally {
      await store.close()
    }
  })
})

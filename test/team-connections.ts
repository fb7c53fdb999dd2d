// A team of three on a real PostgreSQL for the team connection tests: Ada (founder, admin),
// Bob (member), Carol (use-only), each a vault of their own; canary secrets and the greps.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { teamRoleName, teamRoleNames } from '../src/main/db/team-migrations'
import { canary } from './fixtures/canary'
import { unlockedServices } from './services'
import { startTeamServer, TEAM_DATABASE, TEAM_DB, teamDbConnection, type TeamServer } from './teams'

export type TeamVault = Awaited<ReturnType<typeof unlockedServices>>

export interface TeamOfThree {
  team: TeamServer
  teamId: string
  ada: TeamVault
  bob: TeamVault
  carol: TeamVault
  /** Secret values planted in connections: never in clear in a table, a log or a vault file. */
  canaries: string[]
  /** A local PostgreSQL connection whose password is a fresh canary (returned). */
  appDb(vault: TeamVault, name: string, host?: string): string
  /** A vault that joins as `role` through `login` (its own vault, named `name`). */
  newMember(name: string, login: string, role: 'admin' | 'member' | 'use-only'): Promise<TeamVault>
}

export const fingerprintOf = async (v: TeamVault) =>
  (await v.services.sharing.identity()).fingerprint
export const addressOf = async (v: TeamVault) => (await v.services.sharing.identity()).address
export const signingKeyOf = async (v: TeamVault) =>
  (await v.services.sharing.localIdentity()).address.signingKey

/**
 * A new team server with Bob's and Carol's logins, and Ada, Bob and Carol at it: each a vault of
 * their own, named, its team-db connection logging in as `bk_owner`, `bob_login`, `carol_login`.
 * No team yet.
 */
export async function threeSeated(): Promise<Pick<TeamOfThree, 'team' | 'ada' | 'bob' | 'carol'>> {
  const team = await startTeamServer()
  for (const login of ['bob_login', 'carol_login']) await team.login(login)
  const [ada, bob, carol] = await Promise.all([
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
  return { team, ada, bob, carol }
}

export async function teamOfThree(): Promise<TeamOfThree> {
  const { team, ada, bob, carol } = await threeSeated()
  const teamId = (await ada.services.teams.init(TEAM_DATABASE, 'platform')).id
  const roles = teamRoleNames(teamRoleName(teamId))
  await team.dba(`GRANT ${roles.member} TO bob_login`)
  await team.dba(`GRANT ${roles['use-only']} TO carol_login`)
  await ada.services.teams.invite('platform', await addressOf(bob), 'member', 'Bob')
  await ada.services.teams.invite('platform', await addressOf(carol), 'use-only', 'Carol')
  await bob.services.teams.join(TEAM_DATABASE, 'platform', await fingerprintOf(ada))
  await carol.services.teams.join(TEAM_DATABASE, 'platform', await fingerprintOf(ada))
  const canaries: string[] = []
  return {
    team,
    teamId,
    ada,
    bob,
    carol,
    canaries,
    appDb(vault, name, host = 'db.internal.example') {
      const password = `pw-${canary.alnum(28)}`
      canaries.push(password)
      vault.services.connections.create({
        name,
        provider: 'postgres',
        authMode: 'inline',
        values: { host, port: '5432', database: 'app', user: 'app', password, sslmode: 'require' },
      })
      return password
    },
    async newMember(name, login, role) {
      const vault = await unlockedServices()
      await vault.services.sharing.setName({ name })
      teamDbConnection(vault.services, team, login)
      await ada.services.teams.invite('platform', await addressOf(vault), role, name)
      await vault.services.teams.join(TEAM_DATABASE, 'platform', await fingerprintOf(ada))
      return vault
    },
  }
}

/** The wrapped keys of a connection's version, by the name its signed change gives it. */
export async function wrapsOf(team: TeamServer, name: string, version: number) {
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

/** An edit as the superuser, with the append-only triggers off for its session (as a DBA can). */
export async function dbaEdit(team: TeamServer, sql: string, values: unknown[]): Promise<void> {
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

/**
 * Every place a secret could land: each team table (text and raw bytes), the server's log and
 * WAL, and each vault's file and WAL. The log is checked to hold the sealed rows' inserts, so
 * the grep can fail.
 */
export async function whereSecretsCouldBe(team: TeamServer, vaults: TeamVault[]) {
  const tables = (
    await team.dba(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'bridgekeep'",
    )
  ).rows.map((r) => r.table_name as string)
  const texts: string[] = []
  for (const table of tables) {
    const rows = (await team.dba(`SELECT * FROM bridgekeep.${table}`)).rows
    texts.push(JSON.stringify(rows))
    for (const row of rows)
      for (const value of Object.values(row))
        if (Buffer.isBuffer(value)) texts.push(value.toString('latin1'))
  }
  await team.dba('CHECKPOINT')
  const files = [team.server.logFile, ...filesUnder(join(team.server.dir, 'data', 'pg_wal'))]
  for (const vault of vaults) {
    vault.services.vault.database().pragma('wal_checkpoint(PASSIVE)')
    for (const suffix of ['', '-wal'])
      if (existsSync(vault.services.vault.path + suffix))
        files.push(vault.services.vault.path + suffix)
  }
  texts.push(...files.map((f) => readFileSync(f).toString('latin1')))
  return { tables, texts, log: readFileSync(team.server.logFile, 'utf8') }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

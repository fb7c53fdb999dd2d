// A real PostgreSQL for team-space tests: TLS with a test CA, every statement logged (what the
// canary checks grep), an owner login that may create roles, and member logins.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { teamRoleName, teamRoleNames } from '../src/main/db/team-migrations'
import type { Services } from '../src/main/services'
import type { TeamRole } from '../src/main/services/teams/change-chain'
import { canary } from './fixtures/canary'
import { startPostgres, type PostgresFixture } from './fixtures/postgres'
import { createTestCa, type TestCa } from './fixtures/test-ca'

export interface TeamServer {
  server: PostgresFixture
  ca: TestCa
  /** Every login's password: canaries that must never be in a table or the server's log. */
  passwords: Map<string, string>
  /** A LOGIN role with a random password. */
  login(name: string, options?: { createRole?: boolean }): Promise<void>
  /** A client as `login`, on the team database. */
  client(login: string): Promise<pg.Client>
  /** Runs SQL as the superuser on the team database, or another one (as a DBA would). */
  dba(text: string, values?: unknown[], database?: string): Promise<pg.QueryResult>
  /** Runs SQL as the superuser with triggers off (append-only included), as only a superuser can. */
  dbaEdit(sql: string): Promise<void>
  /**
   * The texts a canary check greps, after a checkpoint: every row of every team table, the
   * server's statement log and its WAL files.
   */
  everything(): Promise<string[]>
}

export const TEAM_DB = 'teams'

export async function startTeamServer(
  options: { maxConnections?: number; logStatements?: boolean } = {},
): Promise<TeamServer> {
  const ca = await createTestCa()
  const server = await startPostgres({
    tls: await ca.server(),
    adminPassword: canary.alnum(24),
    logStatements: options.logStatements ?? true,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  })
  const passwords = new Map<string, string>()
  const connect = async (user: string, password: string, database = TEAM_DB) => {
    const client = new pg.Client({
      host: server.host,
      port: server.port,
      user,
      password,
      database,
    })
    client.on('error', () => undefined)
    await client.connect()
    return client
  }
  const login = async (name: string, options: { createRole?: boolean } = {}) => {
    const password = `${canary.alnum(16)}-${canary.alnum(8)}`
    passwords.set(name, password)
    // As a SCRAM verifier: the password itself never reaches the server (nor its log).
    await server.sql(
      `CREATE ROLE ${name} LOGIN ${options.createRole ? 'CREATEROLE' : ''} PASSWORD '${scramVerifier(password)}'`,
    )
  }
  await login('bk_owner', { createRole: true })
  await server.sql(`CREATE DATABASE ${TEAM_DB} OWNER bk_owner`)
  const dba = async (text: string, values?: unknown[], database?: string) => {
    const client = await connect('admin', server.adminPassword, database)
    try {
      return await client.query(text, values)
    } finally {
      await client.end()
    }
  }
  return {
    server,
    ca,
    passwords,
    login,
    client: (user) => connect(user, passwords.get(user)!),
    dba,
    dbaEdit: async (sql) => {
      await dba(`SET session_replication_role = replica; ${sql}; RESET session_replication_role`)
    },
    everything: async () => {
      const tables = (
        await dba(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'bridgekeep' ORDER BY tablename",
        )
      ).rows.map((r: { tablename: string }) => r.tablename)
      const rows = await Promise.all(
        tables.map(async (t) => JSON.stringify((await dba(`SELECT * FROM bridgekeep.${t}`)).rows)),
      )
      await dba('CHECKPOINT')
      const files = [server.logFile, ...filesUnder(join(server.dir, 'data', 'pg_wal'))]
      // The check can fail only if there is something to grep: the log and WAL segments.
      if (files.length < 2) throw new Error('No WAL files to check.')
      return [...rows, ...files.map((f) => readFileSync(f).toString('latin1'))]
    },
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** A PostgreSQL connection `team-db` in the vault, logging in as `login`, authorized for staging. */
export function teamDbConnection(services: Services, team: TeamServer, login: string): string {
  const created = services.connections.create({
    name: 'team-db',
    provider: 'postgres',
    authMode: 'inline',
    values: {
      host: team.server.host,
      port: String(team.server.port),
      database: TEAM_DB,
      user: login,
      password: team.passwords.get(login)!,
      sslmode: 'verify-full',
      ca_certificate: team.ca.cert,
    },
  })
  const staging = services.environments.findByRef('staging')
  services.authorizations.setAuthorizations({
    connectionId: created.id,
    environmentIds: [staging.id],
  })
  return created.id
}

export const TEAM_DATABASE = { connection: 'team-db', environment: 'staging' }

/** A vault taking part in a team: its name, and the database login its team-db connection uses. */
export interface TeamSeat {
  services: Services
  name: string
  login: string
}

/**
 * `admin` founds team `name`; each member's login is granted the team's role, and each is
 * invited with its role and joins, pinning the founder by fingerprint. Returns the team's id.
 */
export async function foundTeam(
  team: TeamServer,
  admin: TeamSeat,
  members: readonly (TeamSeat & { role: TeamRole })[],
  name = 'platform',
): Promise<string> {
  for (const seat of [admin, ...members]) {
    if (!team.passwords.has(seat.login)) await team.login(seat.login)
    await seat.services.sharing.setName({ name: seat.name })
    teamDbConnection(seat.services, team, seat.login)
  }
  return foundSeatedTeam(team, admin, members, name)
}

/** As foundTeam, for vaults already named and holding their team-db connection. */
export async function foundSeatedTeam(
  team: TeamServer,
  admin: TeamSeat,
  members: readonly (TeamSeat & { role: TeamRole })[],
  name = 'platform',
): Promise<string> {
  const { id } = await admin.services.teams.init(TEAM_DATABASE, name)
  // Each member's login gets the database role of its team role (only admins' logins write changes).
  const roles = teamRoleNames(teamRoleName(id))
  for (const member of members) await team.dba(`GRANT ${roles[member.role]} TO ${member.login}`)
  const founder = (await admin.services.sharing.identity()).fingerprint
  for (const member of members) {
    const { address } = await member.services.sharing.identity()
    await admin.services.teams.invite(name, address, member.role, member.name)
    await member.services.teams.join(TEAM_DATABASE, name, founder)
  }
  return id
}

/** PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802/7677), as libpq computes it. */
function scramVerifier(password: string): string {
  const salt = randomBytes(16)
  const iterations = 4096
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256')
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest()
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest()
  const serverKey = hmac(salted, 'Server Key')
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`
}

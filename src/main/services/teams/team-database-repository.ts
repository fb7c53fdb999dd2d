import pg from 'pg'
import { BridgekeepError } from '../../../shared/errors'
import { sslFor } from '../../../runner/providers/postgres-tls'
import { translate, unavailable, versionTaken } from './team-database-errors'
import type { SignedRow } from './signed-chain'
import type { TeamMember } from './change-chain'
import { teamRoleGrants } from '../../db/team-migrations'

/**
 * The team database, through node-postgres: the only module of team spaces that imports `pg`.
 * Statements only: it verifies nothing (the service and change-chain.ts do), and it never sees a
 * secret but the login's password, which goes to the server and nowhere else.
 */
export interface PgTarget {
  host: string
  port: number
  database: string
  user: string
  password: string
  sslmode: string
  ca?: string | undefined
}

export interface TeamRow {
  id: string
  name: string
  dbRole: string
  founderKey: string
}

/** A connection version's sealed secrets, as written. */
export interface SealedVersion {
  connectionId: string
  version: number
  ciphertext: Buffer
}

/** A sealed version as read back, with this member's wrapped key when it has one. */
export interface StoredVersion extends SealedVersion {
  wrapped: Buffer | undefined
}

const TIMEOUT_MS = 15_000
/** Any number: with the team's id hashed, the lock on a team's next audit position. */
const AUDIT_LOCK = 0x6272_6b61

export class TeamStore {
  private constructor(
    private readonly client: pg.Client,
    readonly where: string,
  ) {}

  static async open(target: PgTarget): Promise<TeamStore> {
    const where = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}/${target.database}`
    const client = new pg.Client({
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      password: target.password,
      ssl: sslFor(target.sslmode, target.host, target.ca),
      connectionTimeoutMillis: TIMEOUT_MS,
      query_timeout: TIMEOUT_MS,
      application_name: 'bridgekeep-team',
    })
    client.on('error', () => undefined) // a late socket error after end() must not crash us
    try {
      await client.connect()
    } catch (error) {
      await client.end().catch(() => undefined)
      throw unavailable(where, error)
    }
    return new TeamStore(client, where)
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined)
  }

  /** The team row, its database roles and grants, founding change and audit entry: one transaction. */
  async createTeam(
    team: TeamRow,
    founding: SignedRow,
    founder: TeamMember,
    audit: { entry: SignedRow; at: string },
  ): Promise<void> {
    await this.transaction(async () => {
      for (const statement of teamRoleGrants(team.dbRole)) await this.query(statement)
      try {
        await this.query(
          'INSERT INTO bridgekeep.teams (id, name, db_role, founder_key) VALUES ($1, $2, $3, $4)',
          [team.id, team.name, team.dbRole, team.founderKey],
        )
      } catch (error) {
        if ((error as { code?: string }).code === '23505')
          throw new BridgekeepError(
            'CONFLICT',
            `A team named ${team.name} already exists in ${this.where}.`,
            'Choose another name, or join that team (bridgekeep team join).',
          )
        throw error
      }
      await this.insertSigned('changes', founding)
      await this.upsertMember(team.id, founder)
      await this.insertSigned('audit', audit.entry, audit.at)
    })
  }

  async teams(): Promise<TeamRow[]> {
    const rows = await this.query<{
      id: string
      name: string
      db_role: string
      founder_key: string
    }>('SELECT id, name, db_role, founder_key FROM bridgekeep.teams ORDER BY name')
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      dbRole: r.db_role,
      founderKey: r.founder_key,
    }))
  }

  async changes(teamId: string): Promise<SignedRow[]> {
    return this.signedRows('changes', teamId)
  }

  /** The change rows from position `seq` on (an incremental read checks the first one). */
  async changesFrom(teamId: string, seq: number): Promise<SignedRow[]> {
    return this.signedRows('changes', teamId, { from: seq })
  }

  async auditRows(teamId: string): Promise<SignedRow[]> {
    return this.signedRows('audit', teamId)
  }

  /** The audit entries from position `seq` on (an incremental read checks the first one). */
  async auditRowsFrom(teamId: string, seq: number): Promise<SignedRow[]> {
    return this.signedRows('audit', teamId, { from: seq })
  }

  /** The last position written in `table` for the team (0 when none), as the database has it. */
  async lastSeq(table: 'changes' | 'audit', teamId: string): Promise<number> {
    const rows = await this.query<{ seq: number }>(
      `SELECT coalesce(max(seq), 0)::int AS seq FROM bridgekeep.${table} WHERE team_id = $1`,
      [teamId],
    )
    return rows[0]?.seq ?? 0
  }

  /**
   * Appends a change, brings the members projection in line and appends its audit entry (built
   * on the newest one, read in the same transaction): all or nothing, so a connection lost
   * half-way leaves nothing behind and the command can simply run again. Another writer taking
   * the same position first is a CONFLICT: read again and retry.
   */
  async appendChange(
    row: SignedRow,
    members: { set?: TeamMember; remove?: string },
    audit: (last: SignedRow | undefined) => { entry: SignedRow; at: string },
  ): Promise<void> {
    await this.transaction(async () => {
      await this.insertSigned('changes', row)
      const { entry, at } = audit(await this.lastAuditRowInTurn(row.teamId))
      await this.insertSigned('audit', entry, at)
      if (members.set) await this.upsertMember(row.teamId, members.set)
      if (members.remove)
        await this.query('DELETE FROM bridgekeep.members WHERE team_id = $1 AND signing_key = $2', [
          row.teamId,
          members.remove,
        ])
    })
  }

  /**
   * A connection version: its signed change, its sealed secrets and its key wrapped to each full
   * member, in one transaction, so a version is all there or not at all. Another writer taking
   * the change's position, or the same version, first is a CONFLICT.
   */
  async appendConnectionVersion(
    change: SignedRow,
    sealed: SealedVersion,
    wraps: ReadonlyMap<string, Uint8Array>,
  ): Promise<void> {
    await this.transaction(async () => {
      await this.insertSigned('changes', change)
      const key = [change.teamId, sealed.connectionId, sealed.version]
      await this.query(
        'INSERT INTO bridgekeep.sealed_secrets (team_id, connection_id, version, ciphertext) VALUES ($1, $2, $3, $4)',
        [...key, sealed.ciphertext],
      ).catch((error: unknown) => {
        throw (error as { code?: string }).code === '23505' ? versionTaken(sealed) : error
      })
      for (const [recipient, wrapped] of wraps)
        await this.query(
          'INSERT INTO bridgekeep.key_wraps (team_id, connection_id, version, recipient, wrapped) VALUES ($1, $2, $3, $4, $5)',
          [...key, recipient, Buffer.from(wrapped)],
        )
    })
  }

  /** More wrapped keys for a version already written (a member who became a full member). */
  /** The newest audit entry as stored (whatever it holds): what the next one follows. */
  async lastAuditRow(teamId: string): Promise<SignedRow | undefined> {
    return (await this.signedRows('audit', teamId, { newest: 1 })).at(0)
  }

  /**
   * Appends an audit entry built on the newest one, read in the same transaction: members using
   * connections at once take turns for the position instead of racing for it (100 at once would
   * exhaust any number of retries).
   */
  async appendAudit(
    teamId: string,
    build: (last: SignedRow | undefined) => { entry: SignedRow; at: string },
  ): Promise<void> {
    await this.transaction(async () => {
      const { entry, at } = build(await this.lastAuditRowInTurn(teamId))
      await this.insertSigned('audit', entry, at)
    })
  }

  /** The newest audit entry, once this transaction holds the team's audit position (until it ends). */
  private async lastAuditRowInTurn(teamId: string): Promise<SignedRow | undefined> {
    await this.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [AUDIT_LOCK, teamId])
    return this.lastAuditRow(teamId)
  }

  /** Runs role statements (GRANT/REVOKE a team role for a login) in one transaction. */
  async grant(statements: readonly string[]): Promise<void> {
    await this.transaction(async () => {
      for (const statement of statements) await this.query(statement)
    })
  }

  async membersProjection(teamId: string): Promise<Map<string, { role: string }>> {
    const rows = await this.query<{ signing_key: string; role: string }>(
      'SELECT signing_key, role FROM bridgekeep.members WHERE team_id = $1',
      [teamId],
    )
    return new Map(rows.map((r) => [r.signing_key, { role: r.role }]))
  }

  private async upsertMember(teamId: string, m: TeamMember): Promise<void> {
    await this.query(
      `INSERT INTO bridgekeep.members (team_id, signing_key, age_recipient, name, role, since_seq)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (team_id, signing_key) DO UPDATE SET role = EXCLUDED.role, since_seq = EXCLUDED.since_seq`,
      [teamId, m.signingKey, m.ageRecipient, m.name, m.role, m.sinceSeq],
    )
  }

  private async insertSigned(table: 'changes' | 'audit', row: SignedRow, at?: string) {
    const columns = 'team_id, seq, author, kind, body, prev_hash, hash, signature'
    const values = [
      row.teamId,
      row.seq,
      row.author,
      row.kind,
      row.body,
      row.prevHash,
      row.hash,
      row.signature,
    ]
    try {
      await this.query(
        at === undefined
          ? `INSERT INTO bridgekeep.${table} (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
          : `INSERT INTO bridgekeep.${table} (${columns}, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        at === undefined ? values : [...values, at],
      )
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new BridgekeepError(
          'CONFLICT',
          `Someone else changed the team at the same moment (${table} #${row.seq} was just written).`,
          'Run the command again: it reads the latest state first.',
        )
      throw error
    }
  }

  /** A team's rows in order; with `newest`, only that many of the newest. */
  private async signedRows(
    table: 'changes' | 'audit',
    teamId: string,
    { newest, from }: { newest?: number; from?: number } = {},
  ): Promise<SignedRow[]> {
    const rows = await this.query<{
      team_id: string
      seq: string
      author: string
      kind: string
      body: string
      prev_hash: string
      hash: string
      signature: string
    }>(
      `SELECT team_id, seq, author, kind, body, prev_hash, hash, signature
         FROM bridgekeep.${table} WHERE team_id = $1 ${from === undefined ? '' : 'AND seq >= $2'}
        ORDER BY seq ${newest === undefined ? '' : 'DESC LIMIT $2'}`,
      [teamId, newest ?? from].filter((v) => v !== undefined),
    )
    return rows.map((r) => ({
      teamId: r.team_id,
      seq: Number(r.seq),
      author: r.author,
      kind: r.kind,
      body: r.body,
      prevHash: r.prev_hash,
      hash: r.hash,
      signature: r.signature,
    }))
  }

  /** Runs `work` in one transaction: all of it or nothing. */
  async transaction(work: () => Promise<void>): Promise<void> {
    await this.query('BEGIN')
    try {
      await work()
      await this.query('COMMIT')
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined)
      throw error
    }
  }

  /**
   * Calls `notify` with each notification's payload on `channel` (a change's team id; a team
   * runner request's or answer's id), and `lost` once if the connection breaks (the server
   * restarted, the network cut).
   */
  async listen(
    channel: 'bridgekeep_changes' | 'bridgekeep_requests' | 'bridgekeep_answers',
    notify: (payload: string) => void,
    lost: () => void,
  ): Promise<void> {
    this.client.on('notification', (message) => {
      if (message.channel === channel) notify(message.payload ?? '')
    })
    let once = false
    const end = () => {
      if (!once) lost()
      once = true
    }
    this.client.on('error', end)
    this.client.on('end', end)
    await this.query(`LISTEN ${channel}`)
  }

  /** One statement (other modules' SQL on the same connection: requests and answers). */
  async query<R extends object = object>(text: string, values?: unknown[]): Promise<R[]> {
    try {
      return (await this.client.query<R>(text, values)).rows
    } catch (error) {
      throw translate(error, this.where)
    }
  }
}

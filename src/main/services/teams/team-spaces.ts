import { BridgekeepError } from '../../../shared/errors'
import { writeTransaction } from '../../db/database'
import type { Logger } from '../../log'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { Vault } from '../vault/vault'
import { TeamCheckpoints } from './team-checkpoints'
import type { TeamDatabase, UsedDatabase } from './team-database'
import { TeamRepository, type TeamSpaceRow } from './team-repository'

export interface TeamSummary {
  id: string
  name: string
  connection: string
  environment: string
  founderKey: string
  joinedAt: string
}

/**
 * The team spaces this vault is in, as the vault records them: the pinned founder, the last
 * change verified (and the state verified there: its checkpoint), and the PostgreSQL connection
 * and environment each team is reached through.
 */
export class TeamSpaces {
  private repository: TeamRepository | undefined
  private readonly checkpoints: TeamCheckpoints

  constructor(
    private readonly options: {
      vault: Vault
      connections: ConnectionsService
      environments: EnvironmentsService
      log: Logger
    },
  ) {
    this.checkpoints = new TeamCheckpoints(options.vault, options.log)
  }

  private repo(): TeamRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new TeamRepository(db)
    return this.repository
  }

  list(): TeamSummary[] {
    this.options.vault.requireKey()
    return this.repo()
      .all()
      .map((row) => this.summary(row))
  }

  /** The team `name` names, or the only one when no name is given. */
  find(name: string | undefined): TeamSpaceRow {
    this.options.vault.requireKey()
    const rows = this.repo().all()
    const known = `Its teams: ${rows.map((r) => r.name).join(', ')}.`
    const none = 'Create one with bridgekeep team init, or join one with bridgekeep team join.'
    if (name !== undefined) {
      const row = this.repo().byName(name.trim())
      if (!row)
        throw new BridgekeepError(
          'NOT_FOUND',
          `This vault is in no team space named ${name.trim().slice(0, 100)}.`,
          rows.length ? known : none,
        )
      return row
    }
    if (rows.length === 1) return rows[0]!
    throw new BridgekeepError(
      'VALIDATION',
      rows.length === 0
        ? 'This vault is in no team space yet.'
        : `This vault is in ${rows.length} team spaces: say which with --team.`,
      rows.length === 0 ? none : known,
    )
  }

  requireFreeName(name: string): void {
    this.options.vault.requireKey()
    if (this.repo().byName(name))
      throw new BridgekeepError(
        'CONFLICT',
        `This vault is already in a team space named ${name}.`,
        'Choose another name.',
      )
  }

  /** Records a team this vault created or joined, with its founder pinned. */
  pin(
    team: { id: string; name: string; founderKey: string; head: { seq: number; hash: string } },
    used: UsedDatabase,
    at: string,
  ): TeamSpaceRow {
    if (this.repo().byId(team.id))
      throw new BridgekeepError(
        'CONFLICT',
        `This vault is already in team ${team.name}.`,
        'See it with bridgekeep team ls.',
      )
    const row: TeamSpaceRow = {
      team_id: team.id,
      name: team.name,
      connection_id: used.connectionId,
      environment_id: used.environmentId,
      founder_key: team.founderKey,
      seen_seq: team.head.seq,
      seen_hash: team.head.hash,
      joined_at: at,
    }
    this.repo().insert(row)
    return row
  }

  /**
   * Records `head` as the last change verified, in the vault and in `row` (a runner or a watch
   * holds its row), and in the same transaction the state this process verified there as the
   * team's checkpoint, when it changed (see team-checkpoints.ts). A watch ended by the vault's
   * lock records the mark only: the checkpoint needs the vault key.
   */
  markSeen(row: TeamSpaceRow, head: { seq: number; hash: string }): void {
    const checkpoint = this.options.vault.isUnlocked()
      ? this.checkpoints.writeFor(row, head)
      : undefined
    writeTransaction(this.repo().db, () => {
      this.repo().markSeen(row.team_id, head.seq, head.hash)
      checkpoint?.()
    })
    row.seen_seq = head.seq
    row.seen_hash = head.hash
  }

  /**
   * A new process continues from the team's checkpoint at the vault's mark, when it holds one
   * that opens (else its first read replays the whole log, as before).
   */
  restoreCheckpoint(row: TeamSpaceRow): void {
    if (this.options.vault.isUnlocked()) this.checkpoints.restore(row)
  }

  /** Where a joined team's database is: its connection and environment, both still here. */
  databaseOf(row: TeamSpaceRow): TeamDatabase {
    const { connection, environment } = this.placeOf(row)
    if (!connection || !environment)
      throw new BridgekeepError(
        'NOT_FOUND',
        `Team space ${row.name}'s ${connection ? 'environment' : 'PostgreSQL connection'} is gone from this vault.`,
        'Restore it from the trash, or join the team again through another connection.',
      )
    return { connection: connection.slug, environment: environment.slug }
  }

  summary(row: TeamSpaceRow): TeamSummary {
    const { connection, environment } = this.placeOf(row)
    return {
      id: row.team_id,
      name: row.name,
      connection: connection?.name ?? '(deleted connection)',
      environment: environment?.name ?? '(deleted environment)',
      founderKey: row.founder_key,
      joinedAt: row.joined_at,
    }
  }

  private placeOf(row: TeamSpaceRow) {
    return {
      connection: this.options.connections.list().find((c) => c.id === row.connection_id),
      environment: this.options.environments.list().find((e) => e.id === row.environment_id),
    }
  }
}

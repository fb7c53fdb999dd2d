import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { Logger } from '../../log'
import type { Vault } from '../vault/vault'
import type { TeamSpaceRow } from './team-repository'
import { TeamRotationsRepository, type TeamRotationRow } from './team-rotations-repository'
import { TeamSpaces } from './team-spaces'

interface TeamRotationsOptions {
  vault: Vault
  audit: AuditService
  connections: ConnectionsService
  environments: EnvironmentsService
  log: Logger
  now?: () => Date
}

/** A team connection whose secrets someone who left could read, until it is rotated. */
interface TeamRotation {
  connectionId: string
  name: string
  /** Who could read it, and when each left (removed, or made use-only). */
  readers: { name: string; leftAt: string }[]
  /** The earliest of those: since when it waits. */
  since: string
  /** This vault's connection of the same name: what is rotated, then pushed again. */
  local: { id: string; slug: string; provider: string; authMode: string } | null
}

/**
 * The team secrets to rotate, kept in the vault of the admin who removed a full member (or made
 * them use-only): re-keying stops that person opening any new version, but what they read they
 * cannot be made to forget. A push of the connection with changed secrets marks it rotated; "I
 * rotated it elsewhere" dismisses it, audited. Read from the vault alone: no database is asked.
 */
export class TeamRotations {
  private readonly spaces: TeamSpaces
  private repository: TeamRotationsRepository | undefined

  constructor(private readonly options: TeamRotationsOptions) {
    this.spaces = new TeamSpaces(options)
  }

  private repo(): TeamRotationsRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new TeamRotationsRepository(db)
    return this.repository
  }

  /** Records that `member` could read each of `connections` (those they held a key to). */
  record(
    row: TeamSpaceRow,
    member: { signingKey: string; name: string },
    connections: readonly { id: string; name: string }[],
  ): void {
    const leftAt = (this.options.now?.() ?? new Date()).toISOString()
    this.repo().insert(
      connections.map((c) => ({
        team_id: row.team_id,
        connection_id: c.id,
        connection_name: c.name,
        member_key: member.signingKey,
        member_name: member.name,
        left_at: leftAt,
      })),
    )
  }

  /** A push wrote new secrets for the connection: nothing of it is left to rotate. */
  rotated(row: TeamSpaceRow, connectionId: string): boolean {
    return this.repo().clear(row.team_id, connectionId) > 0
  }

  /** What is still to rotate in a team, or in every team this vault is in. */
  list(teamName?: string): { team: string; rotations: TeamRotation[] }[] {
    const names = teamName === undefined ? this.spaces.list().map((t) => t.name) : [teamName]
    return names.map((name) => {
      const row = this.spaces.find(name)
      return { team: row.name, rotations: this.rotations(row) }
    })
  }

  /**
   * "I rotated it elsewhere": the connection (by team connection id or name) leaves the list, and
   * the vault's audit trail says who dismissed what.
   */
  dismiss(teamName: string | undefined, connection: string): { team: string; name: string } {
    const row = this.spaces.find(teamName)
    const given = connection.trim()
    const rotations = this.rotations(row)
    // An id is exact; a name may be on the list twice (a connection removed from the team and
    // pushed again under its name is another connection): then the id must say which.
    const byId = rotations.find((r) => r.connectionId === given)
    const byName = rotations.filter((r) => r.name.toLowerCase() === given.toLowerCase())
    if (!byId && byName.length > 1)
      throw new BridgekeepError(
        'AMBIGUOUS_CONNECTION',
        `${byName.length} connections named ${byName[0]!.name} are left to rotate in team ${row.name}: ${byName.map((r) => r.connectionId).join(', ')}.`,
        'Give the id of the one to take off the list: bridgekeep team rotations --json shows each one’s readers and since when.',
      )
    const found = byId ?? byName[0]
    if (!found)
      throw new BridgekeepError(
        'NOT_FOUND',
        `Nothing of ${connection.trim().slice(0, 100)} is left to rotate in team ${row.name}.`,
        'See what is: bridgekeep team rotations',
      )
    this.repo().clear(row.team_id, found.connectionId)
    this.options.audit.record({
      action: 'team.rotated-elsewhere',
      target: { type: 'team', id: row.team_id, name: row.name },
      detail: `${found.name}: rotated elsewhere (readable by ${found.readers.map((r) => r.name).join(', ')})`,
    })
    return { team: row.name, name: found.name }
  }

  private rotations(row: TeamSpaceRow): TeamRotation[] {
    const byConnection = new Map<string, TeamRotationRow[]>()
    for (const r of this.repo().ofTeam(row.team_id))
      byConnection.set(r.connection_id, [...(byConnection.get(r.connection_id) ?? []), r])
    return [...byConnection.values()].map((rows) => {
      const first = rows[0]!
      return {
        connectionId: first.connection_id,
        name: first.connection_name,
        readers: rows.map((r) => ({ name: r.member_name, leftAt: r.left_at })),
        since: rows.map((r) => r.left_at).sort()[0]!,
        local: this.local(first.connection_name),
      }
    })
  }

  /** The local connection a push of this name would take (team-connection-rules.ts pushable). */
  private local(name: string): TeamRotation['local'] {
    try {
      const found = this.options.connections.findByRef(name)
      const { id, slug, provider, authMode } = found
      return { id, slug, provider, authMode }
    } catch (error) {
      if (isBridgekeepError(error)) return null
      throw error
    }
  }
}

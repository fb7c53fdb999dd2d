import { isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { UseSecrets } from '../references/secrets-for-use'
import type { ResolutionService } from '../resolution/resolution-service'
import type { UnlockedIdentity } from '../sharing/identity'
import type { Vault } from '../vault/vault'
import { reverifyTeam, withVerifiedTeam, type TeamWork } from './team-access'
import { finishRekey, rekeyPendingWarnings } from './team-connection-keys'
import { teamEnvironments } from './team-connection-rules'
import { TeamCopy, type OpenedTeamConnection } from './team-copy'
import type { RecordedWhen } from './team-database'
import type { TeamSpaceRow } from './team-repository'
import type { TeamRotations } from './team-rotations'
import type { VerifiedTeam } from './team-session'
import { TeamSpaces } from './team-spaces'
import { auditedUse, openOnline, runnerSecrets, type UseContext } from './team-connection-use'
import type { RunnerPass, TeamSecretsSource } from './team-runner'
import { watchTeam, type TeamWatch, type WatchedTeam } from './team-watch'
import {
  removeTeamConnection,
  setTeamEnvironments,
  type EditContext,
} from './team-connection-edits'
import { pushTeamConnection, type PushContext } from './team-connection-push'

export interface TeamConnectionsOptions {
  vault: Vault
  audit: AuditService
  connections: ConnectionsService
  environments: EnvironmentsService
  resolution: ResolutionService
  useSecrets: UseSecrets
  identity: () => Promise<UnlockedIdentity>
  /** A push with changed secrets marks the connection rotated (team-rotations.ts). */
  rotations: TeamRotations
  log: Logger
  now?: () => Date
}

/**
 * Connections in a team space, end-to-end encrypted. An admin pushes a local connection: its
 * secrets sealed with a new key wrapped to every FULL member, its non-secret fields in a signed
 * change. Members sync the team into a local ciphertext copy (migration 014), list it offline,
 * and open a connection in an environment the team's matrix allows: unwrapped with the vault's
 * identity, opened in memory, audited here and in the team's trail. A push over a version this
 * vault has not seen is refused with the other version shown, never silently overwritten.
 */
export class TeamConnectionsService {
  private readonly spaces: TeamSpaces
  private readonly copy: TeamCopy
  private readonly use: UseContext
  private readonly edits: EditContext
  private readonly pushes: PushContext

  constructor(private readonly options: TeamConnectionsOptions) {
    this.spaces = new TeamSpaces(options)
    this.copy = new TeamCopy(options.vault, () => this.now())
    this.use = { copy: this.copy, audit: options.audit, now: () => this.now() }
    this.edits = {
      identity: options.identity,
      copy: this.copy,
      now: () => this.now(),
      withTeam: (row, detail, work) => this.withTeam(row, detail, work),
      audit: (action, row, detail) => this.audit(action, row, detail),
    }
    this.pushes = {
      ...this.edits,
      connections: options.connections,
      rotations: options.rotations,
    }
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString()
  }

  private withTeam(
    row: TeamSpaceRow,
    detail: string,
    work: TeamWork,
    options: { recorded?: RecordedWhen } = {},
  ) {
    return withVerifiedTeam({ ...this.options, spaces: this.spaces }, row, detail, work, options)
  }

  /** The same, for a read that refreshes the copy: the log is read whole, once, when it needs it. */
  private withTeamForCopy(row: TeamSpaceRow, detail: string, work: TeamWork) {
    const copyHolds = (head: { seq: number; hash: string }) => this.copy.holds(row, head)
    return withVerifiedTeam({ ...this.options, spaces: this.spaces }, row, detail, work, {
      copyHolds,
    })
  }

  /** Pushes a local connection to the team, by an admin (team-connection-push.ts). */
  async push(teamName: string | undefined, ref: string, options: { environments?: string[] } = {}) {
    return pushTeamConnection(this.pushes, this.spaces.find(teamName), ref, options)
  }

  /**
   * Pulls the team's changes, sealed versions and this vault's wrapped keys into the local copy.
   * An admin's sync also finishes a re-key that a removal started and that was cut off (each
   * connection still under a key a member who left could read gets a new version).
   */
  async sync(teamName: string | undefined) {
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    let result: (ReturnType<typeof syncResult> & { warnings: string[] }) | undefined
    await this.withTeamForCopy(row, `Synced team space ${row.name}`, async (store, verified) => {
      // A log cut back below what this vault verified would undo changes (a denied environment
      // allowed again): the copy keeps what it had, and the warning says why.
      if (verified.seenLost) {
        result = { ...syncResult(row, verified, 0), warnings: verified.warnings }
        return undefined
      }
      const keys = await finishRekey(store, row, me, verified, this.now(), this.options.log)
      const team = keys.head ? await reverifyTeam(store, row) : verified
      // The rows just verified are stored as read: one read and one replay of the log.
      const stored = await this.copy.refresh(store, row, me, team)
      result = {
        ...syncResult(row, team, stored.changes),
        rekeyed: keys.rekeyed,
        warnings: [
          ...team.warnings,
          ...(keys.problem ? [keys.problem] : []),
          ...rekeyPendingWarnings(team.state),
          ...stored.problems,
        ],
      }
      return keys.head
    })
    this.audit(
      'team.sync',
      row,
      `${result!.connections} connections, ${result!.changes} changes${result!.rekeyed.length ? `; re-keyed ${result!.rekeyed.join(', ')}` : ''}`,
    )
    return result!
  }

  /** The team's connections as this vault's copy has them (no database is asked). */
  list(teamName: string | undefined) {
    return this.copy.list(this.spaces.find(teamName))
  }

  /** The same, with this vault's role in the copy; a use-only member gets no fields. */
  async listForMe(teamName: string | undefined) {
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    const listed = this.copy.list(row, me.address.signingKey)
    return { ...listed, you: listed.you ?? null }
  }

  /**
   * Opens a team connection for a use in `environment`: synced first when the team database is
   * in reach (and the use written to the team's audit trail), else from this vault's copy.
   * `by`: who asked, when the agent opens it for a caller ("for pid 42 (bridgekeep)").
   */
  async open(
    teamName: string | undefined,
    name: string,
    environment: string,
    by?: string,
  ): Promise<OpenedTeamConnection> {
    const row = this.spaces.find(teamName)
    const env = teamEnvironments([environment])[0]!
    const me = await this.options.identity()
    const use = { name, env, ...(by === undefined ? {} : { by }) }
    return auditedUse(this.options.audit, row, use, async () => {
      let opened: OpenedTeamConnection | undefined
      try {
        await this.withTeamForCopy(
          row,
          `Opened ${name} of team space ${row.name}`,
          async (store, team) => {
            opened = await openOnline(this.use, store, row, team, me, name, env)
            return undefined
          },
        )
      } catch (error) {
        if (opened || !isBridgekeepError(error) || error.code !== 'TEAM_UNAVAILABLE') throw error
        opened = await this.copy.open(row, name, env, me, true)
      }
      return opened!
    })
  }

  /** The team's connections as this vault's team runner serves them, in one pass (team-runner.ts). */
  runnerSource(pass: RunnerPass): TeamSecretsSource {
    return runnerSecrets(this.use, pass)
  }

  /**
   * Keeps this vault's copy of a team current while the team database is in reach: each change
   * another member writes wakes it (LISTEN/NOTIFY, with a poll as the fallback), the log is
   * verified again and the copy refreshed, and `onSync` hears of it. One connection for the
   * whole watch: one `team.connect` use, recorded once it is open (a lock that ends the watch
   * finds nothing left to write; a watch stopped before it opened records none). `head` is the
   * hash of the last trusted change: a wake-up that found something new, or a quiet poll.
   * A failed wake-up goes to `onError` (logged when none is given) and the watch goes on.
   */
  watch(
    teamName: string | undefined,
    onSync: (result: WatchedTeam) => void,
    options: { pollMs?: number; onError?: (error: unknown) => void } = {},
  ): TeamWatch {
    const row = this.spaces.find(teamName)
    return watchTeam(
      {
        row,
        identity: this.options.identity,
        copy: this.copy,
        log: this.options.log,
        withTeam: (detail, work) => this.withTeam(row, detail, work, { recorded: 'open' }),
      },
      onSync,
      options,
    )
  }

  /** Changes where the team may use a connection, by an admin (team-connection-edits.ts). */
  async setEnvironments(
    teamName: string | undefined,
    name: string,
    change: { allow?: string[]; deny?: string[] },
  ) {
    return setTeamEnvironments(this.edits, this.spaces.find(teamName), name, change)
  }

  /** Removes a connection from the team, by an admin (team-connection-edits.ts). */
  async remove(teamName: string | undefined, name: string) {
    return removeTeamConnection(this.edits, this.spaces.find(teamName), name)
  }

  private audit(
    action: 'team.push' | 'team.sync' | 'team.env' | 'team.rm',
    row: TeamSpaceRow,
    detail: string,
  ) {
    this.options.audit.record({
      action,
      target: { type: 'team', id: row.team_id, name: row.name },
      detail,
    })
  }
}

function syncResult(row: TeamSpaceRow, team: VerifiedTeam, changes: number) {
  const rekeyed: string[] = []
  return { team: row.name, connections: team.state.connections.live.size, changes, rekeyed }
}

import { randomUUID } from 'node:crypto'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import type { UseSecrets } from '../references/secrets-for-use'
import type { ResolutionService } from '../resolution/resolution-service'
import type { UnlockedIdentity } from '../sharing/identity'
import type { Vault } from '../vault/vault'
import { actorOf, reverifyTeam, withVerifiedTeam } from './team-access'
import { requireAdmin } from './team-members'
import { writeVersion } from './team-connection-keys'
import { findConnection, pushable, sameName, teamEnvironments } from './team-connection-rules'
import { TeamCopy, type OpenedTeamConnection } from './team-copy'
import { conflictError } from './team-connection-views'
import type { TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import { appendChange, appendTeamAudit, verifyTeam, type VerifiedTeam } from './team-session'
import { TeamSpaces } from './team-spaces'
import { followChanges, type TeamWatch } from './team-watch'

export interface TeamConnectionsOptions {
  vault: Vault
  audit: AuditService
  connections: ConnectionsService
  environments: EnvironmentsService
  resolution: ResolutionService
  useSecrets: UseSecrets
  identity: () => Promise<UnlockedIdentity>
  log: Logger
  now?: () => Date
}

const RACE_ATTEMPTS = 3

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

  constructor(private readonly options: TeamConnectionsOptions) {
    this.spaces = new TeamSpaces(options)
    this.copy = new TeamCopy(options.vault, () => this.now())
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString()
  }

  private withTeam(
    row: TeamSpaceRow,
    detail: string,
    work: (
      store: TeamStore,
      team: VerifiedTeam,
    ) => Promise<{ seq: number; hash: string } | undefined>,
  ) {
    return withVerifiedTeam({ ...this.options, spaces: this.spaces }, row, detail, work)
  }

  /**
   * Pushes a local connection to the team: new, or a new version of the team connection of the
   * same name, based on the version this vault last synced. `environments` sets where the team
   * may use it.
   */
  async push(teamName: string | undefined, ref: string, options: { environments?: string[] } = {}) {
    const row = this.spaces.find(teamName)
    const local = pushable(this.options.connections, ref)
    const environments = options.environments && teamEnvironments(options.environments)
    const me = await this.options.identity()
    const base = [...this.copy.replay(row).state.connections.live.values()].find((c) =>
      sameName(c, local.name),
    )
    let pushed: { version: number; created: boolean } | undefined
    await this.withTeam(
      row,
      `Pushed ${local.name} to team space ${row.name}`,
      async (store, verified) => {
        requireAdmin(verified.state, me.address.signingKey, 'push connections')
        let team = verified
        for (let attempt = 1; ; attempt++) {
          const current = [...team.state.connections.live.values()].find((c) =>
            sameName(c, local.name),
          )
          // The version this push replaces must be the one this vault last synced.
          const seen = base && current && base.id === current.id ? base.version : 0
          if (current ? current.version !== seen : base !== undefined)
            throw conflictError(row.name, local, current, base, team.state)
          const connectionId = current?.id ?? randomUUID()
          const { secrets } = this.options.connections.secretsFor(local.id)
          const described = { ...local, id: connectionId, fields: local.config }
          let written: Awaited<ReturnType<typeof writeVersion>>
          try {
            written = await writeVersion(
              store,
              team,
              me,
              described,
              current?.version ?? 0,
              secrets,
              this.now(),
            )
          } catch (error) {
            // Another admin wrote first: read again; a change to this connection is then refused
            // above with the other version shown, an unrelated one is built upon.
            if (attempt >= RACE_ATTEMPTS || !isBridgekeepError(error) || error.code !== 'CONFLICT')
              throw error
            team = await reverifyTeam(store, row)
            continue
          }
          const { version } = written
          let head = written.head
          pushed = { version, created: !current }
          if (environments)
            head = await this.writeMatrix(
              store,
              row,
              me,
              { connectionId, name: local.name },
              environments,
            )
          const envs = environments ? `; environments ${environments.join(', ') || 'none'}` : ''
          await appendTeamAudit(
            store,
            row.team_id,
            actorOf(me),
            'connection.put',
            `${local.name} version ${version}${envs}`,
            this.now(),
          )
          await this.copy.refresh(store, row, me)
          return head
        }
      },
    )
    const detail = `${local.name} version ${pushed!.version}${pushed!.created ? ' (new)' : ''}`
    this.audit('team.push', row, detail)
    return {
      team: row.name,
      name: local.name,
      version: pushed!.version,
      created: pushed!.created,
      ...(environments ? { environments } : {}),
    }
  }

  /** Pulls the team's changes, sealed versions and this vault's wrapped keys into the local copy. */
  async sync(teamName: string | undefined) {
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    let result:
      { team: string; connections: number; changes: number; warnings: string[] } | undefined
    await this.withTeam(row, `Synced team space ${row.name}`, async (store, team) => {
      // A log cut back below what this vault verified would undo changes (a denied environment
      // allowed again): the copy keeps what it had, and the warning says why.
      const stored = team.seenLost
        ? { changes: 0, problems: [] }
        : await this.copy.refresh(store, row, me, team)
      result = {
        team: row.name,
        connections: team.state.connections.live.size,
        changes: stored.changes,
        warnings: [...team.warnings, ...stored.problems],
      }
      return undefined
    })
    this.audit('team.sync', row, `${result!.connections} connections, ${result!.changes} changes`)
    return result!
  }

  /** The team's connections as this vault's copy has them (no database is asked). */
  list(teamName: string | undefined) {
    return this.copy.list(this.spaces.find(teamName))
  }

  /**
   * Opens a team connection for a use in `environment`: synced first when the team database is
   * in reach (and the use written to the team's audit trail), else from this vault's copy.
   */
  async open(
    teamName: string | undefined,
    name: string,
    environment: string,
  ): Promise<OpenedTeamConnection> {
    const row = this.spaces.find(teamName)
    const env = teamEnvironments([environment])[0]!
    const me = await this.options.identity()
    const target = { type: 'team' as const, id: row.team_id, name: row.name }
    try {
      let opened: OpenedTeamConnection | undefined
      try {
        await this.withTeam(
          row,
          `Opened ${name} of team space ${row.name}`,
          async (store, team) => {
            refuseCutBack(team, row.name)
            const { state } = await this.copy.refresh(store, row, me, team)
            opened = await this.copy.open(row, name, env, me, false, state)
            const detail = `${opened.connection.name} version ${opened.connection.version} in ${env}`
            await appendTeamAudit(
              store,
              row.team_id,
              actorOf(me),
              'connection.use',
              detail,
              this.now(),
            )
            return undefined
          },
        )
      } catch (error) {
        if (opened || !isBridgekeepError(error) || error.code !== 'TEAM_UNAVAILABLE') throw error
        opened = await this.copy.open(row, name, env, me, true)
      }
      const { connection, offline } = opened!
      this.options.audit.record({
        action: 'team.use',
        target,
        detail: `${connection.name} version ${connection.version} in ${env}${offline ? ' (offline: from this vault’s copy, not in the team audit)' : ''}`,
      })
      return opened!
    } catch (error) {
      this.options.audit.recordFailure(
        { action: 'team.use', target, detail: `${name.slice(0, 100)} in ${env}` },
        error,
      )
      throw error
    }
  }

  /**
   * Keeps this vault's copy of a team current while the team database is in reach: each change
   * another member writes wakes it (LISTEN/NOTIFY, with a poll as the fallback), the log is
   * verified again and the copy refreshed, and `onSync` hears of it. One connection for the
   * whole watch (one `team.connect` use, recorded when it ends).
   */
  watch(
    teamName: string | undefined,
    onSync: (result: { connections: number; warnings: string[] }) => void,
    options: { pollMs?: number } = {},
  ): TeamWatch {
    const row = this.spaces.find(teamName)
    let stop = () => undefined as void
    const until = new Promise<void>((resolve) => (stop = resolve))
    const done = (async () => {
      const me = await this.options.identity()
      await this.withTeam(row, `Watched team space ${row.name}`, async (store) => {
        let head: { seq: number; hash: string } | undefined
        const wake = async () => {
          const team = await verifyTeam(store, {
            teamId: row.team_id,
            founderKey: row.founder_key,
            seen: { seq: row.seen_seq, hash: row.seen_hash },
          })
          const stored = team.seenLost
            ? { problems: [] }
            : await this.copy.refresh(store, row, me, team)
          if (!team.seenLost) head = team.state.head
          const warnings = [...team.warnings, ...stored.problems]
          onSync({ connections: team.state.connections.live.size, warnings })
        }
        await wake()
        await followChanges(store, row.team_id, wake, {
          pollMs: options.pollMs ?? 30_000,
          until,
          onError: (error) =>
            this.options.log.warn('team.watch', {
              team: row.name,
              error: (error as Error).message,
            }),
        })
        return head
      })
    })()
    return {
      stop: async () => {
        stop()
        await done.catch(() => undefined)
      },
      done,
    }
  }

  /** Changes where the team may use a connection: a signed matrix change, by an admin. */
  async setEnvironments(
    teamName: string | undefined,
    name: string,
    change: { allow?: string[]; deny?: string[] },
  ) {
    const row = this.spaces.find(teamName)
    const allow = teamEnvironments(change.allow ?? [])
    const deny = teamEnvironments(change.deny ?? [])
    const me = await this.options.identity()
    let result: { team: string; name: string; environments: string[]; changed: boolean } | undefined
    await this.withTeam(
      row,
      `Changed the environments of ${name} in team space ${row.name}`,
      async (store, team) => {
        requireAdmin(team.state, me.address.signingKey, 'change where connections may be used')
        const connection = findConnection(team.state, name, row.name)
        const environments = [...new Set([...connection.environments, ...allow])]
          .filter((e) => !deny.includes(e))
          .sort()
        const changed = environments.join() !== connection.environments.join()
        result = { team: row.name, name: connection.name, environments, changed }
        if (!changed) return undefined
        const head = await appendChange(
          store,
          team,
          actorOf(me),
          'connection.environments',
          { connectionId: connection.id, environments },
          {},
          {
            action: 'connection.environments',
            detail: `${connection.name}: ${environments.join(', ') || 'no environment'}`,
            at: this.now(),
          },
        )
        await this.copy.refresh(store, row, me)
        return head
      },
    )
    if (result!.changed)
      this.audit(
        'team.env',
        row,
        `${result!.name}: ${result!.environments.join(', ') || 'no environment'}`,
      )
    return result!
  }

  /** Sets a connection's environments right after its push; a race for the position is retried. */
  private async writeMatrix(
    store: TeamStore,
    row: TeamSpaceRow,
    me: UnlockedIdentity,
    { connectionId, name }: { connectionId: string; name: string },
    environments: string[],
  ) {
    for (let attempt = 1; ; attempt++) {
      const team = await reverifyTeam(store, row)
      try {
        return await appendChange(
          store,
          team,
          actorOf(me),
          'connection.environments',
          { connectionId, environments },
          {},
          {
            action: 'connection.environments',
            detail: `${name}: ${environments.join(', ') || 'no environment'}`,
            at: this.now(),
          },
        )
      } catch (error) {
        if (attempt >= RACE_ATTEMPTS || !isBridgekeepError(error) || error.code !== 'CONFLICT')
          throw error
      }
    }
  }

  private audit(action: 'team.push' | 'team.sync' | 'team.env', row: TeamSpaceRow, detail: string) {
    this.options.audit.record({
      action,
      target: { type: 'team', id: row.team_id, name: row.name },
      detail,
    })
  }
}

/**
 * Secrets are not opened from a log that lost changes this vault verified before: what was cut
 * could be a removal or a denied environment.
 */
function refuseCutBack(team: VerifiedTeam, name: string): void {
  if (team.seenLost)
    throw new BridgekeepError(
      'TEAM_TAMPERED',
      `The change log of ${name} lost changes this vault verified before: team connections are not opened until they are back. ${team.warnings.find((w) => w.includes('verified before')) ?? ''}`.trim(),
      'Ask the team founder to check the team database and its backups (bridgekeep team verify names what is missing).',
    )
}

import type { UnlockedIdentity } from '../sharing/identity'
import type { Vault } from '../vault/vault'
import { replayChanges, type TeamState } from './change-chain'
import { TeamCacheRepository } from './team-cache-repository'
import { keyHolders } from './key-wrap'
import { strayWraps } from './team-connection-keys'
import { openCurrentVersion } from './team-connection-use'
import { versionProblem } from './team-connection-versions'
import { connectionView, type TeamConnectionView } from './team-connection-views'
import type { TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import type { SignedRow } from './signed-chain'
import type { VerifiedTeam } from './team-session'
import { sealedVersions, wrapRecipients } from './team-keys-repository'

/** A team connection opened for a use: its secrets, in memory only. */
export interface OpenedTeamConnection {
  team: string
  connection: TeamConnectionView
  environment: string
  secrets: Record<string, string>
  /** The team database was out of reach: opened from this vault's copy, not in the team audit. */
  offline: boolean
}

/**
 * This vault's copy of its teams' connections (migration 014): refreshed from the team database,
 * replayed like the database's own log, listed and opened offline. Ciphertext and this vault's
 * wrapped keys only; secrets are opened in memory at the moment of use.
 */
export class TeamCopy {
  private repository: TeamCacheRepository | undefined

  constructor(
    private readonly vault: Vault,
    private readonly now: () => string,
  ) {}

  private cache(): TeamCacheRepository {
    const db = this.vault.database()
    if (this.repository?.db !== db) this.repository = new TeamCacheRepository(db)
    return this.repository
  }

  /**
   * Replaces the copy with what the database holds now; names versions that cannot be used.
   * `verified`: the team as just read and verified in this session (its rows and their replay
   * serve as they are, instead of a second read and replay of the whole log); without it, after
   * a write, the log is read again. An incremental read's rows are added after the copy's own
   * when the copy holds the change they follow, else the whole log is read for the copy. Only
   * the current versions' sealed rows are kept (the copy lists and opens no other).
   */
  async refresh(
    store: TeamStore,
    row: TeamSpaceRow,
    me: UnlockedIdentity,
    verified?: VerifiedTeam,
  ) {
    const after = verified?.after
    const appends = !!after && this.holds(row, after)
    const changes =
      verified && (!after || appends) ? verified.changes : await store.changes(row.team_id)
    const { state } = verified ?? replayChanges(changes, pinOf(row))
    const live = [...state.connections.live.values()]
    const versions = await sealedVersions(store, row.team_id, me.address.signingKey, live)
    // Only wraps to someone who holds no key can be stray: the others are not read.
    const holders = keyHolders(state.members.values()).map((m) => m.signingKey)
    const others = wrapRecipients(store, row.team_id, { except: holders })
    others.catch(() => undefined) // awaited below, once the copy is written
    this.cache().replace(row.team_id, changes, versions, this.now(), appends ? after.seq : 0)
    const byKey = new Map(versions.map((v) => [`${v.connectionId}/${v.version}`, v]))
    const problems = live.flatMap((c) => versionProblem(c, byKey.get(`${c.id}/${c.version}`)) ?? [])
    problems.push(...strayWraps(state, await others))
    return { changes: this.cache().changeCount(row.team_id), problems, state }
  }

  /**
   * Keeps the log a join just verified, so the first sync adds the rows after it instead of
   * reading the whole log again. Until that sync the copy counts as empty (`replay`).
   */
  keepJoined(row: TeamSpaceRow, changes: readonly SignedRow[]): void {
    this.cache().keepChanges(row.team_id, changes)
  }

  /** Whether the copy holds the change at `head` (rows after it can be added to it). */
  holds(row: TeamSpaceRow, head: { seq: number; hash: string }): boolean {
    return this.cache().hashAt(row.team_id, head.seq) === head.hash
  }

  /**
   * The copy replayed like the database's log, against the pinned founder. Without the
   * high-water mark: the copy may be older than the last change verified online (a membership
   * command moves the mark without syncing), and every online read checks the mark anyway.
   * A copy never synced is empty (a join keeps the log for the first sync, nothing to use).
   */
  replay(row: TeamSpaceRow) {
    const cache = this.cache()
    const synced = cache.syncedAt(row.team_id) !== undefined
    const { state, warnings } = replayChanges(synced ? cache.changes(row.team_id) : [], pinOf(row))
    return { state, warnings: warnings.map((w) => w.message) }
  }

  /**
   * The connections as the copy has them. Given the viewer's signing key, also their role in it;
   * a use-only viewer gets no fields (they use connections through the team runner).
   */
  list(row: TeamSpaceRow, viewer?: string) {
    const { state, warnings } = this.replay(row)
    const cache = this.cache()
    const you = viewer === undefined ? undefined : (state.members.get(viewer)?.role ?? null)
    const connections = [...state.connections.live.values()]
      .map((c) =>
        connectionView(c, state, versionProblem(c, cache.sealed(row.team_id, c.id, c.version))),
      )
      .map((c) => (you === 'use-only' ? { ...c, fields: {} } : c))
      .sort((a, b) => a.name.localeCompare(b.name))
    const syncedAt = cache.syncedAt(row.team_id) ?? null
    return { team: row.name, syncedAt, connections, warnings, ...(viewer ? { you } : {}) }
  }

  /**
   * The current version opened where the copy's matrix allows `env`, for this vault. `state`:
   * the copy's replay when the caller just refreshed it (else the copy is replayed here).
   */
  async open(
    row: TeamSpaceRow,
    name: string,
    env: string,
    me: UnlockedIdentity,
    offline: boolean,
    state: TeamState = this.replay(row).state,
  ): Promise<OpenedTeamConnection> {
    return openCurrentVersion(row, state, name, env, me, offline, (connection) =>
      this.cache().sealed(row.team_id, connection.id, connection.version),
    )
  }
}

/** The founder this vault pinned, without the high-water mark (see `replay`). */
function pinOf(row: TeamSpaceRow) {
  return { teamId: row.team_id, founderKey: row.founder_key }
}

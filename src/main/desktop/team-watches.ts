import type { EventChannel } from '../../shared/ipc/contract'
import type { Logger } from '../log'
import type { Services } from '../services'
import type { TeamWatch } from '../services/teams/team-watch'

export interface TeamWatchesOptions {
  services: Pick<Services, 'vault' | 'events' | 'teams' | 'teamConnections'>
  log: Logger
  /** The watch's fallback poll, for a notification the team database never sent. */
  pollMs?: number
  /** The first wait before a failed watch is opened again; it doubles up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
}

/**
 * The pushes after which the vault's list of teams is read again: an unlock or a lock; a team
 * created or joined in this process (the window, or the CLI through the app's agent); and any
 * commit another process made to the vault file (`bridgekeep team join` run without the app's
 * agent), which VaultDataWatch notices by SQLite's data_version within half a second. So no
 * timer reads the list: each of those changes is told, and nothing else changes it.
 */
const LIST_MAY_HAVE_CHANGED = new Set<EventChannel>([
  'vault:changed',
  'teams:listChanged',
  'vault:dataChanged',
])

/**
 * Follows every team this vault is in while it is unlocked, one watch per team, so a change
 * another member writes is in this vault's copy and in the window within a second, without Sync.
 * Each watch holds one connection to its team database; they all close when the vault locks,
 * when the app quits, and for a team the vault is no longer in. A team database out of reach is
 * logged once (and once more when it is back), and tried again later and later, never in a loop.
 */
export class TeamWatches {
  private readonly followers = new Map<string, TeamFollower>()
  private readonly disconnect: () => void

  constructor(private readonly options: TeamWatchesOptions) {
    this.disconnect = options.services.events.connect((channel) => {
      if (LIST_MAY_HAVE_CHANGED.has(channel)) this.check()
    })
    this.check()
  }

  /** Starts a watch for each team the vault is in and stops the others (all of them when locked). */
  check(): void {
    const teams = this.teams()
    // The list could not be read: the watches there are stay as they are until the next push.
    if (!teams) return
    const wanted = new Map(teams.map((team) => [team.id, team.name]))
    for (const [id, follower] of this.followers) {
      if (wanted.get(id) === follower.team) continue
      this.followers.delete(id)
      void follower.stop()
    }
    for (const [id, name] of wanted) {
      if (!this.followers.has(id)) this.followers.set(id, new TeamFollower(name, this.options))
    }
  }

  /** At quit: every watch stopped and its connection closed. */
  async stop(): Promise<void> {
    this.disconnect()
    const stopping = [...this.followers.values()].map((follower) => follower.stop())
    this.followers.clear()
    await Promise.all(stopping)
  }

  /** The teams to watch: none while locked; undefined when the list could not be read. */
  private teams(): { id: string; name: string }[] | undefined {
    const { vault, teams } = this.options.services
    if (!vault.isUnlocked()) return []
    try {
      return teams.list()
    } catch (error) {
      // Locked meanwhile: the lock's own push stops every watch. Anything else is logged.
      if (vault.isUnlocked())
        this.options.log.warn('team.watch', {
          error: error instanceof Error ? error.message : String(error),
          state: 'team list unreadable',
        })
      return undefined
    }
  }
}

/** One team's watch, opened again with a growing wait after it fails. */
class TeamFollower {
  private watch: TeamWatch | undefined
  private retry: NodeJS.Timeout | undefined
  private delay: number
  private failing = false
  private stopped = false
  private lastHead: string | undefined

  constructor(
    readonly team: string,
    private readonly options: TeamWatchesOptions,
  ) {
    this.delay = options.retryMs ?? 1_000
    this.open()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.retry)
    const watch = this.watch
    this.watch = undefined
    await watch?.stop()
  }

  private open(): void {
    const { teamConnections } = this.options.services
    const watch: TeamWatch = teamConnections.watch(
      this.team,
      ({ head }) => this.synced(watch, head),
      {
        ...(this.options.pollMs ? { pollMs: this.options.pollMs } : {}),
        onError: (error) => this.failed(watch, error),
      },
    )
    this.watch = watch
    // It ends by itself only when the team database went away (or refused it).
    watch.done.then(
      () => this.failed(watch, new Error('the watch ended')),
      (error: unknown) => this.failed(watch, error),
    )
  }

  private synced(watch: TeamWatch, head: string): void {
    if (watch !== this.watch) return
    if (this.failing) this.options.log.info('team.watch', { team: this.team, state: 'back' })
    this.failing = false
    this.delay = this.options.retryMs ?? 1_000
    if (head === this.lastHead) return
    this.lastHead = head
    this.options.services.events.emit('teams:changed', { team: this.team })
  }

  /** A failed wake-up or a lost connection: this watch is closed and a new one opened later. */
  private failed(watch: TeamWatch, error: unknown): void {
    if (this.stopped || watch !== this.watch) return
    this.watch = undefined
    void watch.stop()
    if (!this.failing) {
      this.options.log.warn('team.watch', {
        team: this.team,
        error: error instanceof Error ? error.message : String(error),
        state: 'retrying later',
      })
    }
    this.failing = true
    this.retry = setTimeout(() => this.open(), this.delay)
    this.retry.unref()
    this.delay = Math.min(this.delay * 2, this.options.maxRetryMs ?? 60_000)
  }
}

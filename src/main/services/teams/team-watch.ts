import type { Logger } from '../../log'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamWork } from './team-access'
import type { TeamCopy } from './team-copy'
import type { TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import { seenOf, verifyTeam } from './team-session'

/** A team being followed: `stop` ends it (and resolves once it has). */
export interface TeamWatch {
  stop(): Promise<void>
  /** Settles when the watch ends: stopped, or failed (the team database went away). */
  done: Promise<void>
}

/**
 * Follows a team's change log on one open connection: LISTEN on `bridgekeep_changes` (schema
 * v2's trigger notifies each new change with its team's id), with a poll every `pollMs` as the
 * fallback for a notification lost (a dropped connection, a server that does not forward them).
 * Each wake-up runs `wake`; wake-ups that arrive while one runs are folded into one more run,
 * so a burst of changes costs two reads, not one per change. Returns when `until` settles.
 */
export async function followChanges(
  store: TeamStore,
  teamId: string,
  wake: () => Promise<void>,
  options: { pollMs: number; until: Promise<void>; onError: (error: unknown) => void },
): Promise<void> {
  let running: Promise<void> | undefined
  let again = false
  const run = () => {
    if (running) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        await wake().catch(options.onError)
      } while (again)
      running = undefined
    })()
  }
  // A lost connection needs nothing here: the next poll fails and reports it through onError.
  await store.listen(
    'bridgekeep_changes',
    (payload) => {
      if (payload === teamId) run()
    },
    () => undefined,
  )
  const timer = setInterval(run, options.pollMs)
  try {
    await options.until
  } finally {
    clearInterval(timer)
    await running
  }
}

/** What a watch hears after each wake-up: the team as verified, and the last trusted change. */
export interface WatchedTeam {
  connections: number
  warnings: string[]
  head: string
}

/** What a watch needs of the team connections service. */
export interface WatchContext {
  row: TeamSpaceRow
  identity: () => Promise<UnlockedIdentity>
  copy: TeamCopy
  log: Logger
  withTeam: (detail: string, work: TeamWork) => Promise<void>
}

/** Keeps this vault's copy of one team current (see TeamConnectionsService.watch). */
export function watchTeam(
  context: WatchContext,
  onSync: (result: WatchedTeam) => void,
  options: { pollMs?: number; onError?: (error: unknown) => void },
): TeamWatch {
  const { row, copy, log } = context
  let stopped = false
  let stop = () => undefined as void
  const until = new Promise<void>((resolve) => (stop = resolve))
  const done = (async () => {
    const me = await context.identity()
    // Stopped already (the vault locked meanwhile): no use of the team database is begun.
    if (stopped) return
    await context.withTeam(`Watched team space ${row.name}`, async (store) => {
      let head: { seq: number; hash: string } | undefined
      const wake = async () => {
        const team = await verifyTeam(
          store,
          { teamId: row.team_id, founderKey: row.founder_key, seen: seenOf(row) },
          { copyHolds: (at) => copy.holds(row, at) },
        )
        const stored = team.seenLost ? { problems: [] } : await copy.refresh(store, row, me, team)
        if (!team.seenLost) head = team.state.head
        const warnings = [...team.warnings, ...stored.problems]
        onSync({
          connections: team.state.connections.live.size,
          warnings,
          head: team.state.head.hash,
        })
      }
      await wake()
      await followChanges(store, row.team_id, wake, {
        pollMs: options.pollMs ?? 30_000,
        until,
        onError:
          options.onError ??
          ((error) =>
            log.warn('team.watch', {
              team: row.name,
              error: (error as Error).message,
            })),
      })
      return head
    })
  })()
  return {
    stop: async () => {
      stopped = true
      stop()
      await done.catch(() => undefined)
    },
    done,
  }
}

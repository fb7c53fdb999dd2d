import type { TeamStore } from './team-database-repository'

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

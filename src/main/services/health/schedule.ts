/** Scheduled checks wander by up to ±10% so that a vault's connections do not all fire at once. */
export const JITTER = 0.1
/** While failing, the wait doubles with each failure in a row, up to this many intervals... */
const MAX_BACKOFF_FACTOR = 8
/** ...and never beyond a day, so that a recovery is noticed the same day. */
const MAX_BACKOFF_MINUTES = 24 * 60

/**
 * When the next scheduled check of a connection is due, after a check that finished at `now`.
 * Healthy: one interval later. Failing: later each time (a broken credential is not hammered,
 * which could lock an account), by 2^(failures-1) intervals, capped. Always jittered.
 */
export function nextCheckAt(
  intervalMinutes: number,
  consecutiveFailures: number,
  now: Date,
  random: () => number = Math.random,
): Date {
  let minutes = intervalMinutes
  if (consecutiveFailures > 1) {
    const factor = Math.min(2 ** (consecutiveFailures - 1), MAX_BACKOFF_FACTOR)
    minutes = Math.max(intervalMinutes, Math.min(intervalMinutes * factor, MAX_BACKOFF_MINUTES))
  }
  const jitter = 1 + (random() * 2 - 1) * JITTER
  return new Date(now.getTime() + minutes * jitter * 60_000)
}

/**
 * A connection never checked is due soon after the scheduler starts, spread over the first
 * minutes rather than all at once.
 */
export function firstCheckAt(now: Date, random: () => number = Math.random): Date {
  return new Date(now.getTime() + Math.floor(random() * 5 * 60_000))
}

import { z } from 'zod'
import {
  cancelVerifyInputSchema,
  connectionHealthSchema,
  healthTransitionSchema,
  setCheckIntervalInputSchema,
  verifyAllInputSchema,
  verifyInputSchema,
  verifyJobSchema,
  verifyProgressSchema,
} from '../../health'
import { channel } from '../define'

export const healthChannels = {
  /** The health of every live connection (the list's status dots and "Last verified"). */
  list: channel(z.undefined(), z.array(connectionHealthSchema)),
  get: channel(
    z.object({ connectionId: z.string().min(1).max(100) }).strict(),
    connectionHealthSchema,
  ),
  /**
   * Verifies one connection through the runner (started if it is not running) and returns the
   * stored result. A failing credential is a result, not an error; errors are for refusals
   * (NOT_AUTHORIZED, USE_ONLY scope, RUNNER_UNAVAILABLE...).
   */
  verify: channel(verifyInputSchema, connectionHealthSchema),
  /** Starts verifying many at the default concurrency; progress arrives as `health:progress`. */
  verifyAll: channel(verifyAllInputSchema, verifyJobSchema),
  /** Stops a Verify all: checks in flight are cancelled, the rest skipped. */
  cancel: channel(cancelVerifyInputSchema, z.object({ cancelled: z.boolean() })),
  /** Per-connection schedule; null switches scheduled checks off for it. */
  setInterval: channel(setCheckIntervalInputSchema, connectionHealthSchema),
}

export const healthEvents = {
  progress: verifyProgressSchema,
  /** Any stored result changed (a verify finished): refetch `health:list`. */
  changed: z.object({ connectionIds: z.array(z.string()) }),
  /** Turned failing or recovered: shown as a desktop notification. */
  transition: healthTransitionSchema,
}

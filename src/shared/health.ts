import { z } from 'zod'
import { identitySchema, operationErrorSchema } from './operations'

// Connection health: what the last verify of each connection proved, when the next
// scheduled check is due, and the warnings worth acting on (an old secret, a near expiry).
// Shared by main (HealthService), the renderer (status dots, details page, Verify all) and the CLI.

const id = z.string().min(1).max(100)
const isoTime = z.iso.datetime({ offset: true })

/** A check runs every 6 hours unless the connection says otherwise. */
export const DEFAULT_CHECK_INTERVAL_MINUTES = 360
export const MIN_CHECK_INTERVAL_MINUTES = 15
export const MAX_CHECK_INTERVAL_MINUTES = 7 * 24 * 60
/** A secret older than this is due for rotation. */
export const SECRET_AGE_WARNING_DAYS = 90
/** A provider-reported expiry closer than this is near. */
export const EXPIRY_WARNING_DAYS = 14

/** Minutes between scheduled checks of one connection; null when they are switched off. */
export const checkIntervalSchema = z
  .number()
  .int()
  .min(MIN_CHECK_INTERVAL_MINUTES)
  .max(MAX_CHECK_INTERVAL_MINUTES)
  .nullable()

export const healthStatuses = ['unchecked', 'healthy', 'failing'] as const

export const healthWarningSchema = z.object({
  kind: z.enum(['secret-age', 'expiry', 'expired', 'stale', 'permissions']),
  /** A full sentence, e.g. "The secret is 124 days old: rotate it (rotation reminder after 90 days)." */
  message: z.string(),
})
export type HealthWarning = z.infer<typeof healthWarningSchema>

export const connectionHealthSchema = z.object({
  connectionId: id,
  status: z.enum(healthStatuses),
  /** When the last check finished. */
  checkedAt: isoTime.optional(),
  latencyMs: z.number().nonnegative().optional(),
  /** The environment the last check resolved the connection in. */
  environmentId: id.optional(),
  environmentName: z.string().optional(),
  /** The secret version the last check used. */
  secretVersion: z.number().int().positive().optional(),
  identity: identitySchema.optional(),
  error: operationErrorSchema.optional(),
  /** When the credential itself expires, as the provider reported it. */
  expiresAt: isoTime.optional(),
  notes: z.array(z.string()).optional(),
  /** The name of the runner that made the last check ("local", or a remote runner's). */
  checkedBy: z.string().optional(),
  /** Failed checks in a row (backoff grows with it). */
  consecutiveFailures: z.number().int().nonnegative(),
  /** Scheduled checks: null when switched off for this connection. */
  intervalMinutes: checkIntervalSchema,
  /** When the scheduler will check next (jittered; later while failing). */
  nextCheckAt: isoTime.optional(),
  /** Days since the current secret version was stored. */
  secretAgeDays: z.number().int().nonnegative().optional(),
  warnings: z.array(healthWarningSchema),
})
export type ConnectionHealth = z.infer<typeof connectionHealthSchema>

export const verifyInputSchema = z
  .object({
    connectionId: id,
    /**
     * The environment to resolve the connection in (authorized like a use, but not counted as
     * one: it sets "last verified", never "Last used"). Absent:
     * the first environment, in column order, that authorizes it, unprotected ones first.
     */
    environmentId: id.optional(),
  })
  .strict()
export type VerifyInput = z.infer<typeof verifyInputSchema>

export const verifyAllInputSchema = z
  .object({
    /** Absent: every live connection. */
    connectionIds: z.array(id).max(100_000).optional(),
  })
  .strict()
export type VerifyAllInput = z.infer<typeof verifyAllInputSchema>

export const verifyJobSchema = z.object({ jobId: id, total: z.number().int().nonnegative() })
export type VerifyJob = z.infer<typeof verifyJobSchema>

/** Pushed as a Verify all advances (at most every 100 ms, and once at the end). */
export const verifyProgressSchema = z.object({
  jobId: id,
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  healthy: z.number().int().nonnegative(),
  failing: z.number().int().nonnegative(),
  /** Not verified: not authorized anywhere, or cancelled before their turn. */
  skipped: z.number().int().nonnegative(),
  state: z.enum(['running', 'finished', 'cancelled']),
  /** Why some were skipped when it was not the matrix: e.g. the runner could not be started. */
  problem: z.string().optional(),
})
export type VerifyProgress = z.infer<typeof verifyProgressSchema>

export const cancelVerifyInputSchema = z.object({ jobId: id }).strict()

export const setCheckIntervalInputSchema = z
  .object({
    connectionId: id,
    intervalMinutes: checkIntervalSchema,
  })
  .strict()

/** A connection turned failing, or recovered: the desktop notification's content. */
export const healthTransitionSchema = z.object({
  connectionId: id,
  connectionName: z.string(),
  from: z.enum(healthStatuses),
  to: z.enum(['healthy', 'failing']),
  /** "Authentication failed: ..." when failing; the identity label when recovered. */
  message: z.string(),
})
export type HealthTransition = z.infer<typeof healthTransitionSchema>

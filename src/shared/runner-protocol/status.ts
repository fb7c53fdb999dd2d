import { z } from 'zod'
import { logFieldsSchema, logLevels } from './protocol'
import { RUNNER_NAME_PATTERN, RUNNER_NAME_RULE } from '../runner-name'
import { safeText } from '../text'

/**
 * The local runner's lifecycle. stopped → starting → ready; degraded while its heartbeats are
 * late; crashed when it exits unasked, then restarting (after a backoff) or failed (too many
 * crashes in a short time, until started again).
 */
export const runnerStates = [
  'stopped',
  'starting',
  'ready',
  'degraded',
  'restarting',
  'crashed',
  'failed',
] as const
export type RunnerState = (typeof runnerStates)[number]

export const runnerStatusSchema = z.object({
  state: z.enum(runnerStates),
  /** When the runner entered this state. */
  since: z.string(),
  pid: z.number().int().nullable(),
  restarts: z.number().int(),
  recentCrashes: z.number().int(),
  nextRestartAt: z.string().nullable(),
  lastError: z.object({ message: z.string(), at: z.string() }).nullable(),
  /** Where runners connect; null until the listener has started. */
  listener: z.object({ host: z.string(), port: z.number().int() }).nullable(),
  /** Runners connected right now (the local one included). */
  connected: z.number().int(),
})
export type RunnerStatus = z.infer<typeof runnerStatusSchema>

export const runnerLogSources = ['app', 'runner'] as const

export const runnerLogEntrySchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  level: z.enum(logLevels),
  source: z.enum(runnerLogSources),
  runnerId: z.string().nullable(),
  event: z.string(),
  fields: logFieldsSchema,
})
export type RunnerLogEntry = z.infer<typeof runnerLogEntrySchema>

export const runnerLogQuerySchema = z
  .object({
    /** The lowest level shown: 'warn' shows warnings and errors. */
    level: z.enum(logLevels).optional(),
    /** Case-insensitive text in the event name or a field value. */
    search: z.string().max(200).optional(),
    /** Only the lines of this runner: its own output and the app's lines about it. */
    runnerId: z.string().max(100).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  })
  .strict()
  .optional()
export type RunnerLogQuery = z.input<typeof runnerLogQuerySchema>

const percentiles = z.object({ p50: z.number(), p95: z.number(), p99: z.number() })

export const runnerMetricsSchema = z.object({
  /** Since the runner last became ready; null while it is not running. */
  uptimeMs: z.number().nullable(),
  restarts: z.number().int(),
  operations: z.object({ total: z.number().int(), failed: z.number().int() }),
  /** Round trips of recent operations, milliseconds; null before the first one. */
  latencyMs: percentiles.nullable(),
  /** From the runner's latest heartbeat. */
  process: z
    .object({
      pid: z.number().int(),
      rssBytes: z.number(),
      heapUsedBytes: z.number(),
      cpuPercent: z.number(),
    })
    .nullable(),
  /** One point per minute (the last 30), oldest first. */
  perMinute: z.array(
    z.object({
      at: z.string(),
      operations: z.number().int(),
      failed: z.number().int(),
      p95Ms: z.number().nullable(),
    }),
  ),
  /** Memory samples (about every 5 s, the last 60), oldest first. */
  memory: z.array(z.object({ at: z.string(), rssBytes: z.number() })),
})
export type RunnerMetrics = z.infer<typeof runnerMetricsSchema>

/** The local runner's name; remote runners get theirs from `--name`. */
export const LOCAL_RUNNER_NAME = 'local'

/** What users type and connections name: lowercase letters, digits and dashes, 1 to 40. */
export const runnerNameSchema = z
  .string()
  .regex(RUNNER_NAME_PATTERN, `A runner name is ${RUNNER_NAME_RULE}.`)

export const knownRunnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  kind: z.enum(['local', 'remote']),
  /** Holds credentials that are not revoked. */
  active: z.boolean(),
  connected: z.boolean(),
  createdAt: z.string(),
  lastContactAt: z.string().nullable(),
  lastAddress: z.string().nullable(),
  version: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Operations the app sent it in the last minute; null when this process cannot know (CLI). */
  operationsPerMinute: z.number().int().nullable(),
})
export type KnownRunner = z.infer<typeof knownRunnerSchema>

export const enrollmentRequestSchema = z
  .object({
    /** Which runner: a new one to create, or the one to regenerate (optional when only one). */
    name: runnerNameSchema.optional(),
    label: safeText(z.string().trim().min(1).max(100), 'Label:').optional(),
  })
  .strict()
  .optional()
export type EnrollmentRequest = NonNullable<z.input<typeof enrollmentRequestSchema>>

/** The credentials file, returned once: the only output of the runner feature that is secret. */
export const enrollmentFileSchema = z.object({
  runnerId: z.string(),
  name: z.string(),
  filename: z.string(),
  content: z.string(),
  /** Serials of the certificates this replaced (revoked): empty for a first generation. */
  revoked: z.number().int(),
})
export type EnrollmentFile = z.infer<typeof enrollmentFileSchema>

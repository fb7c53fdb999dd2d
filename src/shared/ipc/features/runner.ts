import { z } from 'zod'
import {
  enrollmentFileSchema,
  enrollmentRequestSchema,
  knownRunnerSchema,
  runnerLogEntrySchema,
  runnerLogQuerySchema,
  runnerMetricsSchema,
  runnerNameSchema,
  runnerStatusSchema,
} from '../../runner-protocol/status'
import { channel } from '../define'

export const runnerChannels = {
  status: channel(z.undefined(), runnerStatusSchema),
  /** Starts the local runner (needs the vault unlocked: its certificate comes from the vault CA). */
  start: channel(z.undefined(), runnerStatusSchema),
  /** SIGTERM, then SIGKILL after 5 s. */
  stop: channel(z.undefined(), runnerStatusSchema),
  restart: channel(z.undefined(), runnerStatusSchema),
  /** The last lines (up to 1,000 kept), oldest first, filtered by level and text. */
  logs: channel(runnerLogQuerySchema, z.array(runnerLogEntrySchema)),
  metrics: channel(z.undefined(), runnerMetricsSchema),
  /**
   * The fleet: the local runner and the named remote runners, each with whether it is connected,
   * where from, its version, last contact and operations in the last minute.
   */
  runners: channel(z.undefined(), z.array(knownRunnerSchema)),
  /** Credentials for a new named runner (`name`, default "remote"), returned once. */
  generateCredentials: channel(enrollmentRequestSchema, enrollmentFileSchema),
  /** New credentials for the runner `name` (same identity); its earlier ones are revoked at once. */
  regenerateCredentials: channel(enrollmentRequestSchema, enrollmentFileSchema),
  /** Revokes a remote runner and forgets it; refused while connections name it unless `force`. */
  deleteRunner: channel(
    z.object({ name: runnerNameSchema, force: z.boolean().optional() }).strict(),
    z.object({ runnerId: z.string(), revoked: z.number().int(), connections: z.array(z.string()) }),
  ),
}

export const runnerEvents = {
  /** Every change of the local runner's state, and runners connecting or leaving. */
  status: runnerStatusSchema,
  /** Each new log line. */
  log: runnerLogEntrySchema,
}

import { z } from 'zod'
import {
  enrollmentFileSchema,
  enrollmentRequestSchema,
  knownRunnerSchema,
  runnerLogEntrySchema,
  runnerLogQuerySchema,
  runnerMetricsSchema,
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
  /** Runners this vault knows, local and remote, with their last contact. */
  runners: channel(z.undefined(), z.array(knownRunnerSchema)),
  /** A credentials file for a runner started by hand, returned once. */
  generateCredentials: channel(enrollmentRequestSchema, enrollmentFileSchema),
  /** New credentials; every earlier certificate and API key is revoked at once. */
  regenerateCredentials: channel(enrollmentRequestSchema, enrollmentFileSchema),
}

export const runnerEvents = {
  /** Every change of the local runner's state, and runners connecting or leaving. */
  status: runnerStatusSchema,
  /** Each new log line. */
  log: runnerLogEntrySchema,
}

import { z } from 'zod'
import { keyRotationStepSchema, operationInputSchema, stackNameSchema } from '../operations'
import { secretReferenceSchema } from '../secret-reference'

/**
 * The messages of the control channel between the app and a runner, one JSON object per frame
 * (see framing.ts). Every frame is parsed with these schemas on arrival: an unknown type, an
 * unknown operation or an unexpected field drops the connection.
 */

export const PROTOCOL_VERSION = 1

const requestId = z.string().min(1).max(64)
const shortText = z.string().max(200)

const connectionId = z.string().min(1).max(100)

/**
 * The operations a runner performs; anything else is refused. verify, issue-credentials,
 * rotate-key (an AWS access key's create / deactivate step) and read-stack (the role an AWS
 * cross-account setup's CloudFormation stack created), console-sign-in (an AWS console URL) and
 * read-reference (the value a Kubernetes secret reference points at, read with the connection)
 * carry the connection's id (for the runner's log) and the operation input the providers take
 * (src/shared/operations.ts): one shape end to end.
 */
export const operationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), payload: z.string().max(1024).optional() }).strict(),
  z.object({ type: z.literal('verify'), connectionId, input: operationInputSchema }).strict(),
  z
    .object({ type: z.literal('issue-credentials'), connectionId, input: operationInputSchema })
    .strict(),
  z
    .object({
      type: z.literal('rotate-key'),
      connectionId,
      input: operationInputSchema,
      step: keyRotationStepSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('read-stack'),
      connectionId,
      input: operationInputSchema,
      stackName: stackNameSchema,
    })
    .strict(),
  z
    .object({ type: z.literal('console-sign-in'), connectionId, input: operationInputSchema })
    .strict(),
  z
    .object({
      type: z.literal('read-reference'),
      connectionId,
      input: operationInputSchema,
      reference: secretReferenceSchema,
    })
    .strict(),
])
export type Operation = z.input<typeof operationSchema>
export type ParsedOperation = z.output<typeof operationSchema>

/** An operation's result: a JSON object chosen by the operation (identity, expiry, credentials). */
export const operationResultSchema = z.record(z.string(), z.unknown())
export type OperationResult = z.output<typeof operationResultSchema>

export const operationErrorSchema = z.object({
  code: z.string().min(1).max(64),
  message: z.string().max(2000),
})
export type OperationError = z.infer<typeof operationErrorSchema>

const scalarField = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(200)).max(50),
])
export const logFieldsSchema = z.record(z.string().max(64), scalarField)
export const logLevels = ['debug', 'info', 'warn', 'error'] as const
export type RunnerLogLevel = (typeof logLevels)[number]

/** Frames a runner sends. */
export const runnerFrameSchema = z.discriminatedUnion('type', [
  /** Phase two of startup, right after the TLS handshake: the API key. */
  z
    .object({
      type: z.literal('auth'),
      protocol: z.number().int(),
      runnerId: z.string().min(1).max(100),
      apiKey: z.string().min(1).max(200),
      version: shortText,
      pid: z.number().int(),
      platform: shortText,
      /** Started by the app (exits when the app goes) rather than by hand. */
      local: z.boolean(),
    })
    .strict(),
  // A response: one discriminated union inside the other (zod looks at `type`, then `ok`).
  z.discriminatedUnion('ok', [
    z
      .object({
        type: z.literal('response'),
        id: requestId,
        ok: z.literal(true),
        result: operationResultSchema,
      })
      .strict(),
    z
      .object({
        type: z.literal('response'),
        id: requestId,
        ok: z.literal(false),
        error: operationErrorSchema,
      })
      .strict(),
  ]),
  /** The runner's own health, every `heartbeatMs` the app asked for. */
  z
    .object({
      type: z.literal('heartbeat'),
      seq: z.number().int().nonnegative(),
      rssBytes: z.number().nonnegative(),
      heapUsedBytes: z.number().nonnegative(),
      /** Cumulative CPU time of the runner process (process.cpuUsage), microseconds. */
      cpuUserMicros: z.number().nonnegative(),
      cpuSystemMicros: z.number().nonnegative(),
      uptimeSeconds: z.number().nonnegative(),
      inFlight: z.number().int().nonnegative(),
    })
    .strict(),
  /** A structured log line (runners started by hand; a local runner's go to its stderr). */
  z
    .object({
      type: z.literal('log'),
      level: z.enum(logLevels),
      event: z.string().min(1).max(100),
      fields: logFieldsSchema.default({}),
    })
    .strict(),
])
export type RunnerFrame = z.input<typeof runnerFrameSchema>

export const refusalStages = ['certificate', 'api-key', 'revoked', 'protocol'] as const
export type RefusalStage = (typeof refusalStages)[number]

/** Frames the app sends. */
export const appFrameSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('welcome'),
      protocol: z.number().int(),
      vaultId: z.string(),
      runnerId: z.string(),
      heartbeatMs: z.number().int().positive(),
    })
    .strict(),
  /** Why the app will not (or no longer) talk to this runner; the connection closes after it. */
  z
    .object({
      type: z.literal('refused'),
      stage: z.enum(refusalStages),
      reason: z.string().max(500),
    })
    .strict(),
  z
    .object({
      type: z.literal('request'),
      id: requestId,
      timeoutMs: z.number().int().positive(),
      op: operationSchema,
    })
    .strict(),
  z.object({ type: z.literal('cancel'), id: requestId }).strict(),
])
export type AppFrame = z.input<typeof appFrameSchema>

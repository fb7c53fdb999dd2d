// defineOperations turns a provider's verify / issue-credentials implementation into the operations
// the runner dispatches: the request is validated against the catalog, run within its time
// budget, its failure classified, and every secret of the request scrubbed from the answer.
import { performance } from 'node:perf_hooks'
import {
  consoleSignInResultSchema,
  DEFAULT_TIMEOUT_MS,
  issueResultSchema,
  keyRotationResultSchema,
  operationInputSchema,
  referenceReadResultSchema,
  stackReadResultSchema,
  verifyResultSchema,
} from '../../shared/operations'
import type {
  ConsoleSignInResult,
  Identity,
  IssueResult,
  IssuedCredentials,
  KeyRotationResult,
  KeyRotationStep,
  LinkedConnection,
  OperationInput,
  ReferenceReadResult,
  StackReadResult,
  VerifyResult,
} from '../../shared/operations'
import type { SecretReference } from '../../shared/secret-reference'
import { getProvider, validateConnectionValues } from '../../shared/providers'
import type { ProviderId } from '../../shared/providers'
import { failure, OperationFailure, transportFailure, unexpected } from './failure'
import { scrub, sensitiveStrings } from './scrub'

/**
 * What every provider operation gets besides its input: its time budget. (The registry's
 * OperationContext, with the app's cancel signal and the log, is what the runner hands in.)
 */
export interface OperationBudget {
  /** Aborted when the operation's time is up: pass it to every request. */
  signal: AbortSignal
  timeoutMs: number
  /** Milliseconds left of the budget (at least 1). */
  remainingMs(): number
}

/** What a successful verify proved. */
export interface Proof {
  identity: Identity
  expiresAt?: string
  notes?: string[]
  /** What works now but will break a use (permissions a capability needs and lacks). */
  warnings?: string[]
}

/** The input after the catalog normalized it: config has its defaults, values their canonical form. */
export type ValidInput = OperationInput
/** One connection's values (the input's own, or its linked connection's), normalized. */
export type ValidConnection = LinkedConnection

export type VerifyImpl = (input: ValidInput, context: OperationBudget) => Promise<Proof>
export type IssueImpl = (input: ValidInput, context: OperationBudget) => Promise<IssuedCredentials>
/** A rotate-key step's outcome, before the wrapper adds its latency. */
export type KeyRotationDone =
  | { status: 'created'; userName: string; accessKeyId: string; secretAccessKey: string }
  | { status: 'deactivated'; userName: string; accessKeyId: string }
export type RotateKeyImpl = (
  input: ValidInput,
  step: KeyRotationStep,
  context: OperationBudget,
) => Promise<KeyRotationDone>

/** A console sign-in URL (it signs whoever opens it in: a secret meant for the app). */
export interface ConsoleSignIn {
  url: string
  expiresAt: string
  /** Who the console session acts as. */
  principal: string
}
export type ConsoleSignInImpl = (
  input: ValidInput,
  context: OperationBudget,
) => Promise<ConsoleSignIn>

/** What read-stack found, before the wrapper adds its latency. */
export interface StackRead {
  stackStatus: string
  roleArn: string
}
export type ReadStackImpl = (
  input: ValidInput,
  stackName: string,
  context: OperationBudget,
) => Promise<StackRead>

/** The value a secret reference points at (a secret meant for the one use that asked). */
export type ReadReferenceImpl = (
  input: ValidInput,
  reference: SecretReference,
  context: OperationBudget,
) => Promise<string>

/** A provider's operations as defineOperations wraps them: they check whatever input they get. */
export interface CheckedOperations {
  /** Never throws: every failure is a classified `failing` result. */
  verify(input: unknown): Promise<VerifyResult>
  issueCredentials?(input: unknown): Promise<IssueResult>
  rotateKey?(input: unknown, step: KeyRotationStep): Promise<KeyRotationResult>
  readStack?(input: unknown, stackName: string): Promise<StackReadResult>
  consoleSignIn?(input: unknown): Promise<ConsoleSignInResult>
  readReference?(input: unknown, reference: SecretReference): Promise<ReferenceReadResult>
}

/**
 * Same checks the app applied when the values were stored; a runner trusts nothing it is sent.
 * `later` names fields the operation is there to find (read-stack: the role ARN, for a
 * connection not saved yet), so their absence is not an error.
 */
function normalized<T extends LinkedConnection>(connection: T, later?: readonly string[]): T {
  const checked = validateConnectionValues(
    connection.provider,
    connection.authMode,
    { ...connection.config, ...connection.secrets },
    { ...(later ? { later } : {}) },
  )
  if (!checked.ok)
    throw failure(
      'invalid-config',
      checked.issues[0]?.message ?? 'the connection values are not valid.',
      'Edit the connection and correct the field named.',
    )
  return { ...connection, config: checked.config, secrets: checked.secrets }
}

function prepare(provider: ProviderId, raw: unknown, later?: readonly string[]): ValidInput {
  const parsed = operationInputSchema.safeParse(raw)
  if (!parsed.success)
    throw failure(
      'invalid-config',
      'the operation request is malformed.',
      'Update the app and the runner to the same version.',
    )
  if (parsed.data.provider !== provider)
    throw failure(
      'invalid-config',
      `the request is for ${parsed.data.provider}, not ${provider}.`,
      'Update the app and the runner to the same version.',
    )
  const input = normalized(parsed.data, later)
  return input.linked ? { ...input, linked: normalized(input.linked) } : input
}

function classify(error: unknown, provider: ProviderId): OperationFailure {
  if (error instanceof OperationFailure) return error
  const label = getProvider(provider)?.label ?? provider
  return (
    transportFailure(error, label) ??
    unexpected(`${label}: ${error instanceof Error ? error.name : 'an unknown error'}.`)
  )
}

/** Runs `body` within the time budget; an overrun is "unreachable", whatever body is doing. */
async function withBudget<T>(
  provider: ProviderId,
  timeoutMs: number,
  body: (context: OperationBudget) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  const started = performance.now()
  const context: OperationBudget = {
    signal: controller.signal,
    timeoutMs,
    remainingMs: () => Math.max(1, Math.round(timeoutMs - (performance.now() - started))),
  }
  let timer: NodeJS.Timeout | undefined
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort()
      const label = getProvider(provider)?.label ?? provider
      reject(
        failure(
          'unreachable',
          `${label} did not answer within ${(timeoutMs / 1000).toFixed(1)} s.`,
          'Check that the endpoint is up and reachable from this machine (VPN, proxy, firewall).',
        ),
      )
    }, timeoutMs)
  })
  const work = body(context)
  work.catch(() => undefined) // after an overrun its rejection has no one to tell
  try {
    return await Promise.race([work, overrun])
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}

function secretsOf(raw: unknown): Record<string, string>[] {
  const input = raw as Partial<OperationInput> | undefined
  const sets = [input?.secrets, input?.linked?.secrets]
  return sets.filter(
    (set): set is Record<string, string> =>
      typeof set === 'object' &&
      set !== null &&
      Object.values(set).every((value) => typeof value === 'string'),
  )
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10

/** Wraps a provider's implementations into the runner-facing operations. */
export function defineOperations(
  provider: ProviderId,
  impl: {
    verify: VerifyImpl
    issueCredentials?: IssueImpl
    rotateKey?: RotateKeyImpl
    readStack?: ReadStackImpl
    consoleSignIn?: ConsoleSignInImpl
    readReference?: ReadReferenceImpl
  },
): CheckedOperations {
  const run = async <T>(
    raw: unknown,
    body: (input: ValidInput, context: OperationBudget) => Promise<T>,
    later?: readonly string[],
  ): Promise<{ ok: true; value: T } | { ok: false; failure: OperationFailure }> => {
    try {
      const input = prepare(provider, raw, later)
      const timeoutMs = input.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS
      return { ok: true, value: await withBudget(provider, timeoutMs, (c) => body(input, c)) }
    } catch (error) {
      return { ok: false, failure: classify(error, provider) }
    }
  }
  const operations: CheckedOperations = {
    async verify(raw) {
      const started = performance.now()
      const outcome = await run(raw, impl.verify)
      const result: VerifyResult = outcome.ok
        ? {
            status: 'healthy',
            identity: outcome.value.identity,
            latencyMs: elapsed(started),
            ...(outcome.value.expiresAt ? { expiresAt: outcome.value.expiresAt } : {}),
            ...(outcome.value.notes?.length ? { notes: outcome.value.notes } : {}),
            ...(outcome.value.warnings?.length ? { warnings: outcome.value.warnings } : {}),
          }
        : {
            status: 'failing',
            latencyMs: elapsed(started),
            ...(outcome.failure.identity ? { identity: outcome.failure.identity } : {}),
            error: outcome.failure.toError(),
          }
      return verifyResultSchema.parse(scrub(result, sensitiveStrings(secretsOf(raw))))
    },
  }
  const issue = impl.issueCredentials
  if (issue)
    operations.issueCredentials = async (raw) => {
      const started = performance.now()
      const outcome = await run(raw, issue)
      if (outcome.ok)
        // Issued credentials are new secrets meant for the caller: only the failure is scrubbed.
        return issueResultSchema.parse({
          status: 'issued',
          credentials: outcome.value,
          latencyMs: elapsed(started),
        })
      return issueResultSchema.parse({
        status: 'failing',
        error: scrub(outcome.failure.toError(), sensitiveStrings(secretsOf(raw))),
        latencyMs: elapsed(started),
      })
    }
  const rotateKey = impl.rotateKey
  if (rotateKey)
    operations.rotateKey = async (raw, step) => {
      const started = performance.now()
      const outcome = await run(raw, (input, context) => rotateKey(input, step, context))
      // A created key's secret is meant for the app to store: only the failure is scrubbed.
      if (outcome.ok)
        return keyRotationResultSchema.parse({ ...outcome.value, latencyMs: elapsed(started) })
      return keyRotationResultSchema.parse({
        status: 'failing',
        error: scrub(outcome.failure.toError(), sensitiveStrings(secretsOf(raw))),
        latencyMs: elapsed(started),
      })
    }
  const readStack = impl.readStack
  if (readStack)
    operations.readStack = async (raw, stackName) => {
      const started = performance.now()
      // The stack is read to find the role: a connection being added has none yet.
      const outcome = await run(raw, (input, context) => readStack(input, stackName, context), [
        'role_arn',
      ])
      return stackReadResultSchema.parse(
        scrub(
          outcome.ok
            ? { status: 'read', ...outcome.value, latencyMs: elapsed(started) }
            : { status: 'failing', error: outcome.failure.toError(), latencyMs: elapsed(started) },
          sensitiveStrings(secretsOf(raw)),
        ),
      )
    }
  const consoleSignIn = impl.consoleSignIn
  if (consoleSignIn)
    operations.consoleSignIn = async (raw) => {
      const started = performance.now()
      const outcome = await run(raw, consoleSignIn)
      // The URL is meant for the app to open: only the failure is scrubbed.
      if (outcome.ok)
        return consoleSignInResultSchema.parse({
          status: 'signed-in',
          ...outcome.value,
          latencyMs: elapsed(started),
        })
      return consoleSignInResultSchema.parse({
        status: 'failing',
        error: scrub(outcome.failure.toError(), sensitiveStrings(secretsOf(raw))),
        latencyMs: elapsed(started),
      })
    }
  const readReference = impl.readReference
  if (readReference)
    operations.readReference = async (raw, reference) => {
      const started = performance.now()
      const outcome = await run(raw, (input, context) => readReference(input, reference, context))
      // The value is meant for the use that asked: only the failure is scrubbed.
      if (outcome.ok)
        return referenceReadResultSchema.parse({
          status: 'read',
          value: outcome.value,
          latencyMs: elapsed(started),
        })
      return referenceReadResultSchema.parse({
        status: 'failing',
        error: scrub(outcome.failure.toError(), sensitiveStrings(secretsOf(raw))),
        latencyMs: elapsed(started),
      })
    }
  return operations
}

// The runner's registry of operations: answers ping itself and hands verify / issue-credentials /
// rotate-key / read-stack / console-sign-in / read-reference to the provider registered for the connection, racing the app's cancel and redacting
// errors.
import { errorCodes } from '../shared/errors'
import type {
  IssueResult,
  KeyRotationResult,
  KeyRotationStep,
  OperationInput,
  ReferenceReadResult,
  StackReadResult,
  ConsoleSignInResult,
  VerifyResult,
} from '../shared/operations'
import type {
  OperationError as OperationErrorShape,
  OperationResult,
  ParsedOperation,
} from '../shared/runner-protocol/protocol'
import type { SecretReference } from '../shared/secret-reference'
import type { RunnerLogger } from './log'

export interface OperationContext {
  /** Aborted when the app cancels the request or its time runs out. */
  signal: AbortSignal
  log: RunnerLogger
}

/**
 * One provider's operations, as src/runner/providers/<provider>.ts export them: they take the
 * operation input (src/shared/operations.ts) and answer a classified VerifyResult / IssueResult.
 */
export interface ProviderOperations {
  verify(input: OperationInput, context: OperationContext): Promise<VerifyResult>
  issueCredentials?(input: OperationInput, context: OperationContext): Promise<IssueResult>
  rotateKey?(
    input: OperationInput,
    step: KeyRotationStep,
    context: OperationContext,
  ): Promise<KeyRotationResult>
  readStack?(
    input: OperationInput,
    stackName: string,
    context: OperationContext,
  ): Promise<StackReadResult>
  consoleSignIn?(input: OperationInput, context: OperationContext): Promise<ConsoleSignInResult>
  readReference?(
    input: OperationInput,
    reference: SecretReference,
    context: OperationContext,
  ): Promise<ReferenceReadResult>
}

/** An error meant for the user: its code (one of Bridgekeep's) and message reach the app as they are. */
export class OperationError extends Error {
  override readonly name = 'OperationError'
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

const MESSAGE_MAX = 500

/**
 * Operations by provider id. `ping` is built in; `verify`, `issue-credentials` and `rotate-key`
 * go to the provider registered for the connection's provider, and an unknown provider is
 * answered with UNSUPPORTED_OPERATION — honestly, rather than with a pretend success.
 */
export class OperationsRegistry {
  private readonly providers = new Map<string, ProviderOperations>()

  register(id: string, operations: ProviderOperations): void {
    this.providers.set(id, operations)
  }

  registered(): string[] {
    return [...this.providers.keys()].sort()
  }

  /** Runs one operation; never throws: failures come back as an error shape. */
  async run(
    op: ParsedOperation,
    context: OperationContext,
  ): Promise<{ ok: true; result: OperationResult } | { ok: false; error: OperationErrorShape }> {
    if (op.type === 'ping') {
      return {
        ok: true,
        result: { pong: true, ...(op.payload === undefined ? {} : { payload: op.payload }) },
      }
    }
    const provider = this.providers.get(op.input.provider)
    const rotateKey = provider?.rotateKey?.bind(provider)
    const readStack = provider?.readStack?.bind(provider)
    const readReference = provider?.readReference?.bind(provider)
    const run =
      op.type === 'verify'
        ? provider?.verify.bind(provider)
        : op.type === 'issue-credentials'
          ? provider?.issueCredentials?.bind(provider)
          : op.type === 'console-sign-in'
            ? provider?.consoleSignIn?.bind(provider)
            : op.type === 'rotate-key'
              ? rotateKey &&
                ((input: OperationInput, c: OperationContext) => rotateKey(input, op.step, c))
              : op.type === 'read-reference'
                ? readReference &&
                  ((input: OperationInput, c: OperationContext) =>
                    readReference(input, op.reference, c))
                : readStack &&
                  ((input: OperationInput, c: OperationContext) =>
                    readStack(input, op.stackName, c))
    if (!run) {
      return {
        ok: false,
        error: {
          code: 'UNSUPPORTED_OPERATION',
          message: provider
            ? `This runner cannot ${op.type} ${op.input.provider} connections.`
            : `This runner has no operations for ${op.input.provider} connections yet (it supports: ${this.registered().join(', ') || 'none'}).`,
        },
      }
    }
    const secrets = [
      ...Object.values(op.input.secrets),
      ...Object.values(op.input.linked?.secrets ?? {}),
    ]
    try {
      // Providers bound their own time (options.timeoutMs); a cancel from the app must not wait
      // for them, so the answer races the abort.
      const work: Promise<
        | VerifyResult
        | IssueResult
        | KeyRotationResult
        | StackReadResult
        | ConsoleSignInResult
        | ReferenceReadResult
      > = run(op.input, context)
      const result = await raceAbort(work, context.signal)
      if (context.signal.aborted) return { ok: false, error: abortedError(context.signal) }
      return { ok: true, result: result as OperationResult }
    } catch (error) {
      if (context.signal.aborted) return { ok: false, error: abortedError(context.signal) }
      return { ok: false, error: describe(error, secrets) }
    }
  }
}

/** The runner's registry; `registerAll` fills it at start-up. */
export const operations = new OperationsRegistry()

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

/** Every catalog provider's operations (src/runner/providers), registered at start-up. */
export function registerAll(
  registry: OperationsRegistry,
  all: Record<string, ProviderOperations>,
): void {
  for (const [id, ops] of Object.entries(all)) registry.register(id, ops)
}

function abortedError(signal: AbortSignal): OperationErrorShape {
  const timedOut = signal.reason === 'timeout'
  return timedOut
    ? { code: 'RUNNER_TIMEOUT', message: 'The operation ran out of time on the runner.' }
    : { code: 'RUNNER_CANCELLED', message: 'The operation was cancelled.' }
}

/**
 * An error as the app may see it. A message could quote what it was given, so every secret
 * of the request is cut out of it first.
 */
function describe(error: unknown, secrets: string[]): OperationErrorShape {
  const known = (code: unknown): code is string =>
    typeof code === 'string' && (errorCodes as readonly string[]).includes(code)
  let code = 'OPERATION_FAILED'
  let message = 'The operation failed.'
  if (error instanceof Error) {
    const candidate = (error as { code?: unknown }).code
    if ((error instanceof OperationError || error.name === 'BridgekeepError') && known(candidate)) {
      code = candidate
      message = error.message
    } else {
      message = `${error.name}: ${error.message}`
    }
  }
  return { code, message: redact(message, secrets).slice(0, MESSAGE_MAX) }
}

export function redact(text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  return out
}

import type { RunnerService } from './runner-service'
import { DEFAULT_OPERATION_TIMEOUT_MS } from './runner-session'
import { BridgekeepError, errorCodes, type ErrorCode } from '../../shared/errors'
import { operationSchema } from '../../shared/runner-protocol/protocol'
import { LOCAL_RUNNER_NAME } from '../../shared/runner-protocol/status'
import type { ProviderOperations } from '../../runner/operation-registry'

export type OperationRunner = Pick<RunnerService, 'request' | 'requestOn' | 'ensureReady'>

/** The provider operations to register, by provider id; loaded on demand (the SDKs are heavy). */
export type ProviderOperationsLoader = () => Promise<Record<string, ProviderOperations>>

/** Every catalog provider's operations, as the runner registers them. */
const everyProvider: ProviderOperationsLoader = async () =>
  (await import('../../runner/providers')).providerOperations

/**
 * The runner's operations performed in the CLI's own process: the same registry and provider
 * code (src/runner), the same validation of what goes in, the same redaction of what comes out.
 * The CLI works with the app closed, and a second control listener beside an open app's would
 * fight over its port; a verify from a terminal or a credential for exec needs neither.
 * `load` narrows the providers registered (and so the SDKs loaded) to those a command needs.
 */
export async function inProcessRunner(
  load: ProviderOperationsLoader = everyProvider,
): Promise<OperationRunner> {
  // exec shares its stderr with the user's command: keep the AWS SDK's notice about its own
  // future Node requirement (not this version's) out of it, unless the user asked for it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  // Loaded on demand: the SDKs are heavy and most commands never verify anything.
  const [{ OperationsRegistry, registerAll }, providerOperations, { createRunnerLogger }] =
    await Promise.all([
      import('../../runner/operation-registry'),
      load(),
      import('../../runner/log'),
    ])
  const registry = new OperationsRegistry()
  registerAll(registry, providerOperations)
  const log = createRunnerLogger(() => {})
  const runner: OperationRunner = {
    ensureReady: async () => {},
    /** This process is on the app's machine: it stands in for the local runner only. */
    async requestOn(runnerName, op, options = {}) {
      if (runnerName && runnerName !== LOCAL_RUNNER_NAME) {
        throw new BridgekeepError(
          'RUNNER_UNAVAILABLE',
          `This connection's operations go to runner ${runnerName}, and this command runs them in its own process, which is not that runner.`,
          'Verify it from the app (Verify, or Verify all) while the runner is connected.',
        )
      }
      return { result: await runner.request(op, options), runner: LOCAL_RUNNER_NAME }
    },
    async request(op, options = {}) {
      const parsed = operationSchema.parse(op)
      const controller = new AbortController()
      const timer = setTimeout(
        () => controller.abort('timeout'),
        options.timeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
      )
      const cancel = () => controller.abort('cancelled')
      options.signal?.addEventListener('abort', cancel, { once: true })
      try {
        const outcome = await registry.run(parsed, { signal: controller.signal, log })
        if (outcome.ok) return outcome.result
        const code: ErrorCode = (errorCodes as readonly string[]).includes(outcome.error.code)
          ? (outcome.error.code as ErrorCode)
          : 'OPERATION_FAILED'
        throw new BridgekeepError(code, outcome.error.message)
      } finally {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', cancel)
      }
    },
  }
  return runner
}

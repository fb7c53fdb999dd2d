import type { VaultCore } from '../main/services/vault-core'
import type { AgentValue } from '../shared/agent-answers'
import type { VaultOp, VaultRequest } from '../shared/agent-protocol'
import type { MfaCodeSource } from '../main/services/issued-sessions/mfa-code'
import { agentDisabled, askAgent } from './agent-client'
import { callerEnvironment } from './caller-env'
import type { CommandMode } from '../main/services/references/command-reference'
import { flag, type CommandContext, type OptionValues } from './framework/command'
import { interactive } from './framework/io'
import {
  canAskOnTerminal,
  codeAfterRefusal,
  givenMfaCode,
  sendableMfaCode,
  terminalMfa,
} from './mfa-prompt'

/** The operations that may start an AWS session or assume a role behind MFA, and so need a code. */
const SESSION_OPS = new Set<VaultOp>(['exec', 'credential-process', 'verify'])
/** The operations that use connections: `env:` references in them read this command's environment. */
const USE_OPS = new Set<VaultOp>(['exec', 'credential-process', 'credential-helper', 'verify'])

/**
 * What a command needs from the vault: from the running agent when one answers, else from the
 * vault opened in this process (today's path; also with --recovery-key or BRIDGEKEEP_AGENT=off).
 * Both run the same operation (main/agent/vault-operations.ts); in-process, on the vault core alone
 * unless the operation needs all the services (verify). `release` locks and closes an
 * in-process vault as soon as the answer is in (exec: the command it starts may run for hours).
 * `progress` shows a spinner while the work runs (never while a passphrase is asked for).
 *
 * exec, credential-process and verify send a code given with --mfa-code or BRIDGEKEEP_MFA_CODE
 * (verify uses only that: see vault-operations). For the others, without
 * one, the app's agent asks in its window; a headless agent refuses with MFA_CODE_REQUIRED, and
 * the request is sent once more with the code typed here; in-process, the terminal is asked.
 */
export async function fromVault<K extends VaultOp>(
  context: CommandContext,
  values: OptionValues,
  request: Extract<VaultRequest, { op: K }>,
  options: { release?: boolean; progress?: string } = {},
): Promise<AgentValue<K>> {
  const { progress } = options
  const shown = <T>(work: () => Promise<T>) =>
    progress === undefined ? work() : context.progress(progress, work, { delayMs: 0 })
  const sessions = SESSION_OPS.has(request.op)
  const given = sessions ? givenMfaCode(context.io, values) : undefined
  // Only exec, credential-process and verify carry a code, and only they get here with one.
  const withCode = (mfaCode: string) => ({ ...request, mfaCode }) as typeof request
  const sent = sendableMfaCode(given)
  if (sent !== undefined) request = withCode(sent)
  // Sent to the agent too, which would otherwise read its own environment, not the caller's.
  if (USE_OPS.has(request.op))
    request = { ...request, callerEnv: callerEnvironment(context.io.env) } as typeof request
  if (!flag(values, 'recovery-key') && !agentDisabled(context.io.env)) {
    // exec on a terminal, with no code given: an agent that cannot ask gets it from here, and
    // only that second try is one use in the audit trail.
    const first =
      request.op === 'exec' && given === undefined && canAskOnTerminal(context.io, request.op)
        ? { ...request, asksMfaItself: true as const }
        : request
    let answer: AgentValue<K> | undefined
    try {
      answer = await shown(() => askAgent(context.io.env, first))
    } catch (error) {
      if (!sessions || sent !== undefined) throw error
      const typed = await codeAfterRefusal(error, context.io, request.op, given)
      answer = await shown(() => askAgent(context.io.env, withCode(typed)))
    }
    if (answer !== undefined) return answer
  }
  // Loaded only here: a call the agent answers never loads resolution, issuers or providers.
  const { vaultOperations, needsAllServices } = await import('../main/agent/vault-operations')
  const services = needsAllServices(request.op) ? await context.services() : await context.vault()
  // The services match the operation: needsAllServices chose them.
  const operation = vaultOperations[request.op] as unknown as (
    services: VaultCore,
    request: Extract<VaultRequest, { op: K }>,
    caller: undefined,
    askMfa: MfaCodeSource,
    commandMode: CommandMode,
  ) => Promise<AgentValue<K>>
  try {
    return await shown(() =>
      operation(
        services,
        request,
        undefined,
        terminalMfa(context.io, request.op, given),
        // A person at the terminal can answer a password manager's prompt (see command-stop.ts).
        interactive(context.io) ? 'terminal' : 'detached',
      ),
    )
  } finally {
    if (options.release) services.vault.close()
  }
}

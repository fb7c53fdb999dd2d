import { homedir } from 'node:os'
import type { VaultCore } from '../main/services/vault-core'
import type { AgentValue } from '../shared/agent-answers'
import type { AgentCommandResult, VaultOp, VaultRequest } from '../shared/agent-protocol'
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
 * The uses whose `command:` references run on this command's terminal when a person is at it,
 * through the agent as in-process; verify's stay detached (several checks at once, a spinner).
 */
const TERMINAL_OPS = new Set<VaultOp>(['exec', 'credential-process', 'credential-helper'])

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
  const callerEnv = callerEnvironment(context.io.env)
  if (USE_OPS.has(request.op)) request = { ...request, callerEnv } as typeof request
  // A person at the terminal can answer a password manager's prompt (see command-stop.ts).
  const onTerminal = interactive(context.io) && TERMINAL_OPS.has(request.op)
  if (!flag(values, 'recovery-key') && !agentDisabled(context.io.env)) {
    // The agent asks for this use's `command:` references to be run here, on the terminal.
    if (onTerminal) request = { ...request, commandsOnTerminal: true } as typeof request
    const runHere = onTerminal ? (argv: string[]) => runOnTerminal(argv, callerEnv) : undefined
    // exec on a terminal, with no code given: an agent that cannot ask gets it from here, and
    // only that second try is one use in the audit trail.
    const first =
      request.op === 'exec' && given === undefined && canAskOnTerminal(context.io, request.op)
        ? { ...request, asksMfaItself: true as const }
        : request
    let answer: AgentValue<K> | undefined
    try {
      answer = await shown(() => askAgent(context.io.env, first, runHere))
    } catch (error) {
      if (!sessions || sent !== undefined) throw error
      const typed = await codeAfterRefusal(error, context.io, request.op, given)
      answer = await shown(() => askAgent(context.io.env, withCode(typed), runHere))
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
        interactive(context.io) ? 'terminal' : 'detached',
      ),
    )
  } finally {
    if (options.release) services.vault.close()
  }
}

/**
 * A `command:` reference the agent asked this command to run: on this terminal, exactly as the
 * in-process path runs it (command-reference.ts: this process's group, the terminal as stdin and
 * stderr, 5 minutes, Ctrl-C ends it and what it started), with the environment sent to the agent.
 * What it printed goes back to the agent only; why it failed names no value.
 */
async function runOnTerminal(
  argv: string[],
  env: Record<string, string>,
): Promise<AgentCommandResult['result']> {
  const [{ runCommand }, { ReferenceFailure }] = await Promise.all([
    import('../main/services/references/command-reference'),
    import('../main/services/references/reference-failure'),
  ])
  try {
    return { ok: true, value: await runCommand(argv, { env, cwd: homedir(), mode: 'terminal' }) }
  } catch (error) {
    if (!(error instanceof ReferenceFailure)) throw error
    return {
      ok: false,
      reason: shortened(error.message, 300),
      ...(error.said ? { said: shortened(error.said, 200) } : {}),
    }
  }
}

/** The agent takes reasons of bounded length (a program's path may be long). */
function shortened(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

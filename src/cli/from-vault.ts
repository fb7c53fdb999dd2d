import type { VaultCore } from '../main/services/vault-core'
import type { AgentValue } from '../shared/agent-answers'
import type { VaultOp, VaultRequest } from '../shared/agent-protocol'
import { agentDisabled, askAgent } from './agent-client'
import { flag, type CommandContext, type OptionValues } from './framework/command'

/**
 * What a command needs from the vault: from the running agent when one answers, else from the
 * vault opened in this process (today's path; also with --recovery-key or BRIDGEKEEP_AGENT=off).
 * Both run the same operation (main/agent/vault-operations.ts); in-process, on the vault core alone
 * unless the operation needs all the services (verify). `release` locks and closes an
 * in-process vault as soon as the answer is in (exec: the command it starts may run for hours).
 * `progress` shows a spinner while the work runs (never while a passphrase is asked for).
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
  if (!flag(values, 'recovery-key') && !agentDisabled(context.io.env)) {
    const answer = await shown(() => askAgent(context.io.env, request))
    if (answer !== undefined) return answer
  }
  // Loaded only here: a call the agent answers never loads resolution, issuers or providers.
  const { vaultOperations, needsAllServices } = await import('../main/agent/vault-operations')
  const services = needsAllServices(request.op) ? await context.services() : await context.vault()
  // The services match the operation: needsAllServices chose them.
  const operation = vaultOperations[request.op] as unknown as (
    services: VaultCore,
    request: Extract<VaultRequest, { op: K }>,
  ) => Promise<AgentValue<K>>
  try {
    return await shown(() => operation(services, request))
  } finally {
    if (options.release) services.vault.close()
  }
}

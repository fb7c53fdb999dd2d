import type { Services } from '../services'
import type { AgentValue } from '../../shared/agent-protocol'
import { BridgekeepError } from '../../shared/errors'
import type { AgentHandler } from './agent-server'
import { vaultOperations } from './vault-operations'

export interface AgentHandlerOptions {
  socketPath: string
  /**
   * What a client is told to do about a locked vault: the headless agent cannot ask for a
   * passphrase (restart it), the app can be unlocked in its window.
   */
  lockedHint: string
}

/**
 * What an agent answers, whoever hosts it (`bridgekeep agent` or the app): its status, a lock,
 * or a vault operation while the vault is unlocked, the same operations the CLI runs in-process.
 */
export function agentHandler(services: Services, options: AgentHandlerOptions): AgentHandler {
  const status = (): AgentValue<'status'> => ({
    pid: process.pid,
    dataDir: services.appInfo.dataDir,
    socket: options.socketPath,
    vault: services.vault.status().state === 'unlocked' ? 'unlocked' : 'locked',
    version: services.appInfo.version,
  })
  return async (request, caller) => {
    if (request.op === 'status') return status()
    if (request.op === 'lock') {
      if (services.vault.status().state === 'unlocked') services.vaultLifecycle.lock()
      return status()
    }
    // The app runs (and serves) before its first vault exists: say so, as the CLI would.
    if (services.vault.status().state === 'missing')
      throw new BridgekeepError(
        'VAULT_MISSING',
        `There is no vault in ${services.appInfo.dataDir} yet.`,
        'Create one in the Bridgekeep app, then run the command again.',
      )
    if (status().vault !== 'unlocked')
      throw new BridgekeepError('VAULT_LOCKED', 'Bridgekeep is locked.', options.lockedHint)
    const operation = vaultOperations[request.op] as (
      services: Services,
      request: unknown,
      caller: unknown,
    ) => Promise<unknown>
    return operation(services, request, caller)
  }
}

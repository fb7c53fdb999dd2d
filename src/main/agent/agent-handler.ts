import { statSync } from 'node:fs'
import type { Services } from '../services'
import type { AgentValue } from '../../shared/agent-answers'
import { BridgekeepError } from '../../shared/errors'
import type { AgentHandler } from './agent-server'
import { callerTerminal } from './caller-terminal'
import { vaultOperations } from './vault-operations'
import type { MfaCodeSource } from '../services/issued-sessions/mfa-code'
import type { CallerTerminal } from '../services/references/command-reference'

export interface AgentHandlerOptions {
  socketPath: string
  /**
   * What a client is told to do about a locked vault: the headless agent cannot ask for a
   * passphrase (restart it), the app can be unlocked in its window.
   */
  lockedHint: string
  /** The app asks for an MFA code in its window; a headless agent has nobody to ask. */
  askMfa?: MfaCodeSource
}

/**
 * What an agent answers, whoever hosts it (`bridgekeep agent` or the app): its status, a lock,
 * or a vault operation while the vault is unlocked, the same operations the CLI runs in-process.
 */
export function agentHandler(services: Services, options: AgentHandlerOptions): AgentHandler {
  // The vault file's identity: one deleted, or another put in its place, is not the vault served
  // (an open SQLite handle would go on reading the deleted file). The app may start before its
  // first vault exists: then the identity is taken when the vault appears.
  let served = inodeOf(services.vault.path)
  const replaced = (): boolean => {
    const now = inodeOf(services.vault.path)
    served ??= now
    return now !== served
  }
  const vault = (): AgentValue<'status'>['vault'] => {
    if (replaced()) return 'missing'
    return services.vault.status().state === 'unlocked' ? 'unlocked' : 'locked'
  }
  const status = (): AgentValue<'status'> => ({
    pid: process.pid,
    dataDir: services.appInfo.dataDir,
    socket: options.socketPath,
    vault: vault(),
    version: services.appInfo.version,
  })
  return async (request, caller, conversation) => {
    if (request.op === 'status') return status()
    if (request.op === 'lock') {
      if (services.vault.status().state === 'unlocked') services.vaultLifecycle.lock()
      return status()
    }
    requireServedVault()
    if (request.op === 'unlock') {
      // Audited by the lifecycle as an unlock asked for from the CLI, a failed one too.
      if (vault() !== 'unlocked')
        await services.vaultLifecycle.unlock(
          request.passphrase === undefined
            ? { method: 'keychain' }
            : { method: 'passphrase', passphrase: request.passphrase },
          { from: 'cli' },
        )
      return status()
    }
    if (vault() !== 'unlocked')
      throw new BridgekeepError('VAULT_LOCKED', 'Bridgekeep is locked.', options.lockedHint)
    const operation = vaultOperations[request.op] as (
      services: Services,
      request: unknown,
      caller: unknown,
      askMfa: MfaCodeSource | undefined,
      commandMode: CallerTerminal | undefined,
    ) => Promise<unknown>
    // A caller with a person at its terminal runs the use's `command:` references there.
    const onTerminal = 'commandsOnTerminal' in request && request.commandsOnTerminal === true
    return operation(
      services,
      request,
      caller,
      options.askMfa,
      onTerminal ? callerTerminal(conversation) : undefined,
    )
  }

  /** The vault served is still there (not deleted or replaced) and exists at all. */
  function requireServedVault(): void {
    if (replaced())
      throw new BridgekeepError(
        'VAULT_MISSING',
        `The vault this agent serves (${services.vault.path}) was deleted or replaced while the agent ran.`,
        'Stop the agent (SIGTERM, or systemctl --user stop bridgekeep-agent, or quit the app) and start it again for the vault you mean, or set BRIDGEKEEP_AGENT=off.',
      )
    // The app runs (and serves) before its first vault exists: say so, as the CLI would.
    if (services.vault.status().state === 'missing')
      throw new BridgekeepError(
        'VAULT_MISSING',
        `There is no vault in ${services.appInfo.dataDir} yet.`,
        'Create one with bridgekeep init or in the Bridgekeep app, then run the command again.',
      )
  }
}

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino
  } catch {
    return undefined
  }
}

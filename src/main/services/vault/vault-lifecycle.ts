import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { AuditService } from '../audit/audit-service'
import type { EventBus } from '../events/event-bus'
import type { UnlockRequest, Vault, VaultStatus } from './vault'

export type RewrapRequest = { with: 'keychain' } | { with: 'passphrase'; passphrase: string }

export interface VaultLifecycleOptions {
  vault: Vault
  audit: Pick<AuditService, 'record' | 'recordFailure'>
  events: Pick<EventBus, 'emit'>
  /** Expired trash is purged at an unlock in the app; secrets are re-encrypted with the data key. */
  connections: {
    purgeExpired(): number
    reencryptAll(oldKey: Buffer, newKey: Buffer): void
  }
  /** A secret copied to the clipboard is cleared when the vault locks. */
  clipboard: { clearNow(): void }
  /**
   * Whatever else is wrapped by the data key besides connections (the runner CA's key, the
   * sharing identity), re-encrypted in the same transaction as the secrets.
   */
  rekeyOthers: (oldKey: Buffer, newKey: Buffer) => void
}

/**
 * Every change of the vault's state, for every caller (the app's IPC handlers, the Electron
 * shell at start-up, the CLI): create, unlock (keychain, passphrase, recovery key, the silent
 * keychain unlock at start), lock, rewrap and re-encrypt. Each is audited here, a failure too
 * (the method and the error code, never a secret), and pushes `vault:changed` where the state it
 * shows changes. `Vault` below it holds the keys and the slots and knows nothing of either.
 */
export class VaultLifecycle {
  constructor(private readonly options: VaultLifecycleOptions) {}

  status(): VaultStatus {
    return this.options.vault.status()
  }

  async create(
    request: { mode: 'keychain' } | { mode: 'passphrase'; passphrase: string },
  ): Promise<{ recoveryKey: string }> {
    const result = await this.options.vault.create(request)
    this.options.audit.record({ action: 'vault.create', detail: `Created (${request.mode})` })
    this.changed()
    return result
  }

  /**
   * An unlock someone asked for: on the app's unlock screen (`from: 'app'`, the default), which
   * also purges expired trash, or by a CLI command (`from: 'cli'`). Recorded either way, with the
   * method, and whether a lost keychain item was re-sealed.
   */
  async unlock(
    request: UnlockRequest,
    options: { from?: 'app' | 'cli' } = {},
  ): Promise<{ resealedKeychain: boolean }> {
    const from = options.from ?? 'app'
    const detail = `With ${request.method}${from === 'cli' ? ', from the CLI' : ''}`
    const result = await this.attempt('vault.unlock', detail, () =>
      this.options.vault.unlock(request),
    )
    this.options.audit.record({
      action: 'vault.unlock',
      detail: result.resealedKeychain ? `${detail}; keychain item re-sealed` : detail,
    })
    if (from === 'app') this.options.connections.purgeExpired()
    this.changed()
    return result
  }

  /**
   * The CLI's keychain unlock, made by every command of a keychain vault: not recorded when it
   * works (each CLI call would add an entry; the commands that use a secret record that use). A
   * failure is recorded, unless the keychain itself failed (KEYCHAIN_*) and `fallback` says the
   * CLI goes on to ask for the recovery key, whose attempt is recorded instead.
   */
  async unlockWithKeychainFromCli(options: { fallback: boolean }): Promise<void> {
    try {
      await this.options.vault.unlock({ method: 'keychain' })
    } catch (error) {
      const fallsBack =
        options.fallback && isBridgekeepError(error) && error.code.startsWith('KEYCHAIN_')
      if (!fallsBack) {
        this.options.audit.recordFailure(
          { action: 'vault.unlock', detail: 'With keychain, from the CLI' },
          error,
        )
      }
      throw error
    }
    this.changed()
  }

  /**
   * The app's start-up: opens a keychain vault without asking (`Vault.unlockSilently`), and
   * records the unlock, or the failed attempt with its reason (kept for the unlock screen rather
   * than thrown, so the app still starts). A passphrase vault stays locked, unrecorded.
   */
  async unlockAtAppStart(): Promise<VaultStatus> {
    const detail = 'With keychain, at start'
    const { vault, audit } = this.options
    const wasLocked = vault.exists() && vault.status().state === 'locked'
    const status = await vault.unlockSilently()
    if (wasLocked && status.state === 'unlocked') {
      audit.record({ action: 'vault.unlock', detail })
    } else if (status.state === 'locked' && status.lastError) {
      const { code, message } = status.lastError
      audit.recordFailure({ action: 'vault.unlock', detail }, new BridgekeepError(code, message))
    }
    if (wasLocked) this.options.events.emit('vault:changed', status)
    return status
  }

  /**
   * Clears a secret left in the clipboard, records the lock (if it was unlocked), locks. `detail`
   * says why when it was not the user's own choice ("Locked: the computer went to sleep").
   */
  lock(detail = 'Locked'): VaultStatus {
    const { vault, audit, clipboard } = this.options
    clipboard.clearNow()
    if (vault.status().state === 'unlocked') audit.record({ action: 'vault.lock', detail })
    vault.lock()
    return this.changed()
  }

  /** Switches to (or renews) the keychain, or to (or changes) a passphrase. */
  async rewrap(request: RewrapRequest): Promise<VaultStatus> {
    const { vault } = this.options
    const detail = `With ${request.with}`
    await this.attempt('vault.rewrap', detail, () =>
      request.with === 'keychain'
        ? vault.rewrapWithKeychain()
        : vault.rewrapWithPassphrase(request.passphrase),
    )
    this.options.audit.record({ action: 'vault.rewrap', detail })
    return this.changed()
  }

  /**
   * A new data key, every secret re-encrypted with it and a new recovery key (returned, to be
   * shown once). A passphrase vault needs its passphrase.
   */
  reencrypt(request: { passphrase?: string }): Promise<{ recoveryKey: string }> {
    const { vault, connections, audit } = this.options
    return this.attempt('vault.reencrypt', 'New data key', () =>
      vault.replaceDataKey((oldKey, newKey) => {
        connections.reencryptAll(oldKey, newKey)
        this.options.rekeyOthers(oldKey, newKey)
        // In the re-encryption's own transaction: recorded if and only if it happened.
        audit.record({
          action: 'vault.reencrypt',
          detail: 'New data key; every secret re-encrypted',
        })
      }, request.passphrase),
    )
  }

  /** Runs a vault action; a failure is recorded (no secret: the detail and the error code). */
  private async attempt<T>(
    action: 'vault.unlock' | 'vault.rewrap' | 'vault.reencrypt',
    detail: string,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run()
    } catch (error) {
      this.options.audit.recordFailure({ action, detail }, error)
      throw error
    }
  }

  /** Tells every window the vault's state, and returns it. */
  private changed(): VaultStatus {
    const status = this.options.vault.status()
    this.options.events.emit('vault:changed', status)
    return status
  }
}

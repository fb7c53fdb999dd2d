import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { ensurePrivateFolder } from '../../fs/private-folder'
import { join } from 'node:path'
import { BridgekeepError, isBridgekeepError, type ErrorShape } from '../../../shared/errors'
import { openDatabase, writeTransaction, type Database } from '../../db/database'
import type { Logger } from '../../log'
import { deriveAuditKey } from '../../security/audit-key'
import { generateKey } from '../../security/envelope'
import type { KeyStore } from '../../security/keystore'
import { KeySlotStore, type KeySlot } from './key-slots'
import { assertStrong, UnlockMethods } from './unlock-methods'

export type VaultMode = 'keychain' | 'passphrase'

export type UnlockRequest =
  | { method: 'keychain' }
  | { method: 'passphrase'; passphrase: string }
  | { method: 'recovery'; recoveryKey: string }

export interface VaultStatus {
  state: 'missing' | 'locked' | 'unlocked'
  vaultId?: string
  /** When the vault was created (ISO 8601): printed on its recovery kit. */
  createdAt?: string
  /** How the vault opens day to day; the recovery key always works as well. */
  mode?: VaultMode
  /** Why the vault could not open by itself (keychain unreachable, item gone...). */
  lastError?: ErrorShape
}

export interface VaultOptions {
  dataDir: string
  keyStore: KeyStore
  log: Logger
  nativeBinding?: string
}

/**
 * The vault's lifecycle: create, unlock (keychain, passphrase or recovery key), lock, rewrap and
 * re-encrypt. While unlocked it holds the data key in memory; nothing else ever sees it. How each
 * unlock method wraps and unwraps the key is `UnlockMethods`'s.
 */
export class Vault {
  readonly path: string
  private db: Database | undefined
  private dataKey: Buffer | undefined
  /** The audit trail's MAC key, derived from the data key on first use; zeroed with it. */
  private derivedAuditKey: Buffer | undefined
  private readonly unlockListeners: (() => void)[] = []
  private readonly rekeyListeners: ((oldKey: Buffer, newKey: Buffer) => void)[] = []
  private lastError: ErrorShape | undefined
  /** Fixed at creation; cached because every field binding names it. */
  private cachedVaultId: string | undefined
  private readonly methods: UnlockMethods

  constructor(private readonly options: VaultOptions) {
    this.path = join(options.dataDir, 'vault.db')
    this.methods = new UnlockMethods({
      keyStore: options.keyStore,
      log: options.log,
      slots: () => this.slots(),
    })
  }

  /** The open database; opens it on first use. Throws DATABASE_* errors for a bad file. */
  database(): Database {
    if (!this.db) {
      ensurePrivateFolder(this.options.dataDir)
      this.db = openDatabase(this.path, { nativeBinding: this.options.nativeBinding })
    }
    return this.db
  }

  private slots(): KeySlotStore {
    return new KeySlotStore(this.database())
  }

  exists(): boolean {
    return existsSync(this.path) && this.slots().vaultId() !== undefined
  }

  status(): VaultStatus {
    if (!this.exists()) return { state: 'missing' }
    const slots = this.slots()
    const vaultId = slots.vaultId()
    const createdAt = slots.createdAt()
    const mode: VaultMode = slots.get('keychain') ? 'keychain' : 'passphrase'
    return {
      state: this.dataKey ? 'unlocked' : 'locked',
      ...(vaultId ? { vaultId } : {}),
      ...(createdAt ? { createdAt } : {}),
      mode,
      ...(this.lastError && !this.dataKey ? { lastError: this.lastError } : {}),
    }
  }

  /** Whether the data key is in memory: status() without reading the database. */
  isUnlocked(): boolean {
    return this.dataKey !== undefined
  }

  /** The vault's id; throws VAULT_MISSING before creation. */
  vaultId(): string {
    if (this.cachedVaultId) return this.cachedVaultId
    const id = this.exists() ? this.slots().vaultId() : undefined
    if (!id)
      throw new BridgekeepError('VAULT_MISSING', 'There is no vault yet.', 'Create one first.')
    // A vault's id never changes; every secret read binds it, so it is read from disk once.
    this.cachedVaultId = id
    return id
  }

  /** The data key, or VAULT_LOCKED. Callers use it and drop it; they never store it. */
  requireKey(): Buffer {
    if (!this.dataKey) {
      throw new BridgekeepError('VAULT_LOCKED', 'The vault is locked.', 'Unlock it to continue.')
    }
    return this.dataKey
  }

  /**
   * The audit trail's MAC key (`deriveAuditKey`), or undefined while locked. Like the data key it
   * lives only in memory while unlocked; callers use it and drop it.
   */
  auditKey(): Buffer | undefined {
    if (!this.dataKey) return undefined
    this.derivedAuditKey ??= deriveAuditKey(this.dataKey, this.vaultId())
    return this.derivedAuditKey
  }

  /**
   * Runs `listener` each time the vault becomes unlocked (created, or unlocked with any slot):
   * the audit trail seals what was recorded while it was locked. A listener must not throw.
   */
  onUnlocked(listener: () => void): void {
    this.unlockListeners.push(listener)
  }

  /**
   * Runs `listener` inside `replaceDataKey`'s transaction, after the caller's re-encryption:
   * whatever else is keyed from the data key (the audit trail's MACs) moves to the new key with
   * it, or the replacement rolls back. Unlike `reencrypt`, no caller can leave it out.
   */
  onDataKeyReplaced(listener: (oldKey: Buffer, newKey: Buffer) => void): void {
    this.rekeyListeners.push(listener)
  }

  /**
   * Creates the vault and leaves it unlocked. Returns the recovery key, to be shown once. In
   * keychain mode the keychain item is written before the database, so a keychain failure
   * leaves nothing half-made.
   */
  async create(
    request: { mode: 'keychain' } | { mode: 'passphrase'; passphrase: string },
  ): Promise<{
    recoveryKey: string
  }> {
    if (this.exists()) {
      throw new BridgekeepError(
        'VAULT_EXISTS',
        `A vault already exists at ${this.path}.`,
        'Unlock it instead.',
      )
    }
    if (request.mode === 'passphrase') await assertStrong(request.passphrase)
    const vaultId = randomUUID()
    const dataKey = generateKey()
    const recovery = this.methods.recoverySlot(vaultId, dataKey)
    const slots: KeySlot[] = [
      recovery.slot,
      request.mode === 'keychain'
        ? await this.methods.keychainSlot(vaultId, dataKey)
        : await this.methods.passphraseSlot(vaultId, dataKey, request.passphrase),
    ]
    const db = this.database()
    const store = this.slots()
    writeTransaction(db, () => {
      store.setMeta('vault_id', vaultId)
      store.setMeta('created_at', new Date().toISOString())
      for (const slot of slots) store.put(slot)
    })
    this.setDataKey(dataKey)
    this.lastError = undefined
    this.options.log.info('vault.created', { mode: request.mode })
    this.notifyUnlocked()
    return { recoveryKey: recovery.display }
  }

  /**
   * Opens the vault without asking anything, when its mode allows (keychain). Failures are kept
   * for the unlock screen rather than thrown: the app still starts.
   */
  async unlockSilently(): Promise<VaultStatus> {
    if (this.dataKey) return this.status()
    try {
      if (this.exists() && this.slots().get('keychain')) await this.unlock({ method: 'keychain' })
    } catch (error) {
      this.lastError = isBridgekeepError(error)
        ? error.toShape()
        : { code: 'INTERNAL', message: 'The vault could not be opened.' }
      this.options.log.warn('vault.silent-unlock-failed', { code: this.lastError.code })
    }
    return this.status()
  }

  /** Unlocks with one of the vault's key slots. A recovery-key unlock re-seals a lost keychain item. */
  async unlock(request: UnlockRequest): Promise<{ resealedKeychain: boolean }> {
    const vaultId = this.vaultId()
    let resealedKeychain = false
    // Derived again, on first use, from the data key this unlock yields.
    this.forgetAuditKey()
    switch (request.method) {
      case 'keychain':
        this.dataKey = await this.methods.unwrapWithKeychain(vaultId)
        break
      case 'passphrase':
        this.dataKey = await this.methods.unwrapWithPassphrase(vaultId, request.passphrase)
        break
      case 'recovery': {
        this.dataKey = this.methods.unwrapWithRecoveryKey(vaultId, request.recoveryKey)
        resealedKeychain = await this.resealKeychainIfLost(vaultId)
        break
      }
    }
    this.lastError = undefined
    this.options.log.info('vault.unlocked', { method: request.method, resealedKeychain })
    this.notifyUnlocked()
    return { resealedKeychain }
  }

  lock(): void {
    this.dataKey?.fill(0)
    this.setDataKey(undefined)
    this.options.log.info('vault.locked')
  }

  /** Replaces the data key in memory; the audit key derived from the old one is zeroed. */
  private setDataKey(key: Buffer | undefined): void {
    this.forgetAuditKey()
    this.dataKey = key
  }

  private forgetAuditKey(): void {
    this.derivedAuditKey?.fill(0)
    this.derivedAuditKey = undefined
  }

  private notifyUnlocked(): void {
    for (const listener of this.unlockListeners) listener()
  }

  /** Replaces the keychain key (or starts using the keychain): new item first, then the slot. */
  async rewrapWithKeychain(): Promise<void> {
    const vaultId = this.vaultId()
    const dataKey = this.requireKey()
    const previous = this.slots().get('keychain')
    const slot = await this.methods.keychainSlot(vaultId, dataKey)
    writeTransaction(this.database(), () => {
      this.slots().put(slot)
      this.slots().remove('passphrase')
    })
    if (previous?.account && previous.account !== slot.account)
      await this.methods.forgetKeychainItem(previous.account)
    this.options.log.info('vault.rewrapped', { with: 'keychain' })
  }

  /** Switches to (or changes) a passphrase; the keychain item is removed once the slot is saved. */
  async rewrapWithPassphrase(passphrase: string): Promise<void> {
    await assertStrong(passphrase)
    const vaultId = this.vaultId()
    const dataKey = this.requireKey()
    const previous = this.slots().get('keychain')
    const slot = await this.methods.passphraseSlot(vaultId, dataKey, passphrase)
    writeTransaction(this.database(), () => {
      this.slots().put(slot)
      this.slots().remove('keychain')
    })
    if (previous?.account) await this.methods.forgetKeychainItem(previous.account)
    this.options.log.info('vault.rewrapped', { with: 'passphrase' })
  }

  /**
   * Replaces the data key itself and re-encrypts every secret field with it, in one transaction,
   * via `reencrypt(oldKey, newKey)` supplied by the secrets owner. The recovery key changes too
   * (the old one wrapped the old data key): the new one is returned, to be shown once.
   */
  async replaceDataKey(
    reencrypt: (oldKey: Buffer, newKey: Buffer) => void,
    passphrase?: string,
  ): Promise<{ recoveryKey: string }> {
    const vaultId = this.vaultId()
    const oldKey = this.requireKey()
    const newKey = generateKey()
    const slots = this.slots()
    const keychain = slots.get('keychain')
    const passphraseSlot = slots.get('passphrase')
    const recovery = this.methods.recoverySlot(vaultId, newKey)
    const next: KeySlot[] = [recovery.slot]
    let newAccount: string | undefined
    if (keychain) {
      const slot = await this.methods.keychainSlot(vaultId, newKey)
      newAccount = slot.account
      next.push(slot)
    }
    if (passphraseSlot) {
      if (passphrase === undefined) {
        throw new BridgekeepError(
          'WRONG_PASSPHRASE',
          'Re-encrypting needs the vault passphrase.',
          'Enter it and try again.',
        )
      }
      await this.methods.checkPassphraseSlot(vaultId, passphrase, passphraseSlot)
      next.push(await this.methods.passphraseSlot(vaultId, newKey, passphrase))
    }
    writeTransaction(this.database(), () => {
      reencrypt(oldKey, newKey)
      for (const listener of this.rekeyListeners) listener(oldKey, newKey)
      for (const slot of next) slots.put(slot)
    })
    if (keychain?.account && keychain.account !== newAccount)
      await this.methods.forgetKeychainItem(keychain.account)
    oldKey.fill(0)
    this.setDataKey(newKey)
    this.options.log.info('vault.reencrypted')
    return { recoveryKey: recovery.display }
  }

  close(): void {
    this.lock()
    this.db?.close()
    this.db = undefined
    this.cachedVaultId = undefined
  }

  /** After a recovery-key unlock: if the keychain item is gone or wrong, store a fresh one. */
  private async resealKeychainIfLost(vaultId: string): Promise<boolean> {
    const slot = this.slots().get('keychain')
    if (!slot) return false
    try {
      await this.methods.unwrapWithKeychain(vaultId)
      return false
    } catch (error) {
      if (!isBridgekeepError(error) || error.code !== 'KEYCHAIN_ITEM_MISSING') {
        // Keychain unreachable or locked: stay unlocked; the next unlock will try again.
        this.options.log.warn('vault.reseal-skipped', {
          code: isBridgekeepError(error) ? error.code : 'INTERNAL',
        })
        return false
      }
    }
    await this.rewrapWithKeychain()
    return true
  }
}

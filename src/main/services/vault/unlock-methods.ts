import { randomUUID } from 'node:crypto'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import { generateKey, unwrapKey, wrapKey, WrongKeyError } from '../../security/envelope'
import type { KeyStore } from '../../security/keystore'
import {
  checkPassphrase,
  derivePassphraseKey,
  newKdfParams,
  type KdfParams,
} from '../../security/passphrase'
import { generateRecoveryKey, parseRecoveryKey } from '../../security/recovery-key'
import type { KeySlot, KeySlotStore, SlotKind } from './key-slots'

export interface UnlockMethodsOptions {
  keyStore: KeyStore
  log: Logger
  slots: () => KeySlotStore
}

/**
 * How each way of opening the vault (keychain, passphrase, recovery key) wraps the data key into
 * its key slot and unwraps it again, with the message each failure deserves. The slots' storage
 * is `KeySlotStore`'s; when slots change is `Vault`'s.
 */
export class UnlockMethods {
  constructor(private readonly options: UnlockMethodsOptions) {}

  /** A new recovery key and its slot; `display` is shown to the user once. */
  recoverySlot(vaultId: string, dataKey: Buffer): { slot: KeySlot; display: string } {
    const recovery = generateRecoveryKey()
    return {
      slot: {
        kind: 'recovery',
        wrappedKey: wrapKey(recovery.key, dataKey, slotPurpose('recovery', vaultId)),
      },
      display: recovery.display,
    }
  }

  /**
   * A fresh key stored in a new keychain item, and the slot it opens. The item is written before
   * the caller saves the slot, so a keychain failure leaves nothing half-made.
   */
  async keychainSlot(vaultId: string, dataKey: Buffer): Promise<KeySlot & { account: string }> {
    const account = keychainAccount(vaultId)
    const kek = generateKey()
    await this.options.keyStore.write(account, kek)
    return {
      kind: 'keychain',
      wrappedKey: wrapKey(kek, dataKey, slotPurpose('keychain', vaultId)),
      account,
    }
  }

  /** The slot a passphrase opens, with new KDF settings. The caller checks its strength. */
  async passphraseSlot(vaultId: string, dataKey: Buffer, passphrase: string): Promise<KeySlot> {
    const kdfParams = newKdfParams()
    const key = await derivePassphraseKey(passphrase, kdfParams)
    return {
      kind: 'passphrase',
      wrappedKey: wrapKey(key, dataKey, slotPurpose('passphrase', vaultId)),
      kdfParams,
    }
  }

  async unwrapWithKeychain(vaultId: string): Promise<Buffer> {
    const slot = this.options.slots().get('keychain')
    if (!slot?.account) {
      throw new BridgekeepError(
        'KEYCHAIN_ITEM_MISSING',
        'This vault does not use the keychain.',
        'Unlock it with its passphrase or your recovery key.',
      )
    }
    const kek = await this.options.keyStore.read(slot.account)
    if (!kek) {
      throw new BridgekeepError(
        'KEYCHAIN_ITEM_MISSING',
        "The keychain no longer holds this vault's key.",
        'Unlock with your recovery key: Bridgekeep will then store a new key in the keychain.',
      )
    }
    return unwrapOr(
      kek,
      slot.wrappedKey,
      slotPurpose('keychain', vaultId),
      () =>
        new BridgekeepError(
          'KEYCHAIN_ITEM_MISSING',
          'The key in the keychain does not open this vault (it was replaced or belongs to another vault).',
          'Unlock with your recovery key: Bridgekeep will then store a new key in the keychain.',
        ),
    )
  }

  async unwrapWithPassphrase(vaultId: string, passphrase: string): Promise<Buffer> {
    const slots = this.options.slots()
    const slot = slots.get('passphrase')
    if (!slot && slots.get('keychain')) {
      throw new BridgekeepError(
        'WRONG_PASSPHRASE',
        'This vault does not use a passphrase.',
        'Unlock it with the keychain or your recovery key.',
      )
    }
    if (!slot?.kdfParams) {
      // No keychain slot either, or settings that cannot be read: the vault was damaged.
      const why = !slot ? 'it is missing' : (slot.damaged ?? 'its settings are missing')
      throw new BridgekeepError(
        'VAULT_INTEGRITY',
        `The vault's passphrase key slot is damaged: ${why}.`,
        'Unlock with your recovery key (in the app: Use recovery key; from the CLI: --recovery-key), then set the passphrase again.',
      )
    }
    return this.unwrapPassphraseSlot(
      vaultId,
      passphrase,
      slot,
      slot.kdfParams,
      'Check it and try again, or use your recovery key.',
    )
  }

  /** Proves the passphrase opens `slot` (the vault is already unlocked: nothing to unwrap for). */
  async checkPassphraseSlot(vaultId: string, passphrase: string, slot: KeySlot): Promise<void> {
    const key = await this.unwrapPassphraseSlot(
      vaultId,
      passphrase,
      slot,
      slot.kdfParams ?? newKdfParams(),
      'Check it and try again.',
    )
    key.fill(0)
  }

  unwrapWithRecoveryKey(vaultId: string, recoveryKey: string): Buffer {
    const key = parseRecoveryKey(recoveryKey)
    const slot = this.options.slots().get('recovery')
    if (!slot) throw new BridgekeepError('VAULT_INTEGRITY', 'The vault has no recovery key slot.')
    return unwrapOr(
      key,
      slot.wrappedKey,
      slotPurpose('recovery', vaultId),
      () =>
        new BridgekeepError(
          'WRONG_RECOVERY_KEY',
          'That recovery key does not belong to this vault.',
          'Check it against the one you wrote down when the vault was created.',
        ),
    )
  }

  /** Removes a keychain item no slot uses any more; a failure is only logged. */
  async forgetKeychainItem(account: string): Promise<void> {
    try {
      await this.options.keyStore.remove(account)
    } catch (error) {
      // Harmless: the item no longer opens anything. Say so in the log and move on.
      this.options.log.warn('vault.keychain-cleanup-failed', {
        code: isBridgekeepError(error) ? error.code : 'INTERNAL',
      })
    }
  }

  private async unwrapPassphraseSlot(
    vaultId: string,
    passphrase: string,
    slot: KeySlot,
    kdfParams: KdfParams,
    hint: string,
  ): Promise<Buffer> {
    const key = await derivePassphraseKey(passphrase, kdfParams)
    return unwrapOr(
      key,
      slot.wrappedKey,
      slotPurpose('passphrase', vaultId),
      () =>
        new BridgekeepError('WRONG_PASSPHRASE', 'That passphrase does not open this vault.', hint),
    )
  }
}

/** Refuses a weak new passphrase (WEAK_PASSPHRASE, with the reason). */
export async function assertStrong(passphrase: string): Promise<void> {
  const problem = await checkPassphrase(passphrase)
  if (problem)
    throw new BridgekeepError(
      'WEAK_PASSPHRASE',
      problem,
      'Choose a stronger passphrase, e.g. four or five unrelated words.',
    )
}

/**
 * The wrap's associated data: a key wrapped for one slot of one vault opens nothing else. A
 * backup carries its vault's recovery slot and opens it with this (services/backup).
 */
export function slotPurpose(kind: SlotKind, vaultId: string): string {
  return `bridgekeep:${kind}:${vaultId}`
}

/** Each keychain key gets its own item, so a rewrap never overwrites the key still in use. */
function keychainAccount(vaultId: string): string {
  return `vault-${vaultId}-${randomUUID().slice(0, 8)}`
}

function unwrapOr(key: Buffer, wrapped: Buffer, aad: string, error: () => BridgekeepError): Buffer {
  try {
    return unwrapKey(key, wrapped, aad)
  } catch (cause) {
    if (cause instanceof WrongKeyError) throw error()
    throw cause
  }
}

import type { Database } from '../../db/database'
import type { KdfParams } from '../../security/passphrase'
import { KeySlotsRepository, type SlotKind, type SlotRow } from './key-slots-repository'

export type { SlotKind } from './key-slots-repository'

export interface KeySlot {
  kind: SlotKind
  wrappedKey: Buffer
  kdfParams?: KdfParams
  account?: string
  /** Why the stored slot cannot be used as it is (its settings are not JSON), if so. */
  damaged?: string
}

/** One repository per connection: the vault asks for a store at every step. */
const repositories = new WeakMap<Database, KeySlotsRepository>()

/** The key_slots and meta tables: what is needed to unwrap the data key, and the vault's id. */
export class KeySlotStore {
  private readonly repo: KeySlotsRepository

  constructor(db: Database) {
    let repo = repositories.get(db)
    if (!repo) repositories.set(db, (repo = new KeySlotsRepository(db)))
    this.repo = repo
  }

  vaultId(): string | undefined {
    return this.repo.meta('vault_id')
  }

  createdAt(): string | undefined {
    return this.repo.meta('created_at')
  }

  setMeta(key: string, value: string): void {
    this.repo.setMeta(key, value)
  }

  all(): KeySlot[] {
    return this.repo.all().map((row) => ({
      kind: row.kind,
      wrappedKey: row.wrapped_key,
      ...kdfParamsOf(row),
      ...(row.account ? { account: row.account } : {}),
    }))
  }

  get(kind: SlotKind): KeySlot | undefined {
    return this.all().find((slot) => slot.kind === kind)
  }

  put(slot: KeySlot): void {
    this.repo.put(
      {
        kind: slot.kind,
        wrapped_key: slot.wrappedKey,
        kdf_params: slot.kdfParams ? JSON.stringify(slot.kdfParams) : null,
        account: slot.account ?? null,
      },
      new Date().toISOString(),
    )
  }

  remove(kind: SlotKind): void {
    this.repo.remove(kind)
  }
}

/**
 * The stored KDF settings, parsed. Settings that are not JSON mark the slot damaged instead of
 * throwing: reading the slots must keep working (status, the other slots), and the unlock that
 * needs them names the damage. Their shape and bounds are checked where they are used
 * (derivePassphraseKey).
 */
function kdfParamsOf(row: SlotRow): Pick<KeySlot, 'kdfParams' | 'damaged'> {
  if (row.kdf_params === null) return {}
  try {
    return { kdfParams: JSON.parse(row.kdf_params) as KdfParams }
  } catch {
    return { damaged: 'its settings are not valid JSON' }
  }
}

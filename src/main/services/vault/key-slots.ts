import type { Database } from '../../db/database'
import type { KdfParams } from '../../security/passphrase'

export type SlotKind = 'keychain' | 'recovery' | 'passphrase'

export interface KeySlot {
  kind: SlotKind
  wrappedKey: Buffer
  kdfParams?: KdfParams
  account?: string
  /** Why the stored slot cannot be used as it is (its settings are not JSON), if so. */
  damaged?: string
}

interface SlotRow {
  kind: SlotKind
  wrapped_key: Buffer
  kdf_params: string | null
  account: string | null
}

/** The key_slots and meta tables: what is needed to unwrap the data key, and the vault's id. */
export class KeySlotStore {
  constructor(private readonly db: Database) {}

  vaultId(): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('vault_id') as
      { value: string } | undefined
    return row?.value
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value)
  }

  all(): KeySlot[] {
    const rows = this.db
      .prepare('SELECT kind, wrapped_key, kdf_params, account FROM key_slots')
      .all() as SlotRow[]
    return rows.map((row) => ({
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
    this.db
      .prepare(
        `INSERT INTO key_slots (kind, wrapped_key, kdf_params, account, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET wrapped_key = excluded.wrapped_key,
           kdf_params = excluded.kdf_params, account = excluded.account, created_at = excluded.created_at`,
      )
      .run(
        slot.kind,
        slot.wrappedKey,
        slot.kdfParams ? JSON.stringify(slot.kdfParams) : null,
        slot.account ?? null,
        new Date().toISOString(),
      )
  }

  remove(kind: SlotKind): void {
    this.db.prepare('DELETE FROM key_slots WHERE kind = ?').run(kind)
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

import type { Database } from '../../db/database'

export type SlotKind = 'keychain' | 'recovery' | 'passphrase'

/** A `key_slots` row as stored; `kdf_params` is JSON. */
export interface SlotRow {
  kind: SlotKind
  wrapped_key: Buffer
  kdf_params: string | null
  account: string | null
}

/** SQL of the key_slots and meta tables. Rows in, rows out. */
export class KeySlotsRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      meta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      all: db.prepare('SELECT kind, wrapped_key, kdf_params, account FROM key_slots'),
      put: db.prepare(
        `INSERT INTO key_slots (kind, wrapped_key, kdf_params, account, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET wrapped_key = excluded.wrapped_key,
           kdf_params = excluded.kdf_params, account = excluded.account, created_at = excluded.created_at`,
      ),
      remove: db.prepare('DELETE FROM key_slots WHERE kind = ?'),
    }
  }

  meta(key: string): string | undefined {
    return this.s.meta.get(key) as string | undefined
  }
  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value)
  }
  all(): SlotRow[] {
    return this.s.all.all() as SlotRow[]
  }
  /** Adds the slot of its kind, or replaces it. */
  put(row: SlotRow, createdAt: string): void {
    this.s.put.run(row.kind, row.wrapped_key, row.kdf_params, row.account, createdAt)
  }
  remove(kind: SlotKind): void {
    this.s.remove.run(kind)
  }
}

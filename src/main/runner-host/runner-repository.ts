import type { Database } from '../db/database'

export type RunnerKind = 'local' | 'remote'

export interface RunnerRow {
  id: string
  name: string
  kind: RunnerKind
  label: string
  created_at: string
  last_contact_at: string | null
  last_address: string | null
  last_version: string | null
  /** Set while the app holds a session with it. */
  connected_at: string | null
}

export interface CredentialRow {
  serial: string
  runner_id: string
  api_key_hash: string
  issued_at: string
  not_after: string
  revoked_at: string | null
}

/** SQL for the runner tables (migration 003): the CA, runners, their credentials, settings. */
export class RunnerRepository {
  constructor(private readonly db: Database) {}

  ca(): { cert_pem: string; key_wrapped: Buffer } | undefined {
    return this.db.prepare('SELECT cert_pem, key_wrapped FROM runner_ca WHERE id = 1').get() as
      { cert_pem: string; key_wrapped: Buffer } | undefined
  }

  insertCa(certPem: string, keyWrapped: Buffer, at: string): void {
    this.db
      .prepare('INSERT INTO runner_ca (id, cert_pem, key_wrapped, created_at) VALUES (1, ?, ?, ?)')
      .run(certPem, keyWrapped, at)
  }

  replaceCaKey(keyWrapped: Buffer): void {
    this.db.prepare('UPDATE runner_ca SET key_wrapped = ? WHERE id = 1').run(keyWrapped)
  }

  /** The unique index on name refuses a second runner of the same name. */
  upsertRunner(id: string, name: string, kind: RunnerKind, label: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO runners (id, name, kind, label, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET label = excluded.label`,
      )
      .run(id, name, kind, label, at)
  }

  runnerByName(name: string): RunnerRow | undefined {
    return this.db.prepare('SELECT * FROM runners WHERE name = ?').get(name) as
      RunnerRow | undefined
  }

  nameOf(id: string): string | undefined {
    const row = this.db.prepare('SELECT name FROM runners WHERE id = ?').get(id) as
      { name: string } | undefined
    return row?.name
  }

  /** Revokes one runner's live credentials; returns the serials revoked. */
  revokeRunner(id: string, at: string): string[] {
    const rows = this.db
      .prepare(
        `UPDATE runner_credentials SET revoked_at = ?
         WHERE revoked_at IS NULL AND runner_id = ? RETURNING serial`,
      )
      .all(at, id) as { serial: string }[]
    return rows.map((row) => row.serial)
  }

  /** The runner and (cascading) its credentials: a certificate of it then matches nothing. */
  deleteRunner(id: string): void {
    this.db.prepare('DELETE FROM runners WHERE id = ?').run(id)
  }

  /** Live connections whose Runner field names this runner (the `runner` config key). */
  connectionsNaming(name: string): { id: string; name: string }[] {
    return this.db
      .prepare(
        `SELECT id, name FROM connections
         WHERE deleted_at IS NULL AND json_extract(config, '$.runner') = ? ORDER BY name`,
      )
      .all(name) as { id: string; name: string }[]
  }

  setConnected(id: string, at: string | null): void {
    this.db.prepare('UPDATE runners SET connected_at = ? WHERE id = ?').run(at, id)
  }

  runners(): (RunnerRow & { active: number; not_after: string | null })[] {
    return this.db
      .prepare(
        `SELECT r.*,
           (SELECT count(*) FROM runner_credentials c
             WHERE c.runner_id = r.id AND c.revoked_at IS NULL) AS active,
           (SELECT max(not_after) FROM runner_credentials c
             WHERE c.runner_id = r.id AND c.revoked_at IS NULL) AS not_after
         FROM runners r ORDER BY r.kind, r.created_at`,
      )
      .all() as (RunnerRow & { active: number; not_after: string | null })[]
  }

  insertCredential(row: Omit<CredentialRow, 'revoked_at'>): void {
    this.db
      .prepare(
        `INSERT INTO runner_credentials (serial, runner_id, api_key_hash, issued_at, not_after)
         VALUES (@serial, @runner_id, @api_key_hash, @issued_at, @not_after)`,
      )
      .run(row)
  }

  credential(serial: string): CredentialRow | undefined {
    return this.db.prepare('SELECT * FROM runner_credentials WHERE serial = ?').get(serial) as
      CredentialRow | undefined
  }

  /** Revokes every live credential of runners of `kind`; returns the serials revoked. */
  revokeAll(kind: RunnerKind, at: string): string[] {
    const rows = this.db
      .prepare(
        `UPDATE runner_credentials SET revoked_at = ?
         WHERE revoked_at IS NULL AND runner_id IN (SELECT id FROM runners WHERE kind = ?)
         RETURNING serial`,
      )
      .all(at, kind) as { serial: string }[]
    return rows.map((row) => row.serial)
  }

  recordContact(id: string, at: string, address: string, version: string): void {
    this.db
      .prepare(
        'UPDATE runners SET last_contact_at = ?, last_address = ?, last_version = ? WHERE id = ?',
      )
      .run(at, address, version, id)
  }

  setting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM runner_settings WHERE key = ?').get(key) as
      { value: string } | undefined
    return row?.value
  }

  setSetting(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO runner_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value)
  }
}

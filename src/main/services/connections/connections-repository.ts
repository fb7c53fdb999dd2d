import type { Database } from '../../db/database'

export interface ConnectionRow {
  id: string
  name: string
  slug: string
  provider: string
  auth_mode: string
  config: string
  labels: string
  notes: string
  current_version: number
  created_at: string
  updated_at: string
  deleted_at: string | null
  /** 1 for a use-only connection imported from a share (migration 004); read, never written here. */
  use_only?: number
  /** 1 when the owner asked that tools get short-lived credentials only (migration 009). */
  short_lived_only?: number
}

export type SummaryRow = Omit<ConnectionRow, 'config' | 'notes'> & {
  /** Only in list rows: joined from usage_last (null when never used). */
  last_used_at?: string | null
}

/** SUMMARY_COLUMNS, in order. */
type SummaryTuple = [
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  string,
  string | null,
  string | null,
  number,
]

export interface SecretFieldRow {
  connection_id: string
  version: number
  field: string
  ciphertext: Buffer
}

/** What a list row needs: no config, no notes; when it was last used. */
const SUMMARY_COLUMNS =
  'c.id, c.name, c.slug, c.provider, c.auth_mode, c.labels, c.current_version, c.created_at, c.updated_at, c.deleted_at, u.last_used_at, c.use_only'

const COLUMNS =
  'id, name, slug, provider, auth_mode, config, labels, notes, current_version, created_at, updated_at, deleted_at'
/** What reads return: the written columns and the use-only and short-lived-only flags. */
const READ_COLUMNS = `${COLUMNS}, use_only, short_lived_only`

/** Where an imported connection came from (received_shares, migration 004). */
export interface ReceivedShareRow {
  share_id: string
  sender_name: string
  sender_fingerprint: string
  scope: string
  expires_at: string
  imported_at: string
}

/** SQL for connections and their secret versions. No crypto, no validation: rows in, rows out. */
export class ConnectionsRepository {
  private readonly statements

  constructor(readonly db: Database) {
    this.statements = {
      list: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM connections c LEFT JOIN usage_last u ON u.connection_id = c.id
           WHERE c.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE, c.id`,
      ),
      listTrash: db.prepare(
        `SELECT ${READ_COLUMNS} FROM connections WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC`,
      ),
      get: db.prepare(`SELECT ${READ_COLUMNS} FROM connections WHERE id = ?`),
      bySlug: db.prepare(`SELECT ${READ_COLUMNS} FROM connections WHERE slug = ?`),
      received: db.prepare(
        'SELECT share_id, sender_name, sender_fingerprint, scope, expires_at, imported_at FROM received_shares WHERE connection_id = ?',
      ),
      // A range instead of LIKE, so the UNIQUE index on slug answers it: 'base-' <= s < 'base.'
      // ('.' follows '-' in ASCII) are exactly the slugs that start with 'base-'.
      slugsLike: db.prepare(
        'SELECT slug FROM connections WHERE slug = ? OR (slug >= ? AND slug < ?)',
      ),
      insert: db.prepare(
        `INSERT INTO connections (${COLUMNS}) VALUES (@id, @name, @slug, @provider, @auth_mode, @config, @labels, @notes, @current_version, @created_at, @updated_at, @deleted_at)`,
      ),
      update: db.prepare(
        `UPDATE connections SET name = @name, slug = @slug, auth_mode = @auth_mode, config = @config, labels = @labels,
           notes = @notes, current_version = @current_version, updated_at = @updated_at, deleted_at = @deleted_at WHERE id = @id`,
      ),
      setShortLivedOnly: db.prepare('UPDATE connections SET short_lived_only = ? WHERE id = ?'),
      remove: db.prepare('DELETE FROM connections WHERE id = ?'),
      expiredTrash: db.prepare(
        'SELECT id, name FROM connections WHERE deleted_at IS NOT NULL AND deleted_at < ?',
      ),
      insertVersion: db.prepare(
        'INSERT INTO secret_versions (connection_id, version, created_at) VALUES (?, ?, ?)',
      ),
      versions: db.prepare(
        'SELECT version, created_at AS createdAt FROM secret_versions WHERE connection_id = ? ORDER BY version DESC',
      ),
      removeVersionsBelow: db.prepare(
        'DELETE FROM secret_versions WHERE connection_id = ? AND version < ?',
      ),
      insertField: db.prepare(
        'INSERT INTO secret_fields (connection_id, version, field, ciphertext) VALUES (?, ?, ?, ?)',
      ),
      fields: db.prepare(
        'SELECT connection_id, version, field, ciphertext FROM secret_fields WHERE connection_id = ? AND version = ?',
      ),
      allFields: db.prepare('SELECT connection_id, version, field, ciphertext FROM secret_fields'),
      replaceCiphertext: db.prepare(
        'UPDATE secret_fields SET ciphertext = ? WHERE connection_id = ? AND version = ? AND field = ?',
      ),
    }
  }

  /**
   * Live connections by name. Rows come back as arrays, turned into objects here: half the cost
   * of better-sqlite3 building them, which matters at 10,000 rows.
   */
  list(): SummaryRow[] {
    const rows = this.statements.list.raw().all() as SummaryTuple[]
    return rows.map(
      ([
        id,
        name,
        slug,
        provider,
        auth_mode,
        labels,
        current_version,
        created_at,
        updated_at,
        deleted_at,
        last_used_at,
        use_only,
      ]) => ({
        id,
        name,
        slug,
        provider,
        auth_mode,
        labels,
        current_version,
        created_at,
        updated_at,
        deleted_at,
        last_used_at,
        use_only,
      }),
    )
  }
  listTrash(): ConnectionRow[] {
    return this.statements.listTrash.all() as ConnectionRow[]
  }
  get(id: string): ConnectionRow | undefined {
    return this.statements.get.get(id) as ConnectionRow | undefined
  }
  bySlug(slug: string): ConnectionRow | undefined {
    return this.statements.bySlug.get(slug) as ConnectionRow | undefined
  }
  received(connectionId: string): ReceivedShareRow | undefined {
    return this.statements.received.get(connectionId) as ReceivedShareRow | undefined
  }
  /** Slugs equal to `base` or `base-<anything>`, to pick the next free suffix. */
  slugsStartingWith(base: string): string[] {
    const rows = this.statements.slugsLike.all(base, `${base}-`, `${base}.`) as { slug: string }[]
    return rows.map((row) => row.slug)
  }
  insert(row: ConnectionRow): void {
    this.statements.insert.run(row)
  }
  update(row: ConnectionRow): void {
    this.statements.update.run(row)
  }
  setShortLivedOnly(id: string, on: boolean): void {
    this.statements.setShortLivedOnly.run(on ? 1 : 0, id)
  }
  remove(id: string): void {
    this.statements.remove.run(id)
  }
  expiredTrash(before: string): { id: string; name: string }[] {
    return this.statements.expiredTrash.all(before) as { id: string; name: string }[]
  }
  insertVersion(connectionId: string, version: number, createdAt: string): void {
    this.statements.insertVersion.run(connectionId, version, createdAt)
  }
  versions(connectionId: string): { version: number; createdAt: string }[] {
    return this.statements.versions.all(connectionId) as { version: number; createdAt: string }[]
  }
  removeVersionsBelow(connectionId: string, version: number): void {
    this.statements.removeVersionsBelow.run(connectionId, version)
  }
  insertField(connectionId: string, version: number, field: string, ciphertext: Buffer): void {
    this.statements.insertField.run(connectionId, version, field, ciphertext)
  }
  fields(connectionId: string, version: number): SecretFieldRow[] {
    return this.statements.fields.all(connectionId, version) as SecretFieldRow[]
  }
  allFields(): SecretFieldRow[] {
    return this.statements.allFields.all() as SecretFieldRow[]
  }
  replaceCiphertext(row: SecretFieldRow): void {
    this.statements.replaceCiphertext.run(row.ciphertext, row.connection_id, row.version, row.field)
  }

  /** Whether the vault has a runner of this name (a connection's Runner field names one). */
  hasRunner(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM runners WHERE name = ?').get(name) !== undefined
  }
}

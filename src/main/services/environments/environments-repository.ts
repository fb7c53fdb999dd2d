import type { Database } from '../../db/database'

export interface EnvironmentRow {
  id: string
  name: string
  slug: string
  color: string
  description: string
  protected: number
  position: number
  created_at: string
  updated_at: string
}

export interface ConnectionRef {
  id: string
  name: string
  slug: string
  provider: string
  deleted_at: string | null
}

export interface ChangeSetRow {
  seq: number
  id: string
  created_at: string
  grants: string
  revokes: string
}

/** A pair as stored in a change set: [connection id, environment id]. */
export type StoredPair = [connectionId: string, environmentId: string]

const ENV_COLUMNS =
  'id, name, slug, color, description, protected, position, created_at, updated_at'

/** SQL for environments, authorizations, defaults and change sets. Rows in, rows out. */
export class EnvironmentsRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      list: db.prepare(
        `SELECT ${ENV_COLUMNS} FROM environments ORDER BY position, name COLLATE NOCASE`,
      ),
      get: db.prepare(`SELECT ${ENV_COLUMNS} FROM environments WHERE id = ?`),
      byName: db.prepare(`SELECT ${ENV_COLUMNS} FROM environments WHERE name = ? COLLATE NOCASE`),
      bySlug: db.prepare(`SELECT ${ENV_COLUMNS} FROM environments WHERE slug = ?`),
      slugsLike: db.prepare(
        'SELECT slug FROM environments WHERE slug = ? OR (slug >= ? AND slug < ?)',
      ),
      insert: db.prepare(
        `INSERT INTO environments (${ENV_COLUMNS}) VALUES (@id, @name, @slug, @color, @description, @protected, @position, @created_at, @updated_at)`,
      ),
      update: db.prepare(
        `UPDATE environments SET name = @name, slug = @slug, color = @color, description = @description,
           protected = @protected, position = @position, updated_at = @updated_at WHERE id = @id`,
      ),
      remove: db.prepare('DELETE FROM environments WHERE id = ?'),
      nextPosition: db.prepare('SELECT coalesce(max(position) + 1, 0) AS n FROM environments'),
      liveCounts: db.prepare(
        `SELECT a.environment_id AS id, count(*) AS n FROM authorizations a
           JOIN connections c ON c.id = a.connection_id
           WHERE c.deleted_at IS NULL GROUP BY a.environment_id`,
      ),
      authorizedNames: db.prepare(
        `SELECT c.name FROM authorizations a JOIN connections c ON c.id = a.connection_id
           WHERE a.environment_id = ? ORDER BY c.name COLLATE NOCASE`,
      ),
      countDefaults: db.prepare(
        'SELECT count(*) AS n FROM environment_defaults WHERE environment_id = ?',
      ),
      connection: db.prepare(
        'SELECT id, name, slug, provider, deleted_at FROM connections WHERE id = ?',
      ),
      liveConnections: db.prepare(
        `SELECT id, name, slug, provider, labels FROM connections WHERE deleted_at IS NULL
           ORDER BY name COLLATE NOCASE, id`,
      ),
      // The primary key orders rows by connection, so this groups without sorting.
      authorizationsByConnection: db.prepare(
        `SELECT connection_id, group_concat(environment_id, ' ') FROM authorizations
           GROUP BY connection_id`,
      ),
      authorizationsFor: db.prepare(
        `SELECT a.environment_id AS id FROM authorizations a
           JOIN environments e ON e.id = a.environment_id
           WHERE a.connection_id = ? ORDER BY e.position, e.name COLLATE NOCASE`,
      ),
      grant: db.prepare(
        'INSERT OR IGNORE INTO authorizations (connection_id, environment_id, created_at) VALUES (?, ?, ?)',
      ),
      // For undo: only where both ends still exist (a purged connection stays purged).
      regrant: db.prepare(
        `INSERT OR IGNORE INTO authorizations (connection_id, environment_id, created_at)
           SELECT @connection, @environment, @at
           WHERE EXISTS (SELECT 1 FROM connections WHERE id = @connection)
             AND EXISTS (SELECT 1 FROM environments WHERE id = @environment)`,
      ),
      revoke: db.prepare(
        'DELETE FROM authorizations WHERE connection_id = ? AND environment_id = ?',
      ),
      isAuthorized: db.prepare(
        'SELECT 1 FROM authorizations WHERE connection_id = ? AND environment_id = ?',
      ),
      defaults: db.prepare(
        `SELECT d.environment_id AS environmentId, d.provider, d.connection_id AS connectionId
           FROM environment_defaults d JOIN connections c ON c.id = d.connection_id
           WHERE c.deleted_at IS NULL ORDER BY d.environment_id, d.provider`,
      ),
      defaultFor: db.prepare(
        'SELECT connection_id FROM environment_defaults WHERE environment_id = ? AND provider = ?',
      ),
      setDefault: db.prepare(
        `INSERT INTO environment_defaults (environment_id, provider, connection_id) VALUES (?, ?, ?)
           ON CONFLICT (environment_id, provider) DO UPDATE SET connection_id = excluded.connection_id`,
      ),
      clearDefault: db.prepare(
        'DELETE FROM environment_defaults WHERE environment_id = ? AND provider = ?',
      ),
      clearDefaultForPair: db.prepare(
        'DELETE FROM environment_defaults WHERE environment_id = ? AND connection_id = ?',
      ),
      insertChange: db.prepare(
        `INSERT INTO authorization_changes (id, created_at, grants, revokes, granted, revoked)
           VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      pruneChanges: db.prepare('DELETE FROM authorization_changes WHERE seq <= ?'),
      lastChange: db.prepare(
        `SELECT seq, id, created_at, grants, revokes FROM authorization_changes
           WHERE undone_at IS NULL ORDER BY seq DESC LIMIT 1`,
      ),
      lastChangeSummary: db.prepare(
        `SELECT id, created_at, granted, revoked FROM authorization_changes
           WHERE undone_at IS NULL ORDER BY seq DESC LIMIT 1`,
      ),
      markUndone: db.prepare('UPDATE authorization_changes SET undone_at = ? WHERE seq = ?'),
    }
  }

  list(): EnvironmentRow[] {
    return this.s.list.all() as EnvironmentRow[]
  }
  get(id: string): EnvironmentRow | undefined {
    return this.s.get.get(id) as EnvironmentRow | undefined
  }
  byName(name: string): EnvironmentRow | undefined {
    return this.s.byName.get(name) as EnvironmentRow | undefined
  }
  bySlug(slug: string): EnvironmentRow | undefined {
    return this.s.bySlug.get(slug) as EnvironmentRow | undefined
  }
  slugsStartingWith(base: string): string[] {
    return (this.s.slugsLike.all(base, `${base}-`, `${base}.`) as { slug: string }[]).map(
      (row) => row.slug,
    )
  }
  insert(row: EnvironmentRow): void {
    this.s.insert.run(row)
  }
  update(row: EnvironmentRow): void {
    this.s.update.run(row)
  }
  remove(id: string): void {
    this.s.remove.run(id)
  }
  nextPosition(): number {
    return (this.s.nextPosition.get() as { n: number }).n
  }
  /** Live connections authorized per environment id. */
  liveCounts(): Map<string, number> {
    const rows = this.s.liveCounts.all() as { id: string; n: number }[]
    return new Map(rows.map((row) => [row.id, row.n]))
  }
  /** Names of every connection (trashed ones too) authorized for an environment. */
  authorizedNames(environmentId: string): string[] {
    return (this.s.authorizedNames.all(environmentId) as { name: string }[]).map((r) => r.name)
  }
  countDefaults(environmentId: string): number {
    return (this.s.countDefaults.get(environmentId) as { n: number }).n
  }
  connection(id: string): ConnectionRef | undefined {
    return this.s.connection.get(id) as ConnectionRef | undefined
  }
  liveConnections(): [id: string, name: string, slug: string, provider: string, labels: string][] {
    return this.s.liveConnections.raw(true).all() as [string, string, string, string, string][]
  }
  /** Every connection's authorized environment ids (trashed connections included). */
  authorizationsByConnection(): [connectionId: string, environmentIds: string][] {
    return this.s.authorizationsByConnection.raw(true).all() as [string, string][]
  }
  authorizationsFor(connectionId: string): string[] {
    return (this.s.authorizationsFor.all(connectionId) as { id: string }[]).map((r) => r.id)
  }
  /** True when the pair was not authorized before. */
  grant(connectionId: string, environmentId: string, at: string): boolean {
    return this.s.grant.run(connectionId, environmentId, at).changes > 0
  }
  regrant(connectionId: string, environmentId: string, at: string): boolean {
    return (
      this.s.regrant.run({ connection: connectionId, environment: environmentId, at }).changes > 0
    )
  }
  /** True when the pair was authorized before. */
  revoke(connectionId: string, environmentId: string): boolean {
    return this.s.revoke.run(connectionId, environmentId).changes > 0
  }
  isAuthorized(connectionId: string, environmentId: string): boolean {
    return this.s.isAuthorized.get(connectionId, environmentId) !== undefined
  }
  defaults(): { environmentId: string; provider: string; connectionId: string }[] {
    return this.s.defaults.all() as {
      environmentId: string
      provider: string
      connectionId: string
    }[]
  }
  defaultFor(environmentId: string, provider: string): string | undefined {
    const row = this.s.defaultFor.get(environmentId, provider) as
      { connection_id: string } | undefined
    return row?.connection_id
  }
  setDefault(environmentId: string, provider: string, connectionId: string): void {
    this.s.setDefault.run(environmentId, provider, connectionId)
  }
  clearDefault(environmentId: string, provider: string): boolean {
    return this.s.clearDefault.run(environmentId, provider).changes > 0
  }
  /** Clears defaults that name this pair (after a revoke); returns how many. */
  clearDefaultForPair(environmentId: string, connectionId: string): number {
    return this.s.clearDefaultForPair.run(environmentId, connectionId).changes
  }
  insertChange(id: string, at: string, grants: StoredPair[], revokes: StoredPair[]): number {
    return Number(
      this.s.insertChange.run(
        id,
        at,
        JSON.stringify(grants),
        JSON.stringify(revokes),
        grants.length,
        revokes.length,
      ).lastInsertRowid,
    )
  }
  pruneChanges(upToSeq: number): void {
    this.s.pruneChanges.run(upToSeq)
  }
  lastChange(): ChangeSetRow | undefined {
    return this.s.lastChange.get() as ChangeSetRow | undefined
  }
  lastChangeSummary():
    { id: string; created_at: string; granted: number; revoked: number } | undefined {
    return this.s.lastChangeSummary.get() as
      { id: string; created_at: string; granted: number; revoked: number } | undefined
  }
  markUndone(seq: number, at: string): void {
    this.s.markUndone.run(at, seq)
  }
}

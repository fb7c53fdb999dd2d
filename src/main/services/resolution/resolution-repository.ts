import type { Database } from '../../db/database'

export interface EnvRow {
  id: string
  name: string
  slug: string
}

export interface CandidateRow {
  id: string
  name: string
  slug: string
  provider: string
  deleted_at: string | null
}

/** Scope and expiry of a use-only connection imported from a share (migration 004). */
export interface UseOnlyShareRow {
  expires_at: string
  scope: string
  sender_name: string
}

const CANDIDATE_COLUMNS = 'c.id, c.name, c.slug, c.provider, c.deleted_at'

/**
 * SQL of resolution: indexed point lookups and short lists (resolution is hot), read-only.
 * `limit` -1 means no limit.
 */
export class ResolutionRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      envBySlug: db.prepare('SELECT id, name, slug FROM environments WHERE slug = ?'),
      envByName: db.prepare(
        'SELECT id, name, slug FROM environments WHERE name = ? COLLATE NOCASE',
      ),
      envNames: db.prepare('SELECT name FROM environments ORDER BY position').pluck(),
      connectionBySlug: db.prepare(
        `SELECT ${CANDIDATE_COLUMNS} FROM connections c WHERE c.slug = ?`,
      ),
      connectionsByName: db.prepare(
        `SELECT ${CANDIDATE_COLUMNS} FROM connections c
           WHERE c.name = ? COLLATE NOCASE ORDER BY c.deleted_at IS NOT NULL, c.slug`,
      ),
      authorized: db.prepare(
        `SELECT ${CANDIDATE_COLUMNS}
           FROM authorizations a JOIN connections c ON c.id = a.connection_id
           WHERE a.environment_id = ? AND c.provider = ? AND c.deleted_at IS NULL
           ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?`,
      ),
      unauthorized: db.prepare(
        `SELECT ${CANDIDATE_COLUMNS} FROM connections c
           WHERE c.provider = @provider AND c.deleted_at IS NULL AND NOT EXISTS
             (SELECT 1 FROM authorizations a WHERE a.connection_id = c.id AND a.environment_id = @environment)
           ORDER BY c.name COLLATE NOCASE, c.id LIMIT @limit`,
      ),
      useOnlyShare: db.prepare(
        `SELECT r.expires_at, r.scope, r.sender_name FROM received_shares r
           JOIN connections c ON c.id = r.connection_id WHERE r.connection_id = ? AND c.use_only = 1`,
      ),
      isAuthorized: db.prepare(
        'SELECT 1 FROM authorizations WHERE connection_id = ? AND environment_id = ?',
      ),
      // A default counts only while it is live and still authorized there.
      defaultFor: db.prepare(
        `SELECT ${CANDIDATE_COLUMNS}
           FROM environment_defaults d JOIN connections c ON c.id = d.connection_id
           JOIN authorizations a ON a.connection_id = d.connection_id AND a.environment_id = d.environment_id
           WHERE d.environment_id = ? AND d.provider = ? AND c.deleted_at IS NULL`,
      ),
    }
  }

  environmentBySlug(slug: string): EnvRow | undefined {
    return this.s.envBySlug.get(slug) as EnvRow | undefined
  }
  environmentByName(name: string): EnvRow | undefined {
    return this.s.envByName.get(name) as EnvRow | undefined
  }
  /** Every environment's name, in the matrix's order. */
  environmentNames(): string[] {
    return this.s.envNames.all() as string[]
  }
  connectionBySlug(slug: string): CandidateRow | undefined {
    return this.s.connectionBySlug.get(slug) as CandidateRow | undefined
  }
  /** Connections with that name in any case, live ones first. */
  connectionsByName(name: string): CandidateRow[] {
    return this.s.connectionsByName.all(name) as CandidateRow[]
  }
  /** Live connections of the provider authorized for the environment, by name. */
  authorized(environmentId: string, provider: string, limit = -1): CandidateRow[] {
    return this.s.authorized.all(environmentId, provider, limit) as CandidateRow[]
  }
  /** Live connections of the provider not authorized for the environment, by name. */
  unauthorized(environmentId: string, provider: string, limit: number): CandidateRow[] {
    return this.s.unauthorized.all({
      provider,
      environment: environmentId,
      limit,
    }) as CandidateRow[]
  }
  useOnlyShare(connectionId: string): UseOnlyShareRow | undefined {
    return this.s.useOnlyShare.get(connectionId) as UseOnlyShareRow | undefined
  }
  isAuthorized(connectionId: string, environmentId: string): boolean {
    return this.s.isAuthorized.get(connectionId, environmentId) !== undefined
  }
  /** The environment's default connection of the provider, if live and still authorized there. */
  defaultFor(environmentId: string, provider: string): CandidateRow | undefined {
    return this.s.defaultFor.get(environmentId, provider) as CandidateRow | undefined
  }
}

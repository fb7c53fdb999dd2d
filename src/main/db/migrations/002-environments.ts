import { randomUUID } from 'node:crypto'
import { DEFAULT_ENVIRONMENTS } from '../../../shared/environments'
import type { Migration } from './types'

/**
 * Environments and which connections are authorized for each, defaults per provider, usage, the
 * undo history of authorization changes, and the hash-chained audit trail. Seeds development,
 * staging and production (protected) into every vault, new or upgraded from schema 1.
 */
export const environments002: Migration = {
  version: 2,
  name: 'environments',
  up: (db) => {
    db.exec(`
      CREATE TABLE environments (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        slug        TEXT NOT NULL UNIQUE,
        color       TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        protected   INTEGER NOT NULL DEFAULT 0 CHECK (protected IN (0, 1)),
        position    INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX environments_by_name ON environments (name COLLATE NOCASE);

      -- Which connection may be used in which environment. Purging a connection or deleting an
      -- environment removes its rows (the service counts them first: never silently).
      CREATE TABLE authorizations (
        connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        environment_id TEXT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        created_at     TEXT NOT NULL,
        PRIMARY KEY (connection_id, environment_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX authorizations_by_environment ON authorizations (environment_id, connection_id);

      -- The connection resolution picks when several of a provider are authorized.
      CREATE TABLE environment_defaults (
        environment_id TEXT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        provider       TEXT NOT NULL,
        connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        PRIMARY KEY (environment_id, provider)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX environment_defaults_by_connection ON environment_defaults (connection_id);

      -- Applied change sets of the matrix, newest last, so the last one can be undone. Pairs are
      -- JSON arrays of [connection_id, environment_id]; only effective changes are kept.
      CREATE TABLE authorization_changes (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        grants     TEXT NOT NULL,
        revokes    TEXT NOT NULL,
        granted    INTEGER NOT NULL,          -- pairs in grants, revokes (read without parsing)
        revoked    INTEGER NOT NULL,
        undone_at  TEXT
      ) STRICT;

      -- Usage: when each connection was last used (joined into the connection list), and counts
      -- per environment and operation. No foreign key to environments: history outlives them.
      CREATE TABLE usage_last (
        connection_id TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
        last_used_at  TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE usage_counts (
        connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        environment_id TEXT NOT NULL,
        operation      TEXT NOT NULL,
        count          INTEGER NOT NULL,
        first_used_at  TEXT NOT NULL,
        last_used_at   TEXT NOT NULL,
        PRIMARY KEY (connection_id, environment_id, operation)
      ) STRICT, WITHOUT ROWID;

      -- The audit trail: append-only, each hash = SHA-256(previous hash || canonical content).
      -- Targets are copied by value (id and name), so entries outlive what they name.
      CREATE TABLE audit_log (
        id               INTEGER PRIMARY KEY,
        time             TEXT NOT NULL,
        actor_user       TEXT NOT NULL,
        actor_vault      TEXT NOT NULL,
        action           TEXT NOT NULL,
        target_type      TEXT NOT NULL,
        target_id        TEXT,
        target_name      TEXT,
        environment_id   TEXT,
        environment_name TEXT,
        outcome          TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
        detail           TEXT NOT NULL,
        hash             TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_by_target ON audit_log (target_id, id) WHERE target_id IS NOT NULL;
      CREATE INDEX audit_by_environment ON audit_log (environment_id, id)
        WHERE environment_id IS NOT NULL;
      CREATE INDEX audit_by_action ON audit_log (action, id);
      CREATE INDEX audit_by_time ON audit_log (time);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only.'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only.'); END;
    `)
    const at = new Date().toISOString()
    const insert = db.prepare(
      `INSERT INTO environments (id, name, slug, color, description, protected, position, created_at, updated_at)
       VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)`,
    )
    DEFAULT_ENVIRONMENTS.forEach((env, position) =>
      insert.run(
        randomUUID(),
        env.name,
        env.name,
        env.color,
        env.protected ? 1 : 0,
        position,
        at,
        at,
      ),
    )
  },
}

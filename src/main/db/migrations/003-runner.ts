import type { Migration } from './types'

/**
 * The runner's identity: the vault's CA (its key wrapped by the vault's data key), the runners
 * the vault knows, and their credentials, of which only the certificate serial and a hash of the
 * API key are kept. Settings of the control listener (its port, so a file made earlier still
 * points at it).
 */
export const runner003: Migration = {
  version: 3,
  name: 'runner',
  up: (db) => {
    db.exec(`
      CREATE TABLE runner_ca (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        cert_pem    TEXT NOT NULL,
        key_wrapped BLOB NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE runners (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('local', 'remote')),
        label           TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        last_contact_at TEXT,
        last_address    TEXT,
        last_version    TEXT
      ) STRICT;

      -- One row per issued certificate. A runner is accepted only with a serial listed here and
      -- not revoked, and only with the API key whose SHA-256 is stored beside it.
      CREATE TABLE runner_credentials (
        serial       TEXT PRIMARY KEY,
        runner_id    TEXT NOT NULL REFERENCES runners (id) ON DELETE CASCADE,
        api_key_hash TEXT NOT NULL,
        issued_at    TEXT NOT NULL,
        not_after    TEXT NOT NULL,
        revoked_at   TEXT
      ) STRICT;
      CREATE INDEX runner_credentials_by_runner ON runner_credentials (runner_id);

      CREATE TABLE runner_settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `)
  },
}

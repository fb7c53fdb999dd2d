import type { Migration } from './types'

/** The first schema: vault metadata, key slots, connections with versioned encrypted secrets. */
export const vault001: Migration = {
  version: 1,
  name: 'vault',
  up: (db) => {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- The data key, wrapped once per way of unlocking the vault. Never stored unwrapped.
      CREATE TABLE key_slots (
        kind        TEXT PRIMARY KEY CHECK (kind IN ('keychain', 'recovery', 'passphrase')),
        wrapped_key BLOB NOT NULL,
        kdf_params  TEXT,             -- passphrase slot: scrypt parameters (JSON)
        account     TEXT,             -- keychain slot: the keychain item holding its key
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE connections (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        slug            TEXT NOT NULL UNIQUE,
        provider        TEXT NOT NULL,
        auth_mode       TEXT NOT NULL,
        config          TEXT NOT NULL,            -- non-secret fields (JSON object of strings)
        labels          TEXT NOT NULL DEFAULT '[]',
        notes           TEXT NOT NULL DEFAULT '',
        current_version INTEGER NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        deleted_at      TEXT                      -- in the trash since; NULL when live
      ) STRICT;
      -- The list's order, so listing 10,000 connections is an index walk, not a sort.
      CREATE INDEX connections_by_name ON connections (deleted_at, name COLLATE NOCASE, id);

      CREATE TABLE secret_versions (
        connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        version       INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        PRIMARY KEY (connection_id, version)
      ) STRICT;

      -- One row per secret field per version: AES-256-GCM, bound to (vault, connection, field,
      -- version) so a ciphertext moved anywhere else fails to decrypt.
      CREATE TABLE secret_fields (
        connection_id TEXT NOT NULL,
        version       INTEGER NOT NULL,
        field         TEXT NOT NULL,
        ciphertext    BLOB NOT NULL,
        PRIMARY KEY (connection_id, version, field),
        FOREIGN KEY (connection_id, version)
          REFERENCES secret_versions (connection_id, version) ON DELETE CASCADE
      ) STRICT;
    `)
  },
}

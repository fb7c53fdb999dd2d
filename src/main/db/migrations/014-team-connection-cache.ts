import type { Migration } from './types'

/**
 * A local copy of each team's connections, so members list and use them offline: the team's
 * signed change log as the database gave it (public: names, providers, non-secret fields, the
 * matrix; replayed and verified like the database's own), and each connection version's sealed
 * secrets with the key wrapped to THIS vault (age, to its identity). Ciphertext only: the
 * secrets are opened in memory at the moment of use, never written here in clear. A use-only
 * member has no wrapped key (`wrapped_key` NULL).
 *
 * Mirrors the database at the last sync: `team sync` replaces a team's rows in one transaction.
 */
export const teamConnectionCache014: Migration = {
  version: 14,
  name: 'team-connection-cache',
  up: (db) => {
    db.exec(`
      CREATE TABLE team_change_cache (
        team_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        author TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        signature TEXT NOT NULL,
        PRIMARY KEY (team_id, seq)
      ) STRICT;
      CREATE TABLE team_sealed_cache (
        team_id TEXT NOT NULL,
        connection_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        ciphertext BLOB NOT NULL,
        wrapped_key BLOB,
        PRIMARY KEY (team_id, connection_id, version)
      ) STRICT;
      ALTER TABLE team_spaces ADD COLUMN synced_at TEXT;
    `)
  },
}

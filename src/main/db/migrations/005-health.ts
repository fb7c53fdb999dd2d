import type { Migration } from './types'

/**
 * Connection health: the last verify of each connection and its check schedule.
 * One row per connection that was checked or whose schedule was changed; no row means
 * "unchecked, on the default interval". Never a secret: the identity is what the provider proved
 * (an ARN, a login), the error is the runner's classified message.
 *
 * Depends only on migration 001 (connections).
 */
export const health005: Migration = {
  version: 5,
  name: 'health',
  up: (db) => {
    db.exec(`
      CREATE TABLE connection_health (
        connection_id        TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
        status               TEXT NOT NULL CHECK (status IN ('unchecked', 'healthy', 'failing')),
        checked_at           TEXT,
        latency_ms           REAL,
        environment_id       TEXT,
        environment_name     TEXT,
        secret_version       INTEGER,
        identity             TEXT,          -- { label, details } (JSON)
        error                TEXT,          -- { class, message, remedy } (JSON)
        expires_at           TEXT,          -- the credential's own expiry, as the provider said
        notes                TEXT,          -- JSON array of strings
        consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        -- Minutes between scheduled checks; NULL switches them off for this connection.
        interval_minutes     INTEGER DEFAULT 360 CHECK (interval_minutes IS NULL OR interval_minutes > 0),
        next_check_at        TEXT
      ) STRICT;
      CREATE INDEX connection_health_due ON connection_health (next_check_at)
        WHERE interval_minutes IS NOT NULL;
    `)
  },
}

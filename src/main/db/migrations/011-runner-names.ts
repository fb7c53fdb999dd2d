import type { Migration } from './types'

/**
 * Runners have names, unique in the vault: the name is what users type (`--name build-eu`) and
 * what a connection's Runner field names; the id stays the one in the runner's certificate, so
 * regenerating a runner's credentials keeps its identity. The local runner is `local`; remote
 * runners made before names existed are `remote-<first 8 characters of their id>`.
 * `connected_at` is set while the app holds a session with the runner (the CLI reads it).
 * Health results record the name of the runner that checked.
 *
 * Depends only on migrations 003 (runners) and 005 (connection_health).
 */
export const runnerNames011: Migration = {
  version: 11,
  name: 'runner-names',
  up: (db) => {
    db.exec(`
      ALTER TABLE runners ADD COLUMN name TEXT;
      ALTER TABLE runners ADD COLUMN connected_at TEXT;
      UPDATE runners SET name = CASE WHEN kind = 'local' THEN 'local'
                                     ELSE 'remote-' || lower(substr(id, 1, 8)) END;
      CREATE UNIQUE INDEX runners_by_name ON runners (name);
      ALTER TABLE connection_health ADD COLUMN checked_by TEXT;
    `)
  },
}

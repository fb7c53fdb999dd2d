import type { Migration } from './types'

/**
 * The team spaces this vault belongs to, with what it trusts about each: the founder's signing
 * key (pinned when this vault created the team, or when it joined with the founder's fingerprint
 * compared out of band), and the last change of the team's log it verified (`seen_seq`,
 * `seen_hash`), so a log cut back or rewritten in the database is noticed. The team database is
 * reached through a PostgreSQL connection of this vault, resolved in `environment_id` like any
 * use. Only public values: no key or secret of the team is stored here.
 *
 * No foreign keys: purging the connection or deleting the environment must not be blocked by a
 * team; the team commands then say which is gone and how to point the team at another.
 */
export const teamSpaces013: Migration = {
  version: 13,
  name: 'team-spaces',
  up: (db) => {
    db.exec(`
      CREATE TABLE team_spaces (
        team_id TEXT PRIMARY KEY,
        name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        connection_id TEXT NOT NULL,
        environment_id TEXT NOT NULL,
        founder_key TEXT NOT NULL,
        seen_seq INTEGER NOT NULL DEFAULT 0,
        seen_hash TEXT NOT NULL,
        joined_at TEXT NOT NULL
      ) STRICT;
    `)
  },
}

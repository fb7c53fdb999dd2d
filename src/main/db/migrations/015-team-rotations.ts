import type { Migration } from './types'

/**
 * The team connections whose secrets a full member who left could read, kept by the admin who
 * removed them (or made them use-only) until each is rotated: re-keying stops them opening any
 * new version, but what they read stays known to them. One row per connection and person; a
 * push of the connection with changed secrets, or "I rotated it elsewhere", deletes its rows.
 * Names and public keys only: no secret, no key.
 */
export const teamRotations015: Migration = {
  version: 15,
  name: 'team-rotations',
  up: (db) => {
    db.exec(`
      CREATE TABLE team_rotations (
        team_id TEXT NOT NULL,
        connection_id TEXT NOT NULL,
        connection_name TEXT NOT NULL,
        member_key TEXT NOT NULL,
        member_name TEXT NOT NULL,
        left_at TEXT NOT NULL,
        PRIMARY KEY (team_id, connection_id, member_key)
      ) STRICT;
    `)
  },
}

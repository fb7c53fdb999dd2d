import type { Migration } from './types'

/**
 * A verified checkpoint per team space: the state the signed change log replayed to at a head
 * (members, roles, connections' non-secret fields and matrix) and where the team audit trail
 * was last found intact, so a new process (each `bridgekeep team …` command) continues from it
 * instead of replaying the whole log. No secret and no key is in a state; both blobs are sealed
 * with the vault's data key anyway (AES-256-GCM, bound to the vault, team, founder and head), so
 * an edit of this file without the keychain cannot forge one: it no longer opens, and is ignored.
 * `audit` is sealed apart (it moves with every use, the state only with a change).
 */
export const teamCheckpoints016: Migration = {
  version: 16,
  name: 'team-checkpoints',
  up: (db) => {
    db.exec(`
      CREATE TABLE team_checkpoints (
        team_id TEXT PRIMARY KEY,
        founder_key TEXT NOT NULL,
        head_seq INTEGER NOT NULL,
        head_hash TEXT NOT NULL,
        state BLOB NOT NULL,
        audit BLOB
      ) STRICT;
    `)
  },
}

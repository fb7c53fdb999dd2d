import type { Migration } from './types'

/**
 * A check's own warnings: what works now but will break a use, with the fix (an AWS connection's
 * capabilities that its role or user may not perform, from IAM's policy simulator). A JSON array
 * of sentences, null when the check found none. Stored apart from the warnings the app derives
 * at read time (secret age, expiry), which depend on the clock and are never stored.
 *
 * Depends only on migration 005 (connection_health).
 */
export const checkWarnings012: Migration = {
  version: 12,
  name: 'check-warnings',
  up: (db) => {
    db.exec('ALTER TABLE connection_health ADD COLUMN check_warnings TEXT')
  },
}

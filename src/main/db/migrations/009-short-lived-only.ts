import type { Migration } from './types'

/**
 * Whether the owner asked that tools get short-lived credentials only from a connection (an STS
 * session or an access token issued from the stored secret, never the secret itself), as they
 * always do from a use-only imported one. Existing connections keep handing out what they store.
 *
 * Depends only on migration 001 (connections).
 */
export const shortLivedOnly009: Migration = {
  version: 9,
  name: 'short-lived-only',
  up: (db) => {
    db.exec(
      'ALTER TABLE connections ADD COLUMN short_lived_only INTEGER NOT NULL DEFAULT 0 CHECK (short_lived_only IN (0, 1))',
    )
  },
}

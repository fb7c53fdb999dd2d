import type { Migration } from './types'

/**
 * Where an imported connection came from, so a re-sent share of it replaces it as a new version:
 * the sender's signing key, the connection's id in the sender's vault, the version the sender sent,
 * and when that share was made (orders two shares of one version). Rows imported before this
 * migration have none of them: a share of such a connection meets the usual slug conflict once,
 * and replacing it then records them.
 *
 * Depends only on migration 004 (received_shares).
 */
export const receivedShareSource010: Migration = {
  version: 10,
  name: 'received-share-source',
  up: (db) => {
    db.exec(`
      ALTER TABLE received_shares ADD COLUMN sender_signing_key TEXT;
      ALTER TABLE received_shares ADD COLUMN source_connection_id TEXT;
      ALTER TABLE received_shares ADD COLUMN source_version INTEGER;
      ALTER TABLE received_shares ADD COLUMN shared_at TEXT;
      CREATE INDEX received_shares_by_source
        ON received_shares (sender_signing_key, source_connection_id);
    `)
  },
}

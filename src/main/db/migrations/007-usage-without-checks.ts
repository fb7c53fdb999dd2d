import type { Migration } from './types'

/**
 * Health checks are not uses. Vaults from before that rule hold a usage row per checked
 * connection and environment (operation 'verify'), which made every connection look used every
 * six hours. Those rows go, and each connection's "last used" is recomputed from the real uses
 * left (exec, credential_process, ...): a connection only ever checked is "never used" again.
 * The audit trail keeps every check.
 *
 * Depends only on migration 002 (usage_counts, usage_last).
 */
export const usageWithoutChecks007: Migration = {
  version: 7,
  name: 'usage-without-checks',
  up: (db) => {
    db.exec(`
      DELETE FROM usage_counts WHERE operation = 'verify';
      DELETE FROM usage_last
        WHERE connection_id NOT IN (SELECT connection_id FROM usage_counts);
      UPDATE usage_last SET last_used_at = (
        SELECT max(c.last_used_at) FROM usage_counts c
        WHERE c.connection_id = usage_last.connection_id
      );
    `)
  },
}

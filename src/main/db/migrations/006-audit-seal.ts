import type { Migration } from './types'

/**
 * The keyed audit trail: a MAC per entry and a sealed head, so truncation and a
 * rebuilt chain show (see `audit-chain.ts`). A migration runs without the data key, so nothing is
 * MAC'd here: the head starts unsealed, remembering how many entries were written before the
 * upgrade, and the first unlock after it seals them (`AuditService.seal`).
 *
 * The append-only trigger now lets exactly one UPDATE through: `mac` going from NULL to a value
 * with every other column unchanged (sealing an entry recorded while locked), or, only while
 * `audit_head.rekeying` is set inside a re-encryption's transaction, from one value to another.
 * Triggers only stop mistakes: whoever can write the file can drop them, which is what the MAC
 * is for.
 *
 * Depends on migration 002 (audit_log).
 */
export const auditSeal006: Migration = {
  version: 6,
  name: 'audit-seal',
  up: (db) => {
    const unchanged = [
      'id',
      'time',
      'actor_user',
      'actor_vault',
      'action',
      'target_type',
      'target_id',
      'target_name',
      'environment_id',
      'environment_name',
      'outcome',
      'detail',
      'hash',
    ]
      .map((column) => `NEW.${column} IS OLD.${column}`)
      .join(' AND ')
    db.exec(`
      -- HMAC-SHA256 (hex) of the entry's hash under the audit key; NULL until sealed.
      ALTER TABLE audit_log ADD COLUMN mac TEXT;

      -- One row: the sealed head. mac is NULL until the first unlock after this migration.
      CREATE TABLE audit_head (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        entries        INTEGER NOT NULL CHECK (entries >= 0),
        last_hash      TEXT NOT NULL,
        before_keying  INTEGER NOT NULL DEFAULT 0 CHECK (before_keying >= 0),
        while_locked   INTEGER NOT NULL DEFAULT 0 CHECK (while_locked >= 0),
        keyed_at       TEXT,
        mac            TEXT,
        rekeying       INTEGER NOT NULL DEFAULT 0 CHECK (rekeying IN (0, 1))
      ) STRICT;
      INSERT INTO audit_head (id, entries, last_hash, before_keying)
        VALUES (1, 0, '${'0'.repeat(64)}', (SELECT coalesce(max(id), 0) FROM audit_log));
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, 'The audit head cannot be removed.'); END;

      DROP TRIGGER audit_log_no_update;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN NOT (${unchanged} AND NEW.mac IS NOT NULL
          AND (OLD.mac IS NULL OR (SELECT rekeying FROM audit_head WHERE id = 1) = 1))
        BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only.'); END;
    `)
  },
}

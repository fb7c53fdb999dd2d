import type { Migration } from './types'

/**
 * Sharing: the vault's identity (an age X25519 key and an Ed25519 signing key, private halves
 * wrapped with the data key), contacts, the shares this vault sent, where imported connections
 * came from, and the use-only flag on connections.
 *
 * Depends only on migrations 001 and 002 (connections, environments), so it applies the same
 * whatever other migrations sit between them.
 */
export const sharing004: Migration = {
  version: 4,
  name: 'sharing',
  up: (db) => {
    db.exec(`
      -- One row: this vault's sharing identity. The private keys are stored only wrapped
      -- (AES-256-GCM under the data key, bound to the vault id and their purpose).
      CREATE TABLE sharing_identity (
        id               INTEGER PRIMARY KEY CHECK (id = 1),
        display_name     TEXT NOT NULL,
        age_recipient    TEXT NOT NULL,
        age_identity     BLOB NOT NULL,
        signing_public   TEXT NOT NULL,     -- Ed25519 public key, raw 32 bytes, base64url
        signing_private  BLOB NOT NULL,     -- Ed25519 private key (PKCS#8 DER), wrapped
        created_at       TEXT NOT NULL
      ) STRICT;

      -- Teammates' share addresses. Both keys are unique: one person, one contact.
      CREATE TABLE contacts (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        address        TEXT NOT NULL,
        age_recipient  TEXT NOT NULL UNIQUE,
        signing_public TEXT NOT NULL UNIQUE,
        fingerprint    TEXT NOT NULL,
        verified_at    TEXT,              -- NULL: not yet compared aloud
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX contacts_by_name ON contacts (name COLLATE NOCASE);

      -- Shares this vault made. What and to whom are copied by value (JSON), so the record
      -- outlives a deleted contact or a purged connection. Never any secret.
      CREATE TABLE shares (
        id           TEXT PRIMARY KEY,
        created_at   TEXT NOT NULL,
        expires_at   TEXT NOT NULL,
        use_only     INTEGER NOT NULL CHECK (use_only IN (0, 1)),
        scope        TEXT NOT NULL,       -- environment names (JSON array)
        connections  TEXT NOT NULL,       -- [{ id, name, slug, provider }]
        recipients   TEXT NOT NULL,       -- [{ contactId, name, fingerprint }]; [] with a passphrase
        passphrase   INTEGER NOT NULL CHECK (passphrase IN (0, 1)),
        revoked_at   TEXT
      ) STRICT;
      CREATE INDEX shares_by_time ON shares (created_at DESC);

      -- Where an imported connection came from, and the scope and expiry it carries.
      CREATE TABLE received_shares (
        connection_id      TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
        share_id           TEXT NOT NULL,
        sender_name        TEXT NOT NULL,
        sender_address     TEXT NOT NULL,
        sender_fingerprint TEXT NOT NULL,
        scope              TEXT NOT NULL, -- environment names (JSON array)
        expires_at         TEXT NOT NULL,
        imported_at        TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX received_shares_by_share ON received_shares (share_id);

      -- Use-only: never revealed, copied or shared again by this app (ConnectionsService and
      -- SharingService enforce it; resolution enforces its scope and expiry).
      ALTER TABLE connections ADD COLUMN use_only INTEGER NOT NULL DEFAULT 0
        CHECK (use_only IN (0, 1));
    `)
  },
}

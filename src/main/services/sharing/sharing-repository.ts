import type { Database } from '../../db/database'

export interface IdentityRow {
  display_name: string
  age_recipient: string
  /** The age identity (AGE-SECRET-KEY-1…), wrapped with the data key. */
  age_identity: Buffer
  signing_public: string
  /** The Ed25519 private key (PKCS#8 DER), wrapped with the data key. */
  signing_private: Buffer
  created_at: string
  /** 1 once the user chose the name (it starts as the OS user name). */
  name_chosen: number
}

export interface ContactRow {
  id: string
  name: string
  address: string
  age_recipient: string
  signing_public: string
  fingerprint: string
  verified_at: string | null
  created_at: string
  updated_at: string
}

export interface ShareRow {
  id: string
  created_at: string
  expires_at: string
  use_only: number
  scope: string
  connections: string
  recipients: string
  passphrase: number
  revoked_at: string | null
}

export interface ReceivedRow {
  connection_id: string
  share_id: string
  sender_name: string
  sender_address: string
  sender_fingerprint: string
  scope: string
  expires_at: string
  imported_at: string
  /** Set on imports of a share that names its source (format 2): what a re-send is matched on. */
  sender_signing_key: string | null
  source_connection_id: string | null
  source_version: number | null
  /** The share's creation time: orders two shares of one version. */
  shared_at: string | null
}

/** An imported connection and where it came from, found by its source. */
export interface HeldRow extends ReceivedRow {
  name: string
  slug: string
  deleted_at: string | null
}

export interface EnvironmentRef {
  id: string
  name: string
  slug: string
  protected: number
}

export interface LocalConnectionRef {
  id: string
  name: string
  slug: string
  provider: string
  deleted_at: string | null
  use_only: number
}

const CONTACT_COLUMNS =
  'id, name, address, age_recipient, signing_public, fingerprint, verified_at, created_at, updated_at'
const RECEIVED_COLUMNS =
  'connection_id, share_id, sender_name, sender_address, sender_fingerprint, scope, expires_at, imported_at, sender_signing_key, source_connection_id, source_version, shared_at'
const SHARE_COLUMNS =
  'id, created_at, expires_at, use_only, scope, connections, recipients, passphrase, revoked_at'

/** SQL for the sharing tables (migration 004). Rows in, rows out: no crypto, no validation. */
export class SharingRepository {
  private readonly s

  constructor(readonly db: Database) {
    this.s = {
      identity: db.prepare(
        'SELECT display_name, age_recipient, age_identity, signing_public, signing_private, created_at, name_chosen FROM sharing_identity WHERE id = 1',
      ),
      insertIdentity: db.prepare(
        `INSERT OR IGNORE INTO sharing_identity (id, display_name, age_recipient, age_identity, signing_public, signing_private, created_at, name_chosen)
         VALUES (1, @display_name, @age_recipient, @age_identity, @signing_public, @signing_private, @created_at, @name_chosen)`,
      ),
      renameIdentity: db.prepare(
        'UPDATE sharing_identity SET display_name = ?, name_chosen = 1 WHERE id = 1',
      ),
      rewrapIdentity: db.prepare(
        'UPDATE sharing_identity SET age_identity = ?, signing_private = ? WHERE id = 1',
      ),
      contacts: db.prepare(
        `SELECT ${CONTACT_COLUMNS} FROM contacts ORDER BY name COLLATE NOCASE, id`,
      ),
      contact: db.prepare(`SELECT ${CONTACT_COLUMNS} FROM contacts WHERE id = ?`),
      contactByName: db.prepare(
        `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE name = ? COLLATE NOCASE`,
      ),
      contactByRecipient: db.prepare(
        `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE age_recipient = ?`,
      ),
      contactBySigningKey: db.prepare(
        `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE signing_public = ?`,
      ),
      insertContact: db.prepare(
        `INSERT INTO contacts (${CONTACT_COLUMNS}) VALUES (@id, @name, @address, @age_recipient, @signing_public, @fingerprint, @verified_at, @created_at, @updated_at)`,
      ),
      updateContact: db.prepare(
        `UPDATE contacts SET name = @name, address = @address, age_recipient = @age_recipient, signing_public = @signing_public,
           fingerprint = @fingerprint, verified_at = @verified_at, updated_at = @updated_at WHERE id = @id`,
      ),
      deleteContact: db.prepare('DELETE FROM contacts WHERE id = ?'),
      shares: db.prepare(`SELECT ${SHARE_COLUMNS} FROM shares ORDER BY created_at DESC, id`),
      share: db.prepare(`SELECT ${SHARE_COLUMNS} FROM shares WHERE id = ?`),
      insertShare: db.prepare(
        `INSERT INTO shares (${SHARE_COLUMNS}) VALUES (@id, @created_at, @expires_at, @use_only, @scope, @connections, @recipients, @passphrase, @revoked_at)`,
      ),
      revokeShare: db.prepare(
        'UPDATE shares SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      ),
      received: db.prepare(
        `SELECT ${RECEIVED_COLUMNS} FROM received_shares WHERE connection_id = ?`,
      ),
      heldFromSource: db.prepare(
        `SELECT ${RECEIVED_COLUMNS.split(', ')
          .map((column) => `r.${column}`)
          .join(', ')}, c.name, c.slug, c.deleted_at
         FROM received_shares r JOIN connections c ON c.id = r.connection_id
         WHERE r.sender_signing_key = ? AND r.source_connection_id = ?
         ORDER BY c.deleted_at IS NOT NULL, r.imported_at DESC LIMIT 1`,
      ),
      upsertReceived: db.prepare(
        `INSERT INTO received_shares (${RECEIVED_COLUMNS})
         VALUES (@connection_id, @share_id, @sender_name, @sender_address, @sender_fingerprint, @scope, @expires_at, @imported_at,
           @sender_signing_key, @source_connection_id, @source_version, @shared_at)
         ON CONFLICT (connection_id) DO UPDATE SET share_id = excluded.share_id, sender_name = excluded.sender_name,
           sender_address = excluded.sender_address, sender_fingerprint = excluded.sender_fingerprint,
           scope = excluded.scope, expires_at = excluded.expires_at, imported_at = excluded.imported_at,
           sender_signing_key = excluded.sender_signing_key, source_connection_id = excluded.source_connection_id,
           source_version = excluded.source_version, shared_at = excluded.shared_at`,
      ),
      deleteReceived: db.prepare('DELETE FROM received_shares WHERE connection_id = ?'),
      countReceived: db.prepare('SELECT count(*) AS n FROM received_shares WHERE share_id = ?'),
      environments: db.prepare(
        'SELECT id, name, slug, protected FROM environments ORDER BY position',
      ),
      connectionBySlug: db.prepare(
        'SELECT id, name, slug, provider, deleted_at, use_only FROM connections WHERE slug = ?',
      ),
      connectionUseOnly: db.prepare('SELECT use_only FROM connections WHERE id = ?'),
      connectionSlug: db.prepare('SELECT slug FROM connections WHERE id = ?'),
      setUseOnly: db.prepare('UPDATE connections SET use_only = ? WHERE id = ?'),
      authorize: db.prepare(
        'INSERT OR IGNORE INTO authorizations (connection_id, environment_id, created_at) VALUES (?, ?, ?)',
      ),
    }
  }

  identity(): IdentityRow | undefined {
    return this.s.identity.get() as IdentityRow | undefined
  }
  /** Inserts the identity unless one exists (two first uses at once keep the first). */
  insertIdentity(row: IdentityRow): boolean {
    return this.s.insertIdentity.run(row).changes === 1
  }
  renameIdentity(name: string): void {
    this.s.renameIdentity.run(name)
  }
  rewrapIdentity(ageIdentity: Buffer, signingPrivate: Buffer): void {
    this.s.rewrapIdentity.run(ageIdentity, signingPrivate)
  }

  contacts(): ContactRow[] {
    return this.s.contacts.all() as ContactRow[]
  }
  contact(id: string): ContactRow | undefined {
    return this.s.contact.get(id) as ContactRow | undefined
  }
  contactByName(name: string): ContactRow | undefined {
    return this.s.contactByName.get(name) as ContactRow | undefined
  }
  contactByRecipient(recipient: string): ContactRow | undefined {
    return this.s.contactByRecipient.get(recipient) as ContactRow | undefined
  }
  contactBySigningKey(key: string): ContactRow | undefined {
    return this.s.contactBySigningKey.get(key) as ContactRow | undefined
  }
  insertContact(row: ContactRow): void {
    this.s.insertContact.run(row)
  }
  updateContact(row: ContactRow): void {
    this.s.updateContact.run(row)
  }
  deleteContact(id: string): void {
    this.s.deleteContact.run(id)
  }

  shares(): ShareRow[] {
    return this.s.shares.all() as ShareRow[]
  }
  share(id: string): ShareRow | undefined {
    return this.s.share.get(id) as ShareRow | undefined
  }
  insertShare(row: ShareRow): void {
    this.s.insertShare.run(row)
  }
  revokeShare(id: string, at: string): void {
    this.s.revokeShare.run(at, id)
  }

  received(connectionId: string): ReceivedRow | undefined {
    return this.s.received.get(connectionId) as ReceivedRow | undefined
  }
  /** The connection imported from this signer's connection `sourceId`, live ones first. */
  heldFromSource(signingKey: string, sourceId: string): HeldRow | undefined {
    return this.s.heldFromSource.get(signingKey, sourceId) as HeldRow | undefined
  }
  upsertReceived(row: ReceivedRow): void {
    this.s.upsertReceived.run(row)
  }
  deleteReceived(connectionId: string): void {
    this.s.deleteReceived.run(connectionId)
  }
  countReceived(shareId: string): number {
    return (this.s.countReceived.get(shareId) as { n: number }).n
  }

  environments(): EnvironmentRef[] {
    return this.s.environments.all() as EnvironmentRef[]
  }
  connectionBySlug(slug: string): LocalConnectionRef | undefined {
    return this.s.connectionBySlug.get(slug) as LocalConnectionRef | undefined
  }
  slugOf(connectionId: string): string {
    return (this.s.connectionSlug.get(connectionId) as { slug: string }).slug
  }
  isUseOnly(connectionId: string): boolean {
    const row = this.s.connectionUseOnly.get(connectionId) as { use_only: number } | undefined
    return row?.use_only === 1
  }
  setUseOnly(connectionId: string, useOnly: boolean): void {
    this.s.setUseOnly.run(useOnly ? 1 : 0, connectionId)
  }
  authorize(connectionId: string, environmentId: string, at: string): void {
    this.s.authorize.run(connectionId, environmentId, at)
  }
}

import { randomUUID } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import {
  checkAddressSchema,
  contactInputSchema,
  setNameSchema,
  verifyContactSchema,
  type AddressCheck,
  type Contact,
  type ContactInput,
  type ExportInput,
  type ImportResult,
  type ResendTargets,
  type ShareHolding,
  type SharePreview,
  type ShareRecord,
  type SharingIdentity,
} from '../../../shared/sharing'
import { parseInput } from '../../../shared/validation'
import type { Logger } from '../../log'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { Vault } from '../vault/vault'
import { DEFAULT_SCRYPT_WORK_FACTOR } from './age-file'
import type { ShareOperationContext } from './share-operation'
import {
  defaultIdentityName,
  newIdentityRow,
  publicIdentity,
  rewrapIdentity,
  unlockIdentity,
  type UnlockedIdentity,
} from './identity'
import { parseAddress } from './share-address'
import { exportShare, type ExportedShare, type ExportOptions } from './share-export'
import { applyShare, type ApplyInput } from './share-import'
import { previewShare, type ShareSource } from './share-preview'
import { resendConnection, resendTargets, shareHoldings, type ResentShares } from './share-resend'
import {
  SharingRepository,
  type ContactRow,
  type IdentityRow,
  type ShareRow,
} from './sharing-repository'

export type { ApplyInput, ExportedShare, ResentShares, ShareSource }

export interface SharingOptions {
  vault: Vault
  connections: ConnectionsService
  audit: AuditService
  log: Logger
  now?: () => Date
  /** scrypt work factor (log2 N) for passphrase shares: age's default, 18, unless a test lowers it. */
  scryptWorkFactor?: number
  /** The name a new identity starts with; the OS user name by default. */
  defaultName?: string
  /**
   * The "Refuse use-only shares of secrets that tools receive as they are" setting, read at each
   * export so a change applies at once; off when absent.
   */
  refuseExposedUseOnly?: () => boolean
}

/**
 * Sharing, usable from the app, the CLI and tests alike (plain Node): this vault's identity,
 * contacts, export of connections to contacts or a passphrase, import with preview, trust on
 * first use and conflict choices, and the record of shares sent with their revocation.
 */
export class SharingService {
  private repository: SharingRepository | undefined
  private creating: Promise<void> | undefined
  private readonly context: ShareOperationContext

  constructor(private readonly options: SharingOptions) {
    const now = options.now ?? (() => new Date())
    this.context = {
      vault: options.vault,
      connections: options.connections,
      audit: options.audit,
      log: options.log,
      now,
      scryptWorkFactor: options.scryptWorkFactor ?? DEFAULT_SCRYPT_WORK_FACTOR,
      repo: () => this.repo(),
      identity: () => this.unlockedIdentity(),
      refuseExposedUseOnly: options.refuseExposedUseOnly ?? (() => false),
    }
  }

  private repo(): SharingRepository {
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new SharingRepository(db)
    return this.repository
  }

  private now(): Date {
    return this.context.now()
  }

  /** This vault's identity (created on first use: vaults made before sharing get one then). */
  async identity(): Promise<SharingIdentity> {
    return publicIdentity(await this.identityRow())
  }

  async setName(raw: { name: string }): Promise<SharingIdentity> {
    const { name } = parseInput(setNameSchema, raw)
    await this.identityRow()
    const repo = this.repo()
    repo.db.transaction(() => {
      repo.renameIdentity(name)
      this.options.audit.record({
        action: 'sharing.identity',
        detail: 'Name sent with shares changed',
      })
    })()
    return this.identity()
  }

  private async identityRow(): Promise<IdentityRow> {
    const key = this.options.vault.requireKey()
    const existing = this.repo().identity()
    if (existing) return existing
    // Generating is async (age): concurrent first uses share one creation.
    this.creating ??= this.create(key).finally(() => {
      this.creating = undefined
    })
    await this.creating
    const row = this.repo().identity()
    if (!row) throw new Error('The sharing identity was not stored.')
    return row
  }

  private async create(key: Buffer): Promise<void> {
    const vaultId = this.options.vault.vaultId()
    const row = await newIdentityRow(
      key,
      vaultId,
      this.options.defaultName ?? defaultIdentityName(),
      this.now().toISOString(),
    )
    const repo = this.repo()
    repo.db.transaction(() => {
      if (repo.insertIdentity(row)) {
        this.options.audit.record({
          action: 'sharing.identity',
          detail: `Sharing identity created; fingerprint ${publicIdentity(row).fingerprint}`,
        })
      }
    })()
    this.options.log.info('sharing.identity-created')
  }

  private async unlockedIdentity(): Promise<UnlockedIdentity> {
    const row = await this.identityRow()
    return unlockIdentity(row, this.options.vault.requireKey(), this.options.vault.vaultId())
  }

  /**
   * This vault's identity with its private keys, for team spaces (a member signs with it and
   * unwraps team keys with it). Main side only: never over IPC.
   */
  localIdentity(): Promise<UnlockedIdentity> {
    return this.unlockedIdentity()
  }

  /** The age identity (AGE-SECRET-KEY-1…) in clear. For interop tests only; never over IPC. */
  async ageIdentityForTests(): Promise<string> {
    return (await this.unlockedIdentity()).ageIdentity
  }

  /** Re-wraps the identity's private keys under a new data key (vault re-encryption). */
  reencryptIdentity(oldKey: Buffer, newKey: Buffer): void {
    rewrapIdentity(this.repo(), oldKey, newKey, this.options.vault.vaultId())
  }

  contacts(): Contact[] {
    this.options.vault.requireKey()
    return this.repo().contacts().map(toContact)
  }

  /** What an address is, before it is saved: its fingerprint, and whether it is known. */
  async checkAddress(raw: { address: string }): Promise<AddressCheck> {
    const { address } = parseInput(checkAddressSchema, raw)
    const parsed = parseAddress(address)
    const own = await this.identityRow()
    const existing =
      this.repo().contactBySigningKey(parsed.signingKey) ??
      this.repo().contactByRecipient(parsed.ageRecipient)
    return {
      fingerprint: parsed.fingerprint,
      existingContact: existing ? { id: existing.id, name: existing.name } : null,
      own: own.signing_public === parsed.signingKey || own.age_recipient === parsed.ageRecipient,
    }
  }

  async addContact(raw: ContactInput): Promise<Contact> {
    const input = parseInput(contactInputSchema, raw)
    const parsed = parseAddress(input.address)
    const check = await this.checkAddress({ address: parsed.address })
    if (check.own) {
      throw new BridgekeepError(
        'VALIDATION',
        'That is this vault’s own share address.',
        'Paste your teammate’s address: they find it under Sharing → Your identity.',
        [{ field: 'address', message: 'Share address: this is your own address.' }],
      )
    }
    if (check.existingContact) {
      throw new BridgekeepError(
        'CONFLICT',
        `That address is already your contact "${check.existingContact.name}".`,
        'Rename that contact instead, if the name is what should change.',
        [{ field: 'address', message: `Share address: already "${check.existingContact.name}".` }],
      )
    }
    const repo = this.repo()
    this.requireFreeName(input.name)
    const at = this.now().toISOString()
    const row: ContactRow = {
      id: randomUUID(),
      name: input.name,
      address: parsed.address,
      age_recipient: parsed.ageRecipient,
      signing_public: parsed.signingKey,
      fingerprint: parsed.fingerprint,
      verified_at: null,
      created_at: at,
      updated_at: at,
    }
    repo.db.transaction(() => {
      repo.insertContact(row)
      this.options.audit.record({
        action: 'contact.add',
        target: { type: 'contact', id: row.id, name: row.name },
        detail: `Fingerprint ${row.fingerprint}; not verified`,
      })
    })()
    this.options.log.info('contact.added')
    return toContact(row)
  }

  /** Marks a contact verified after comparing fingerprints aloud (or takes that back). */
  verifyContact(raw: { id: string; verified: boolean }): Contact {
    const input = parseInput(verifyContactSchema, raw)
    const row = this.requireContact(input.id)
    const at = this.now().toISOString()
    const next = { ...row, verified_at: input.verified ? at : null, updated_at: at }
    const repo = this.repo()
    repo.db.transaction(() => {
      repo.updateContact(next)
      this.options.audit.record({
        action: 'contact.verify',
        target: { type: 'contact', id: row.id, name: row.name },
        detail: input.verified
          ? `Fingerprint ${row.fingerprint} compared and marked verified`
          : 'Marked not verified',
      })
    })()
    return toContact(next)
  }

  deleteContact(id: string): void {
    const row = this.requireContact(id)
    const repo = this.repo()
    repo.db.transaction(() => {
      repo.deleteContact(row.id)
      this.options.audit.record({
        action: 'contact.delete',
        target: { type: 'contact', id: row.id, name: row.name },
        detail: `Fingerprint ${row.fingerprint}`,
      })
    })()
  }

  export(input: ExportInput, options: ExportOptions = {}): Promise<ExportedShare> {
    return exportShare(this.context, input, options)
  }

  importPreview(source: ShareSource): Promise<SharePreview> {
    return previewShare(this.context, source)
  }

  importApply(input: ApplyInput): Promise<ImportResult> {
    return applyShare(this.context, input)
  }

  /** Who a re-send of the connection (after a rotation) would reach. */
  resendTargets(connectionId: string): ResendTargets {
    this.options.vault.requireKey()
    return resendTargets(this.context, connectionId)
  }

  /**
   * Shares the connection's current version again with everyone its live shares reached (not
   * passphrase shares): same scope, use-only flag and duration, a new expiry.
   */
  resend(connectionId: string, options: ExportOptions = {}): Promise<ResentShares> {
    this.options.vault.requireKey()
    return resendConnection(this.context, connectionId, options)
  }

  /** Per recipient and connection, the newest version sent to them. */
  holdings(): ShareHolding[] {
    this.options.vault.requireKey()
    return shareHoldings(this.context)
  }

  /** Shares this vault sent, newest first, each outstanding, expired or revoked. */
  shares(): ShareRecord[] {
    this.options.vault.requireKey()
    const now = this.now()
    return this.repo()
      .shares()
      .map((row) => toRecord(row, now))
  }

  /**
   * Marks a share revoked. A delivered share cannot be recalled: whoever has the file can
   * still import it until it expires, and whoever imported it still has the secret. The remedy
   * is rotating the secret at its provider (the UI opens the rotate dialog next).
   */
  revoke(id: string): ShareRecord {
    this.options.vault.requireKey()
    const repo = this.repo()
    const row = repo.share(id)
    if (!row) throw new BridgekeepError('NOT_FOUND', 'That share does not exist.')
    if (row.revoked_at === null) {
      const at = this.now().toISOString()
      const names = (JSON.parse(row.connections) as { name: string }[]).map((c) => c.name)
      repo.db.transaction(() => {
        repo.revokeShare(id, at)
        this.options.audit.record({
          action: 'share.revoke',
          target: { type: 'share', id, name: names.slice(0, 5).join(', ') },
          detail:
            'Marked revoked; a delivered share cannot be recalled: rotate the secrets it carried',
        })
      })()
      this.options.log.info('share.revoked', { connections: names.length })
    }
    return toRecord(repo.share(id)!, this.now())
  }

  private requireContact(id: string): ContactRow {
    this.options.vault.requireKey()
    const row = this.repo().contact(id)
    if (!row) throw new BridgekeepError('NOT_FOUND', 'That contact does not exist any more.')
    return row
  }

  private requireFreeName(name: string): void {
    const holder = this.repo().contactByName(name)
    if (holder) {
      throw new BridgekeepError(
        'CONFLICT',
        `You already have a contact named "${holder.name}".`,
        'Choose another name, e.g. with the team or the machine in brackets.',
        [{ field: 'name', message: `Name: "${holder.name}" is taken.` }],
      )
    }
  }
}

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    fingerprint: row.fingerprint,
    verifiedAt: row.verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function toRecord(row: ShareRow, now: Date): ShareRecord {
  const expired = Date.parse(row.expires_at) <= now.getTime()
  return {
    id: row.id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    useOnly: row.use_only === 1,
    scope: JSON.parse(row.scope) as string[],
    connections: JSON.parse(row.connections) as ShareRecord['connections'],
    recipients: JSON.parse(row.recipients) as ShareRecord['recipients'],
    passphrase: row.passphrase === 1,
    revokedAt: row.revoked_at,
    status: row.revoked_at !== null ? 'revoked' : expired ? 'expired' : 'outstanding',
  }
}

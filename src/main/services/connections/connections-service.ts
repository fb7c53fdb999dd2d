import type { z } from 'zod'
import {
  TRASH_RETENTION_DAYS,
  type connectionUpdateSchema,
  type rotateInputSchema,
  type ConnectionDetail,
  type ConnectionSummary,
} from '../../../shared/connections'
import { BridgekeepError } from '../../../shared/errors'
import type { ReceivedShare } from '../../../shared/sharing'
import { maskSecret } from '../../../shared/providers'
import type { Logger } from '../../log'
import { requireConnection } from '../find-by-ref'
import type { AuditService } from '../audit/audit-service'
import { describeReference, type SecretReference } from '../../../shared/secret-reference'
import type { Vault } from '../vault/vault'
import { ConnectionsRepository } from './connections-repository'
import { writeTransaction } from '../../db/database'
import { ConnectionEditor } from './connection-editor'
import {
  fieldSpec,
  integrityMessage,
  labelOf,
  missingLocalReferences,
  requireLiveRow,
  requireProvider,
  requireRow,
  toSummary,
  useOnlyError,
} from './connection-rules'
import { ConnectionSecrets } from './connection-secrets'

export interface ConnectionsOptions {
  vault: Vault
  log: Logger
  /** Records every change, reveal and copy in the audit trail, a change in its own transaction. */
  audit?: Pick<AuditService, 'record' | 'recordFailure'>
  /** Where `copy` puts a secret (cleared after a while); the app's, or the CLI's memory one. */
  clipboard?: { copy(value: string): number }
  now?: () => Date
}

/** What ConnectionsService's parts share: its options, the repository and the clock. */
export interface ConnectionsParts extends ConnectionsOptions {
  repo: () => ConnectionsRepository
  now: () => Date
}

/**
 * Connections: validated against the provider catalog, secrets encrypted per field and version
 * with the vault's data key. Lists and details never carry a secret value; `reveal` and `copy`
 * (audited here, before the value leaves) and `storedSecrets` (the stored form: values, and
 * references not read; secretsForUse reads those at the moment of use) are the only ways out.
 * Writing a connection's form is ConnectionEditor's, encrypting its secrets ConnectionSecrets'.
 */
export class ConnectionsService {
  private readonly now: () => Date
  private repository: ConnectionsRepository | undefined
  private readonly secrets: ConnectionSecrets
  private readonly editor: ConnectionEditor

  constructor(private readonly options: ConnectionsOptions) {
    this.now = options.now ?? (() => new Date())
    const repo = () => this.repo()
    this.secrets = new ConnectionSecrets(options.vault, repo)
    // Through `this.now`, which tests may replace to move the clock.
    this.editor = new ConnectionEditor({ ...options, repo, now: () => this.now() }, this.secrets)
  }

  private repo(): ConnectionsRepository {
    // Built lazily: the database opens with the vault, not at app start; built again when the
    // vault's file was reopened (a backup restored over it).
    const db = this.options.vault.database()
    if (this.repository?.db !== db) this.repository = new ConnectionsRepository(db)
    return this.repository
  }

  list(options: { trash?: boolean } = {}): ConnectionSummary[] {
    this.options.vault.requireKey()
    const rows = options.trash ? this.repo().listTrash() : this.repo().list()
    return rows.map(toSummary)
  }

  /**
   * The live connection a reference names: its slug, or its name (any case). Several with that
   * name must be told apart by slug; one in the trash is named as such.
   */
  findByRef(ref: string): ConnectionSummary {
    return this.findManyByRef([ref])[0]!
  }

  /** Several at once, from one read of the list (a share of 1,000 names them all). */
  findManyByRef(refs: readonly string[]): ConnectionSummary[] {
    const live = this.list()
    let trashed: ConnectionSummary[] | undefined
    return refs.map((ref) =>
      requireConnection(live, ref, () => (trashed ??= this.list({ trash: true }))),
    )
  }

  /** `clearIdentifiers`: identifier fields also carry their value (the app's details page). */
  get(id: string, options: { clearIdentifiers?: boolean } = {}): ConnectionDetail {
    const key = this.options.vault.requireKey()
    const row = requireRow(this.repo(), id)
    const provider = requireProvider(row.provider)
    const useOnly = row.use_only === 1
    const config = JSON.parse(row.config) as Record<string, string>
    const decrypted: Record<string, string> = {}
    const secrets = this.secrets.readFields(key, row, row.current_version).map((stored) => {
      if ('damaged' in stored) return { field: stored.field, damaged: true }
      // A reference has no value here: the details show where it points.
      if ('reference' in stored)
        return {
          field: stored.field,
          reference: describeReference(stored.reference),
          damaged: false,
        }
      const spec = fieldSpec(provider, stored.field)
      decrypted[stored.field] = stored.value
      return {
        field: stored.field,
        // A use-only secret shows nothing of itself, not even its last four characters.
        masked: maskSecret(stored.value, !useOnly && (spec?.revealLast4 ?? false)),
        ...(options.clearIdentifiers && spec?.identifier && !useOnly
          ? { clear: stored.value }
          : {}),
        damaged: false,
      }
    })
    const damaged = secrets
      .filter((secret) => secret.damaged)
      .map((secret) => labelOf(provider, secret.field))
    const derived = provider.derive?.(config, decrypted) ?? {}
    return {
      ...toSummary(row),
      config,
      notes: row.notes,
      secrets,
      versions: this.repo().versions(row.id),
      ...(damaged.length > 0 ? { integrityError: integrityMessage(row.name, damaged) } : {}),
      ...(row.short_lived_only === 1 ? { shortLivedOnly: true } : {}),
      ...this.receivedShare(row.id),
      ...(Object.keys(derived).length > 0 ? { derived } : {}),
    }
  }

  /** Where an imported connection came from: sender, scope, expiry (sharing, migration 004). */
  private receivedShare(id: string): { share?: ReceivedShare } {
    const received = this.repo().received(id)
    if (!received) return {}
    return {
      share: {
        shareId: received.share_id,
        sharedBy: received.sender_name,
        senderFingerprint: received.sender_fingerprint,
        scope: JSON.parse(received.scope) as string[],
        expiresAt: received.expires_at,
        expired: Date.parse(received.expires_at) <= this.now().getTime(),
        importedAt: received.imported_at,
      },
    }
  }

  create(raw: unknown): ConnectionDetail {
    const [id] = this.createMany([raw])
    return this.get(id!)
  }

  /**
   * Creates many connections in one transaction (imports): all of them or, on the first invalid
   * one, none. Returns their ids in order. `imported`: a reference to another vault's runner is
   * kept as it is (see missingHere), where one typed here must name a runner of this vault.
   */
  createMany(raws: readonly unknown[], options: { imported?: boolean } = {}): string[] {
    return this.editor.createMany(raws, options)
  }

  /** What a connection's settings name that this vault does not have (another vault's runner). */
  missingHere(config: Record<string, string>): string[] {
    return missingLocalReferences(this.repo(), config).map((issue) => issue.message)
  }

  /**
   * Edits a connection. Secret fields left out keep their stored values; any new secret value
   * writes a new version (a rotation), carrying the untouched secrets over.
   */
  update(patch: z.output<typeof connectionUpdateSchema>): ConnectionDetail {
    return this.get(this.editor.update(patch))
  }

  /** Writes new values or references for secret fields (at least one) as a new version. */
  rotate(input: z.output<typeof rotateInputSchema>): ConnectionDetail {
    return this.get(this.editor.rotate(input))
  }

  /**
   * Replaces what a connection holds (authentication, settings, secrets, labels, notes) with
   * `raw`, validated like a new connection. The secrets become a new version, so the old one is
   * kept as a version; id, name, slug and authorizations stay. For imports that replace a
   * connection by slug; the provider must be the same.
   */
  overwrite(id: string, raw: unknown, detail: string): ConnectionDetail {
    return this.get(this.editor.overwrite(id, raw, detail))
  }

  trash(id: string): ConnectionSummary {
    const row = requireLiveRow(this.repo(), id)
    this.options.vault.requireKey()
    const at = this.now().toISOString()
    writeTransaction(this.repo().db, () => {
      this.repo().update({ ...row, deleted_at: at, updated_at: at })
      this.audit('connection.trash', row, `Moved to the trash (${row.provider})`)
    })
    this.options.log.info('connection.trashed', { provider: row.provider })
    return toSummary(requireRow(this.repo(), id))
  }

  restore(id: string): ConnectionSummary {
    this.options.vault.requireKey()
    const row = requireRow(this.repo(), id)
    if (row.deleted_at === null) return toSummary(row)
    writeTransaction(this.repo().db, () => {
      this.repo().update({ ...row, deleted_at: null, updated_at: this.now().toISOString() })
      this.audit('connection.restore', row, `Restored from the trash (${row.provider})`)
    })
    this.options.log.info('connection.restored', { provider: row.provider })
    return toSummary(requireRow(this.repo(), id))
  }

  /** Deletes a trashed connection for good, with all its secret versions. */
  purge(id: string): void {
    this.options.vault.requireKey()
    const row = requireRow(this.repo(), id)
    if (row.deleted_at === null) {
      throw new BridgekeepError(
        'CONFLICT',
        `Connection "${row.name}" is not in the trash.`,
        'Move it to the trash first; purging is only for trashed connections.',
      )
    }
    writeTransaction(this.repo().db, () => {
      this.repo().remove(id)
      this.audit('connection.purge', row, `Deleted for good (${row.provider})`)
    })
    this.options.log.info('connection.purged', { provider: row.provider })
  }

  /** Purges what has been in the trash longer than the retention period; returns how many. */
  purgeExpired(): number {
    const cutoff = new Date(this.now().getTime() - TRASH_RETENTION_DAYS * 86_400_000).toISOString()
    const expired = this.repo().expiredTrash(cutoff)
    writeTransaction(this.repo().db, () =>
      expired.forEach((row) => {
        this.repo().remove(row.id)
        this.audit(
          'connection.purge',
          row,
          `Deleted for good after ${TRASH_RETENTION_DAYS} days in the trash`,
        )
      }),
    )
    return expired.length
  }

  /** One secret value in clear, for an explicit reveal; audited before it leaves. */
  reveal(id: string, field: string): string {
    const value = this.readAudited('connection.reveal', id, field)
    this.options.log.info('connection.revealed', { field })
    return value
  }

  /** One secret value put in the clipboard, audited; returns the seconds until it is cleared. */
  copy(id: string, field: string): { clearAfterSeconds: number } {
    const clipboard = this.options.clipboard
    if (!clipboard) throw new Error('ConnectionsService: no clipboard to copy to')
    const clearAfterSeconds = clipboard.copy(this.readAudited('connection.copy', id, field))
    this.options.log.info('connection.copied', { field })
    return { clearAfterSeconds }
  }

  /** Reads one secret for reveal or copy; the audit entry (the field key, never the value) first. */
  private readAudited(
    action: 'connection.reveal' | 'connection.copy',
    id: string,
    field: string,
  ): string {
    const entry = {
      action,
      target: { type: 'connection' as const, id },
      detail: `Field ${field.slice(0, 64)}`,
    }
    let value: string
    try {
      const key = this.options.vault.requireKey()
      const row = requireRow(this.repo(), id)
      if (row.use_only === 1) throw useOnlyError(row.name, 'revealed or copied')
      value = this.secrets.readCurrentField(key, row, field)
    } catch (error) {
      this.options.audit?.recordFailure(entry, error)
      throw error
    }
    this.options.audit?.record(entry)
    return value
  }

  /**
   * Every stored secret and reference of one version (the current one by default). Operations
   * that use a connection go through secretsForUse (services/references/), which reads the
   * references too; this alone is for what works on the stored form (sharing, rotation, tests).
   */
  storedSecrets(
    id: string,
    version?: number,
  ): {
    version: number
    secrets: Record<string, string>
    references: Record<string, SecretReference>
  } {
    const key = this.options.vault.requireKey()
    const row = requireLiveRow(this.repo(), id)
    const pinned = version ?? row.current_version
    return { version: pinned, ...this.secrets.decryptVersion(key, row, pinned) }
  }

  /**
   * Which of `values` differ from the secret values the connection holds now (field keys only,
   * sorted; a damaged one always differs): `apply -f` tells "unchanged" from a rotation without
   * any stored value leaving this service.
   */
  differingSecrets(id: string, values: Readonly<Record<string, string>>): string[] {
    const key = this.options.vault.requireKey()
    const row = requireLiveRow(this.repo(), id)
    const { secrets: stored } = this.secrets.readVersion(key, row, row.current_version)
    return Object.keys(values)
      .filter((field) => stored[field] !== values[field])
      .sort()
  }

  /** Re-encrypts every stored field under a new data key (inside the vault's transaction). */
  reencryptAll(oldKey: Buffer, newKey: Buffer): void {
    this.secrets.reencryptAll(oldKey, newKey)
  }

  private audit(
    action: 'connection.trash' | 'connection.restore' | 'connection.purge',
    row: { id: string; name: string },
    detail: string,
  ): void {
    this.options.audit?.record({
      action,
      target: { type: 'connection', id: row.id, name: row.name },
      detail,
    })
  }
}

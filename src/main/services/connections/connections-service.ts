import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import {
  connectionInputSchema,
  connectionUpdateSchema,
  rotateInputSchema,
  slugify,
  TRASH_RETENTION_DAYS,
  type ConnectionDetail,
  type ConnectionSummary,
} from '../../../shared/connections'
import { BridgekeepError } from '../../../shared/errors'
import type { ReceivedShare } from '../../../shared/sharing'
import { invalid, parseInput } from '../../../shared/validation'
import {
  fieldApplies,
  getProvider,
  maskSecret,
  validateConnectionValues,
  type AuthMode,
  type FieldSpec,
  type ProviderSpec,
} from '../../../shared/providers'
import type { Logger } from '../../log'
import { requireConnection } from '../find-by-ref'
import type { AuditService } from '../audit/audit-service'
import {
  decryptField,
  encryptField,
  IntegrityError,
  type FieldBinding,
} from '../../security/envelope'
import type { Vault } from '../vault/vault'
import {
  ConnectionsRepository,
  type ConnectionRow,
  type SummaryRow,
} from './connections-repository'
import { writeTransaction } from '../../db/database'

/** Versions kept besides the current one, for operations that started before a rotation. */
export const KEEP_PREVIOUS_VERSIONS = 5

export interface ConnectionsOptions {
  vault: Vault
  log: Logger
  /** Records every change, reveal and copy in the audit trail, a change in its own transaction. */
  audit?: Pick<AuditService, 'record' | 'recordFailure'>
  /** Where `copy` puts a secret (cleared after a while); the app's, or the CLI's memory one. */
  clipboard?: { copy(value: string): number }
  now?: () => Date
}

/**
 * Connections: validated against the provider catalog, secrets encrypted per field and version
 * with the vault's data key. Lists and details never carry a secret value; `reveal` and `copy`
 * (audited here, before the value leaves) and `secretsFor` (whose callers audit the use) are the
 * only ways out.
 */
export class ConnectionsService {
  private readonly now: () => Date
  private repository: ConnectionsRepository | undefined

  constructor(private readonly options: ConnectionsOptions) {
    this.now = options.now ?? (() => new Date())
  }

  private repo(): ConnectionsRepository {
    // Built lazily: the database opens with the vault, not at app start.
    this.repository ??= new ConnectionsRepository(this.options.vault.database())
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

  get(id: string): ConnectionDetail {
    const key = this.options.vault.requireKey()
    const row = this.requireRow(id)
    const provider = this.providerOf(row)
    const useOnly = row.use_only === 1
    const secrets = this.repo()
      .fields(row.id, row.current_version)
      .map((field) => {
        const spec = fieldSpec(provider, field.field)
        try {
          const value = decryptField(
            key,
            field.ciphertext,
            this.binding(row.id, field.version, field.field),
          )
          return {
            field: field.field,
            // A use-only secret shows nothing of itself, not even its last four characters.
            masked: maskSecret(value, !useOnly && (spec?.revealLast4 ?? false)),
            damaged: false,
          }
        } catch (error) {
          if (!(error instanceof IntegrityError)) throw error
          return { field: field.field, damaged: true }
        }
      })
    const damaged = secrets
      .filter((secret) => secret.damaged)
      .map((secret) => labelOf(provider, secret.field))
    return {
      ...toSummary(row),
      config: JSON.parse(row.config) as Record<string, string>,
      notes: row.notes,
      secrets,
      versions: this.repo().versions(row.id),
      ...(damaged.length > 0 ? { integrityError: integrityMessage(row.name, damaged) } : {}),
      ...this.receivedShare(row.id),
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
   * one, none. Returns their ids in order.
   */
  createMany(raws: readonly unknown[]): string[] {
    return writeTransaction(this.repo().db, () => raws.map((raw) => this.insertOne(raw)))
  }

  private insertOne(raw: unknown): string {
    const key = this.options.vault.requireKey()
    const input = parseInput(connectionInputSchema, raw)
    const provider = requireProvider(input.provider)
    requireAuthMode(provider, input.authMode)
    const result = validateConnectionValues(provider.id, input.authMode, input.values)
    if (!result.ok) throw invalid(result.issues)
    const at = this.now().toISOString()
    const id = randomUUID()
    writeTransaction(this.repo().db, () => {
      const slug = input.slug
        ? this.requireFreeSlug(input.slug)
        : this.freeSlug(slugify(input.name))
      this.repo().insert({
        id,
        name: input.name,
        slug,
        provider: provider.id,
        auth_mode: input.authMode,
        config: JSON.stringify(result.config),
        labels: JSON.stringify(uniqueLabels(input.labels)),
        notes: input.notes,
        current_version: 1,
        created_at: at,
        updated_at: at,
        deleted_at: null,
      })
      this.writeVersion(key, id, 1, result.secrets, at)
      this.options.audit?.record({
        action: 'connection.create',
        target: { type: 'connection', id, name: input.name },
        detail: `${provider.label}, ${input.authMode}`,
      })
    })
    this.options.log.info('connection.created', { provider: provider.id })
    return id
  }

  /**
   * Edits a connection. Secret fields left out keep their stored values; any new secret value
   * writes a new version (a rotation), carrying the untouched secrets over.
   */
  update(raw: unknown): ConnectionDetail {
    const key = this.options.vault.requireKey()
    const patch = parseInput(connectionUpdateSchema, raw)
    const row = this.requireLiveRow(patch.id)
    const provider = this.providerOf(row)
    if (row.use_only === 1) refuseUseOnlyEdit(row, patch)
    const authMode = patch.authMode ?? row.auth_mode
    requireAuthMode(provider, authMode)

    // Validate the whole form as it will be: config, stored secrets, then the edit. A secret
    // field left empty means "keep the stored value"; an emptied plain field clears it.
    const { secrets: stored, damaged } = this.readVersion(key, row, row.current_version)
    const edits: Record<string, string> = {}
    for (const [field, value] of Object.entries(patch.values ?? {})) {
      if (fieldSpec(provider, field)?.secret && value.trim() === '') continue
      edits[field] = value
    }
    const plain = { ...(JSON.parse(row.config) as Record<string, string>), ...edits }
    const mode = authMode as AuthMode
    const applies = (field: string) => {
      const spec = fieldSpec(provider, field)
      return spec !== undefined && fieldApplies(spec, mode, plain)
    }
    // A damaged secret can only be replaced (that is the remedy), never carried over.
    const stillDamaged = damaged.filter((field) => !(field in edits) && applies(field))
    if (stillDamaged.length > 0) {
      throw damagedError(
        row.name,
        stillDamaged.map((field) => labelOf(provider, field)),
      )
    }
    // Stored secrets carry over only where they still apply (another auth mode or source drops
    // them).
    const carried = Object.fromEntries(
      Object.entries(stored).filter(([field]) => !(field in edits) && applies(field)),
    )
    let result = validateConnectionValues(provider.id, authMode, { ...plain, ...carried })
    const editedSecrets = Object.keys(edits).some((field) => fieldSpec(provider, field)?.secret)
    if (!result.ok && editedSecrets) {
      // The new secrets may replace a whole method (Cloudflare token -> global key): without the
      // stored ones the form may be valid, and that is what the user meant.
      const replaced = validateConnectionValues(provider.id, authMode, plain)
      if (replaced.ok) result = replaced
    }
    if (!result.ok) throw invalid(result.issues)
    const secrets = result.secrets
    const changedSecrets = !sameRecord(secrets, stored)
    const at = this.now().toISOString()
    const version = changedSecrets ? row.current_version + 1 : row.current_version
    writeTransaction(this.repo().db, () => {
      const slug =
        patch.slug !== undefined && patch.slug !== row.slug
          ? this.requireFreeSlug(patch.slug)
          : row.slug
      if (changedSecrets) this.writeVersion(key, row.id, version, secrets, at)
      const next: ConnectionRow = {
        ...row,
        name: patch.name ?? row.name,
        slug,
        auth_mode: authMode,
        config: JSON.stringify(result.config),
        labels: JSON.stringify(
          patch.labels ? uniqueLabels(patch.labels) : (JSON.parse(row.labels) as string[]),
        ),
        notes: patch.notes ?? row.notes,
        current_version: version,
        updated_at: at,
      }
      this.repo().update(next)
      if (changedSecrets) this.repo().removeVersionsBelow(row.id, version - KEEP_PREVIOUS_VERSIONS)
      this.options.audit?.record({
        action: changedSecrets ? 'connection.rotate' : 'connection.update',
        target: { type: 'connection', id: row.id, name: next.name },
        detail: changedSecrets
          ? `Secret version ${version}: ${changedKeys(stored, secrets).join(', ')}`
          : editDetail(row, next),
      })
    })
    this.options.log.info(changedSecrets ? 'connection.rotated' : 'connection.updated', {
      provider: provider.id,
    })
    return this.get(row.id)
  }

  /** Writes new values for secret fields (at least one) as a new version. */
  rotate(raw: unknown): ConnectionDetail {
    const input = parseInput(rotateInputSchema, raw)
    const row = this.requireLiveRow(input.id)
    const provider = this.providerOf(row)
    const given = Object.entries(input.secrets).filter(([, value]) => value.trim() !== '')
    const notSecret = given.filter(([field]) => !fieldSpec(provider, field)?.secret)
    if (notSecret.length > 0) {
      throw invalid(
        notSecret.map(([field]) => ({
          field,
          message: `${labelOf(provider, field)}: is not a secret field of ${provider.label}; edit it instead.`,
        })),
      )
    }
    if (given.length === 0) {
      throw invalid([{ field: '', message: 'Enter at least one new secret value to rotate.' }])
    }
    return this.update({ id: input.id, values: Object.fromEntries(given) })
  }

  trash(id: string): ConnectionSummary {
    const row = this.requireLiveRow(id)
    this.options.vault.requireKey()
    const at = this.now().toISOString()
    writeTransaction(this.repo().db, () => {
      this.repo().update({ ...row, deleted_at: at, updated_at: at })
      this.audit('connection.trash', row, `Moved to the trash (${row.provider})`)
    })
    this.options.log.info('connection.trashed', { provider: row.provider })
    return toSummary(this.requireRow(id))
  }

  restore(id: string): ConnectionSummary {
    this.options.vault.requireKey()
    const row = this.requireRow(id)
    if (row.deleted_at === null) return toSummary(row)
    writeTransaction(this.repo().db, () => {
      this.repo().update({ ...row, deleted_at: null, updated_at: this.now().toISOString() })
      this.audit('connection.restore', row, `Restored from the trash (${row.provider})`)
    })
    this.options.log.info('connection.restored', { provider: row.provider })
    return toSummary(this.requireRow(id))
  }

  /** Deletes a trashed connection for good, with all its secret versions. */
  purge(id: string): void {
    this.options.vault.requireKey()
    const row = this.requireRow(id)
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
      value = this.readSecret(id, field)
    } catch (error) {
      this.options.audit?.recordFailure(entry, error)
      throw error
    }
    this.options.audit?.record(entry)
    return value
  }

  private readSecret(id: string, field: string): string {
    const key = this.options.vault.requireKey()
    const row = this.requireRow(id)
    if (row.use_only === 1) throw useOnlyError(row.name, 'revealed or copied')
    const provider = this.providerOf(row)
    const stored = this.repo()
      .fields(row.id, row.current_version)
      .find((f) => f.field === field)
    if (!stored) {
      throw new BridgekeepError(
        'NOT_FOUND',
        `Connection "${row.name}" has no stored ${labelOf(provider, field)}.`,
      )
    }
    try {
      return decryptField(key, stored.ciphertext, this.binding(row.id, stored.version, field))
    } catch (error) {
      if (error instanceof IntegrityError) throw damagedError(row.name, [labelOf(provider, field)])
      throw error
    }
  }

  /**
   * Replaces what a connection holds (authentication, settings, secrets, labels, notes) with
   * `raw`, validated like a new connection. The secrets become a new version, so the old one is
   * kept as a version; id, name, slug and authorizations stay. For imports that replace a
   * connection by slug; the provider must be the same.
   */
  overwrite(id: string, raw: unknown, detail: string): ConnectionDetail {
    const key = this.options.vault.requireKey()
    const input = parseInput(connectionInputSchema, raw)
    const row = this.requireLiveRow(id)
    const provider = this.providerOf(row)
    if (input.provider !== row.provider) {
      throw new BridgekeepError(
        'CONFLICT',
        `Connection "${row.name}" is a ${provider.label} connection; it cannot be replaced by a ${getProvider(input.provider)?.label ?? input.provider} one.`,
        'Import it under another name instead, or skip it.',
      )
    }
    requireAuthMode(provider, input.authMode)
    const result = validateConnectionValues(provider.id, input.authMode, input.values)
    if (!result.ok) throw invalid(result.issues)
    const at = this.now().toISOString()
    const version = row.current_version + 1
    this.repo().db.transaction(() => {
      this.writeVersion(key, row.id, version, result.secrets, at)
      this.repo().update({
        ...row,
        auth_mode: input.authMode,
        config: JSON.stringify(result.config),
        labels: JSON.stringify(uniqueLabels(input.labels)),
        notes: input.notes,
        current_version: version,
        updated_at: at,
      })
      this.repo().removeVersionsBelow(row.id, version - KEEP_PREVIOUS_VERSIONS)
      this.options.audit?.record({
        action: 'connection.rotate',
        target: { type: 'connection', id: row.id, name: row.name },
        detail: `Secret version ${version}: ${detail}`,
      })
    })()
    this.options.log.info('connection.overwritten', { provider: provider.id })
    return this.get(row.id)
  }

  /** Every secret of one version (the current one by default), for operations that use them. */
  secretsFor(id: string, version?: number): { version: number; secrets: Record<string, string> } {
    const key = this.options.vault.requireKey()
    const row = this.requireLiveRow(id)
    const pinned = version ?? row.current_version
    return { version: pinned, secrets: this.decryptVersion(key, row, pinned) }
  }

  /** Re-encrypts every stored field under a new data key (inside the vault's transaction). */
  reencryptAll(oldKey: Buffer, newKey: Buffer): void {
    for (const field of this.repo().allFields()) {
      const binding = this.binding(field.connection_id, field.version, field.field)
      let value: string
      try {
        value = decryptField(oldKey, field.ciphertext, binding)
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error
        const row = this.repo().get(field.connection_id)
        throw damagedError(
          row?.name ?? field.connection_id,
          [field.field],
          'Rotate or purge it, then re-encrypt again.',
        )
      }
      this.repo().replaceCiphertext({ ...field, ciphertext: encryptField(newKey, value, binding) })
    }
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

  private writeVersion(
    key: Buffer,
    id: string,
    version: number,
    secrets: Record<string, string>,
    at: string,
  ): void {
    this.repo().insertVersion(id, version, at)
    for (const [field, value] of Object.entries(secrets)) {
      this.repo().insertField(
        id,
        version,
        field,
        encryptField(key, value, this.binding(id, version, field)),
      )
    }
  }

  private decryptVersion(key: Buffer, row: ConnectionRow, version: number): Record<string, string> {
    const { secrets, damaged } = this.readVersion(key, row, version)
    if (damaged.length > 0)
      throw damagedError(
        row.name,
        damaged.map((f) => labelOf(this.providerOf(row), f)),
      )
    return secrets
  }

  /** The secrets of one version, and the fields that failed their integrity check. */
  private readVersion(
    key: Buffer,
    row: ConnectionRow,
    version: number,
  ): { secrets: Record<string, string>; damaged: string[] } {
    const fields = this.repo().fields(row.id, version)
    if (
      fields.length === 0 &&
      !this.repo()
        .versions(row.id)
        .some((v) => v.version === version)
    ) {
      throw new BridgekeepError(
        'NOT_FOUND',
        `Connection "${row.name}" has no secret version ${version} (it was pruned).`,
      )
    }
    const secrets: Record<string, string> = {}
    const damaged: string[] = []
    for (const field of fields) {
      try {
        secrets[field.field] = decryptField(
          key,
          field.ciphertext,
          this.binding(row.id, version, field.field),
        )
      } catch (error) {
        if (!(error instanceof IntegrityError)) throw error
        damaged.push(field.field)
      }
    }
    return { secrets, damaged }
  }

  private binding(connectionId: string, secretVersion: number, field: string): FieldBinding {
    return { vaultId: this.options.vault.vaultId(), connectionId, field, secretVersion }
  }

  private providerOf(row: ConnectionRow): ProviderSpec {
    return requireProvider(row.provider)
  }

  private requireRow(id: string): ConnectionRow {
    const row = this.repo().get(id)
    if (!row)
      throw new BridgekeepError(
        'NOT_FOUND',
        'That connection does not exist (it may have been purged).',
      )
    return row
  }

  private requireLiveRow(id: string): ConnectionRow {
    const row = this.requireRow(id)
    if (row.deleted_at !== null) {
      throw new BridgekeepError(
        'CONFLICT',
        `Connection "${row.name}" is in the trash.`,
        'Restore it first.',
      )
    }
    return row
  }

  private requireFreeSlug(slug: string): string {
    const holder = this.repo().bySlug(slug)
    if (holder) {
      throw invalid([
        {
          field: 'slug',
          message: `Slug: "${slug}" is already used by "${holder.name}"${holder.deleted_at ? ' (in the trash)' : ''}. Choose another.`,
        },
      ])
    }
    return slug
  }

  /** `base`, or `base-2`, `base-3`... whichever is free first. */
  private freeSlug(base: string): string {
    const taken = new Set(this.repo().slugsStartingWith(base))
    if (!taken.has(base)) return base
    for (let n = 2; ; n++) {
      const candidate = `${base.slice(0, 60)}-${n}`
      if (!taken.has(candidate)) return candidate
    }
  }
}

function toSummary(row: SummaryRow): ConnectionSummary {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    provider: row.provider,
    authMode: row.auth_mode,
    labels: JSON.parse(row.labels) as string[],
    secretVersion: row.current_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    ...(row.last_used_at === undefined ? {} : { lastUsedAt: row.last_used_at }),
    ...(row.use_only === 1 ? { useOnly: true } : {}),
  }
}

/**
 * A use-only connection keeps its name, slug, labels and notes editable; its authentication,
 * settings and secrets came from the sender and stay as sent (pointing it at another host would
 * hand the secret to whoever runs that host).
 */
function refuseUseOnlyEdit(row: ConnectionRow, patch: z.output<typeof connectionUpdateSchema>) {
  const config = JSON.parse(row.config) as Record<string, string>
  const changesAuth = patch.authMode !== undefined && patch.authMode !== row.auth_mode
  const changesValues = Object.entries(patch.values ?? {}).some(([field, value]) =>
    field in config ? config[field] !== value : value.trim() !== '',
  )
  if (changesAuth || changesValues) throw useOnlyError(row.name, 'changed (settings or secrets)')
}

function useOnlyError(name: string, what: string): BridgekeepError {
  return new BridgekeepError(
    'USE_ONLY',
    `Connection "${name}" is use-only: it was shared with you to be used by tools, not to be ${what}.`,
    'Ask the person who shared it if you need something else; they can send a new share.',
  )
}

/** Secret field keys whose value differs (keys only: never the values). */
function changedKeys(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((key) => before[key] !== after[key]).sort()
}

/** "Changed: name, labels, region": what an edit touched, by property and field key. */
function editDetail(before: ConnectionRow, after: ConnectionRow): string {
  const changed: string[] = []
  for (const [key, label] of [
    ['name', 'name'],
    ['slug', 'slug'],
    ['auth_mode', 'authentication'],
    ['labels', 'labels'],
    ['notes', 'notes'],
  ] as const) {
    if (before[key] !== after[key]) changed.push(label)
  }
  const config = changedKeys(
    JSON.parse(before.config) as Record<string, string>,
    JSON.parse(after.config) as Record<string, string>,
  )
  changed.push(...config)
  return changed.length > 0 ? `Changed: ${changed.join(', ')}` : 'Saved without changes'
}

function requireProvider(id: string): ProviderSpec {
  const provider = getProvider(id)
  if (!provider)
    throw invalid([
      { field: 'provider', message: `Provider: "${id}" is not a provider Bridgekeep knows.` },
    ])
  return provider
}

function requireAuthMode(provider: ProviderSpec, authMode: string): void {
  if (!(provider.authModes as readonly string[]).includes(authMode)) {
    throw invalid([
      {
        field: 'authMode',
        message: `Authentication: ${provider.label} supports ${provider.authModes.join(', ')}, not "${authMode}".`,
      },
    ])
  }
}

function fieldSpec(provider: ProviderSpec, key: string): FieldSpec | undefined {
  return provider.fields.find((field) => field.key === key)
}

function labelOf(provider: ProviderSpec, key: string): string {
  return fieldSpec(provider, key)?.label ?? key
}

function uniqueLabels(labels: string[]): string[] {
  return [...new Set(labels.map((label) => label.trim()))]
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

function integrityMessage(name: string, labels: string[]): string {
  return `Connection "${name}": the stored ${labels.join(', ')} failed the integrity check (the vault file was altered or damaged).`
}

function damagedError(name: string, labels: string[], hint?: string): BridgekeepError {
  return new BridgekeepError(
    'VAULT_INTEGRITY',
    integrityMessage(name, labels),
    hint ??
      'Rotate the secret to store a new value, or restore the vault from a backup. Other connections are unaffected.',
  )
}

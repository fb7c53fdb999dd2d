import type { z } from 'zod'
import { RUNNER_FIELD } from '../../../shared/providers/runner-field'
import { randomUUID } from 'node:crypto'
import {
  connectionInputSchema,
  type connectionUpdateSchema,
  type rotateInputSchema,
  slugify,
} from '../../../shared/connections'
import { BridgekeepError } from '../../../shared/errors'
import { invalid, parseInput } from '../../../shared/validation'
import {
  fieldApplies,
  getProvider,
  validateConnectionValues,
  type AuthMode,
  type ProviderSpec,
} from '../../../shared/providers'
import type { ValidationResult } from '../../../shared/providers/validate'
import type { SecretReference } from '../../../shared/secret-reference'
import { writeTransaction } from '../../db/database'
import type { ConnectionRow } from './connections-repository'
import {
  changedKeys,
  damagedError,
  editDetail,
  fieldSpec,
  labelOf,
  refuseUseOnlyEdit,
  requireAuthMode,
  requireExchange,
  requireKnownRunner,
  requireLiveRow,
  requireProvider,
  sameRecord,
  uniqueLabels,
} from './connection-rules'
import type { ConnectionSecrets } from './connection-secrets'
import { changedReferenceKeys, referenceIssues, sameReferences } from './connection-references'
import type { ConnectionsParts } from './connections-service'

/** Versions kept besides the current one, for operations that started before a rotation. */
const KEEP_PREVIOUS_VERSIONS = 5

/**
 * Writing connections: a form validated against the provider catalog (create, edit, rotate, an
 * import's overwrite), its secrets as a new version, and the audit entry, in one transaction.
 * Each returns the connection's id; ConnectionsService answers with its details.
 */
export class ConnectionEditor {
  constructor(
    private readonly options: ConnectionsParts,
    private readonly secrets: ConnectionSecrets,
  ) {}

  private repo() {
    return this.options.repo()
  }

  private now(): Date {
    return this.options.now()
  }

  /**
   * Creates many connections in one transaction (imports): all of them or, on the first invalid
   * one, none. Returns their ids in order.
   */
  createMany(raws: readonly unknown[], options: { imported?: boolean } = {}): string[] {
    return writeTransaction(this.repo().db, () =>
      raws.map((raw) => this.insertOne(raw, options.imported === true)),
    )
  }

  private insertOne(raw: unknown, imported: boolean): string {
    const key = this.options.vault.requireKey()
    const input = parseInput(connectionInputSchema, raw)
    const provider = requireProvider(input.provider)
    requireAuthMode(provider, input.authMode)
    const references = input.references ?? {}
    const result = validateForm(provider, input.authMode, input.values, references)
    if (input.shortLivedOnly) requireExchange(provider, input.authMode, result.config)
    // An import keeps what names another vault's things (its preview says what is missing here).
    if (!imported) requireKnownRunner(this.repo(), result.config)
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
      if (input.shortLivedOnly) this.repo().setShortLivedOnly(id, true)
      this.secrets.writeVersion(key, id, 1, { secrets: result.secrets, references }, at)
      this.options.audit?.record({
        action: 'connection.create',
        target: { type: 'connection', id, name: input.name },
        detail: `${provider.label}, ${input.authMode}${input.shortLivedOnly ? ', short-lived credentials only' : ''}`,
      })
    })
    this.options.log.info('connection.created', { provider: provider.id })
    return id
  }

  /**
   * Edits a connection. Secret fields left out keep their stored values or references; any new
   * secret value or reference writes a new version (a rotation), carrying the untouched ones over.
   */
  update(patch: z.output<typeof connectionUpdateSchema>): string {
    const key = this.options.vault.requireKey()
    const row = requireLiveRow(this.repo(), patch.id)
    const provider = requireProvider(row.provider)
    if (row.use_only === 1) refuseUseOnlyEdit(row, patch)
    const authMode = patch.authMode ?? row.auth_mode
    requireAuthMode(provider, authMode)

    // Validate the whole form as it will be: config, stored secrets, then the edit. A secret
    // field left empty means "keep the stored value"; an emptied plain field clears it.
    const {
      secrets: stored,
      references: storedRefs,
      damaged,
    } = this.secrets.readVersion(key, row, row.current_version)
    const edits: Record<string, string> = {}
    for (const [field, value] of Object.entries(patch.values ?? {})) {
      if (fieldSpec(provider, field)?.secret && value.trim() === '') continue
      edits[field] = value
    }
    const newRefs = patch.references ?? {}
    const plain = { ...(JSON.parse(row.config) as Record<string, string>), ...edits }
    const mode = authMode as AuthMode
    const applies = (field: string) => {
      const spec = fieldSpec(provider, field)
      return spec !== undefined && fieldApplies(spec, mode, plain)
    }
    // A field given now (a value or a reference) replaces what it held; the others carry over.
    const untouched = (field: string) => !(field in edits) && !(field in newRefs) && applies(field)
    // A damaged secret can only be replaced (that is the remedy), never carried over.
    const stillDamaged = damaged.filter(untouched)
    if (stillDamaged.length > 0) {
      throw damagedError(
        row.name,
        stillDamaged.map((field) => labelOf(provider, field)),
      )
    }
    // Stored secrets and references carry over only where they still apply (another auth mode
    // or source drops them).
    const carried = Object.fromEntries(Object.entries(stored).filter(([field]) => untouched(field)))
    const carriedRefs = Object.fromEntries(
      Object.entries(storedRefs).filter(([field]) => untouched(field)),
    )
    let references = { ...carriedRefs, ...newRefs }
    let result = validation(provider, authMode, { ...plain, ...carried }, references)
    const editedSecrets =
      Object.keys(newRefs).length > 0 ||
      Object.keys(edits).some((field) => fieldSpec(provider, field)?.secret)
    if (!result.ok && editedSecrets) {
      // The new secrets may replace a whole method (Cloudflare token -> global key): without the
      // stored ones the form may be valid, and that is what the user meant.
      const replaced = validation(provider, authMode, plain, newRefs)
      if (replaced.ok) {
        result = replaced
        references = newRefs
      }
    }
    if (!result.ok) throw invalid(result.issues)
    // Turned on, or kept on through a change of authentication or settings.
    if (patch.shortLivedOnly ?? row.short_lived_only === 1)
      requireExchange(provider, authMode, result.config)
    // A runner chosen here must exist; one kept from an import may be missing still (the import
    // preview said so), and other edits of that connection stay possible.
    const before = (JSON.parse(row.config) as Record<string, string>)[RUNNER_FIELD]
    if (result.config[RUNNER_FIELD] !== before) requireKnownRunner(this.repo(), result.config)
    const secrets = result.secrets
    const changedSecrets = !sameRecord(secrets, stored) || !sameReferences(references, storedRefs)
    const at = this.now().toISOString()
    const version = changedSecrets ? row.current_version + 1 : row.current_version
    writeTransaction(this.repo().db, () => {
      const slug =
        patch.slug !== undefined && patch.slug !== row.slug
          ? this.requireFreeSlug(patch.slug)
          : row.slug
      if (changedSecrets)
        this.secrets.writeVersion(key, row.id, version, { secrets, references }, at)
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
        ...(patch.shortLivedOnly === undefined
          ? {}
          : { short_lived_only: patch.shortLivedOnly ? 1 : 0 }),
      }
      this.repo().update(next)
      if (patch.shortLivedOnly !== undefined)
        this.repo().setShortLivedOnly(row.id, patch.shortLivedOnly)
      if (changedSecrets) this.repo().removeVersionsBelow(row.id, version - KEEP_PREVIOUS_VERSIONS)
      this.options.audit?.record({
        action: changedSecrets ? 'connection.rotate' : 'connection.update',
        target: { type: 'connection', id: row.id, name: next.name },
        detail: changedSecrets
          ? `Secret version ${version}: ${[...new Set([...changedKeys(stored, secrets), ...changedReferenceKeys(storedRefs, references)])].sort().join(', ')}`
          : editDetail(row, next),
      })
    })
    this.options.log.info(changedSecrets ? 'connection.rotated' : 'connection.updated', {
      provider: provider.id,
    })
    return row.id
  }

  /** Writes new values or references for secret fields (at least one) as a new version. */
  rotate(input: z.output<typeof rotateInputSchema>): string {
    const row = requireLiveRow(this.repo(), input.id)
    const provider = requireProvider(row.provider)
    const given = Object.entries(input.secrets).filter(([, value]) => value.trim() !== '')
    const references = input.references ?? {}
    const notSecret = [...given, ...Object.entries(references)].filter(
      ([field]) => !fieldSpec(provider, field)?.secret,
    )
    if (notSecret.length > 0) {
      throw invalid(
        notSecret.map(([field]) => ({
          field,
          message: `${labelOf(provider, field)}: is not a secret field of ${provider.label}; edit it instead.`,
        })),
      )
    }
    if (given.length === 0 && Object.keys(references).length === 0) {
      throw invalid([{ field: '', message: 'Enter at least one new secret value to rotate.' }])
    }
    return this.update({ id: input.id, values: Object.fromEntries(given), references })
  }

  /**
   * Replaces what a connection holds (authentication, settings, secrets, labels, notes) with
   * `raw`, validated like a new connection. The secrets become a new version, so the old one is
   * kept as a version; id, name, slug and authorizations stay. For imports that replace a
   * connection by slug; the provider must be the same.
   */
  overwrite(id: string, raw: unknown, detail: string): string {
    const key = this.options.vault.requireKey()
    const input = parseInput(connectionInputSchema, raw)
    const row = requireLiveRow(this.repo(), id)
    const provider = requireProvider(row.provider)
    if (input.provider !== row.provider) {
      throw new BridgekeepError(
        'CONFLICT',
        `Connection "${row.name}" is a ${provider.label} connection; it cannot be replaced by a ${getProvider(input.provider)?.label ?? input.provider} one.`,
        'Import it under another name instead, or skip it.',
      )
    }
    requireAuthMode(provider, input.authMode)
    const references = input.references ?? {}
    const result = validateForm(provider, input.authMode, input.values, references)
    const at = this.now().toISOString()
    const version = row.current_version + 1
    this.repo().db.transaction(() => {
      this.secrets.writeVersion(key, row.id, version, { secrets: result.secrets, references }, at)
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
    return row.id
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

/**
 * A whole form validated against the catalog with its references: a referenced secret counts as
 * given (its content is read at each use), and the references themselves must fit.
 */
function validation(
  provider: ProviderSpec,
  authMode: string,
  values: Readonly<Record<string, string>>,
  references: Readonly<Record<string, SecretReference>>,
): ValidationResult {
  const issues = referenceIssues(provider, authMode, values, references)
  if (issues.length > 0) return { ok: false, issues }
  return validateConnectionValues(provider.id, authMode, values, {
    referenced: Object.keys(references),
  })
}

/** validation(), refused with its issues when the form is not valid. */
function validateForm(
  provider: ProviderSpec,
  authMode: string,
  values: Readonly<Record<string, string>>,
  references: Readonly<Record<string, SecretReference>>,
): { config: Record<string, string>; secrets: Record<string, string> } {
  const result = validation(provider, authMode, values, references)
  if (!result.ok) throw invalid(result.issues)
  return result
}

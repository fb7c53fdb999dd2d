import { randomUUID } from 'node:crypto'
import { requireProtectedConfirmation } from '../environments/protected-confirmation'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import { importOptionsSchema, type ImportOptions, type ImportResult } from '../../../shared/sharing'
import { parseInput } from '../../../shared/validation'
import { listNames } from '../../../shared/wording'
import { findEnvironment } from '../find-by-ref'
import { auditedFailure, NAMES_LISTED, type ShareOperationContext } from './share-operation'
import type { SharedConnection, SharePayload } from './payload'
import { withBorrowChosen } from './share-import-borrowing'
import { addedScope, heldCopies } from './share-import-held'
import { conflictOf, openShare, type OpenedShare, type ShareSource } from './share-preview'
import type { EnvironmentRef } from './sharing-repository'

export interface ApplyInput extends ImportOptions {
  source: ShareSource
}

/**
 * Imports what the preview showed, with the user's choice per conflicting slug, in one
 * transaction: the connections (use-only flagged), where they came from, their authorizations
 * for the scope environments this vault has, and the sender as a contact if they trusted it.
 * Environments this vault lacks are not created: they are the receiving vault's structure, and
 * resolution keeps enforcing the scope if the user creates and authorizes one later.
 */
export async function applyShare(
  ctx: ShareOperationContext,
  raw: ApplyInput,
): Promise<ImportResult> {
  return auditedFailure(
    ctx,
    { action: 'share.import', target: { type: 'share' }, detail: 'Import refused' },
    () => apply(ctx, raw),
  )
}

async function apply(ctx: ShareOperationContext, raw: ApplyInput): Promise<ImportResult> {
  const { source, ...options } = raw
  const input = parseInput(importOptionsSchema, options)
  const opened = await openShare(ctx, source)
  const { payload, sender } = opened
  if (payload.shareId !== input.shareId) {
    throw new BridgekeepError(
      'CONFLICT',
      'This is not the share that was previewed.',
      'Open the share again and review its preview before importing.',
    )
  }
  const needsTrust = opened.trust === 'unknown' || opened.trust === 'changed'
  if (needsTrust && !input.trustSender) {
    throw new BridgekeepError(
      'SHARE_UNTRUSTED',
      opened.trust === 'changed'
        ? `${payload.sender.name}'s keys are not the ones you have for contact "${opened.contact?.name}" (fingerprint now ${sender.fingerprint}). Nothing was imported.`
        : `${payload.sender.name} is not one of your contacts (fingerprint ${sender.fingerprint}). Nothing was imported.`,
      'Compare the fingerprint with the sender by voice or in person, then confirm that you trust this sender.',
    )
  }
  const slugs = new Set(payload.connections.map((c) => c.slug))
  const choices = new Map(input.choices.map((choice) => [choice.slug, choice]))
  const stray = [...choices.keys()].filter((slug) => !slugs.has(slug))
  if (stray.length > 0) {
    throw new BridgekeepError(
      'VALIDATION',
      `The share has no connection with slug ${listNames(stray, NAMES_LISTED)}.`,
      'Open the share again and choose for the connections its preview lists.',
    )
  }

  const repo = ctx.repo()
  const copies = heldCopies(repo, sender.signingKey, payload)
  const vaultEnvironments = repo.environments()
  const environments = payload.scope
    .map((name) => findEnvironment(vaultEnvironments, name))
    .filter((env): env is EnvironmentRef => env !== undefined)
  const missingEnvironments = payload.scope.filter(
    (name) => !findEnvironment(vaultEnvironments, name),
  )
  /** The environments each imported connection is authorized for: all of the scope for a new
   * one; for a held copy only what the scope adds, so the recipient's own decisions stand. */
  const grantsOf = (connection: SharedConnection): EnvironmentRef[] => {
    const copy = copies.get(connection.slug)
    if (!copy) return environments
    const added = addedScope(copy.held, payload.scope)
    return environments.filter((env) => added.some((name) => findEnvironment([env], name)))
  }
  // The same rule as the matrix and `authorize`: a share may not grant a protected environment
  // (production) without the user saying so, whatever its scope claims.
  const importing = payload.connections.filter(
    (connection) => choices.get(connection.slug)?.action !== 'skip',
  )
  // The connection each borrows is one of this vault's, chosen here: asked before anything else.
  const settings = new Map(
    importing.map((connection) => [
      connection.slug,
      withBorrowChosen(connection, choices.get(connection.slug)?.borrow, {
        copy: copies.get(connection.slug),
        sender: payload.sender.name,
        repo,
        connections: ctx.connections,
      }),
    ]),
  )
  requireProtectedConfirmation(
    environments
      .filter((env) => env.protected === 1)
      .map((env) => ({
        environment: env,
        grant: importing
          .filter((connection) => grantsOf(connection).includes(env))
          .map((connection) => importedName(connection, choices.get(connection.slug), payload)),
        revoke: [],
      })),
    input.confirmProtected,
  )
  const at = ctx.now().toISOString()
  const result: ImportResult = {
    created: [],
    replaced: [],
    updated: [],
    skipped: [],
    authorized: environments.map((env) => env.name),
    missingEnvironments,
    contact: null,
  }
  const origin = `${payload.sender.name} (${sender.fingerprint}), share ${payload.shareId.slice(0, 8)}`
  const terms = `${payload.useOnly ? 'use-only' : 'full copy'}; scope ${payload.scope.join(', ')}; expires ${payload.expiresAt}`

  repo.db.transaction(() => {
    if (needsTrust) result.contact = trustSender(ctx, opened, at)
    for (const connection of payload.connections) {
      const copy = copies.get(connection.slug)
      const local = copy ? undefined : repo.connectionBySlug(connection.slug)
      const conflict = local ? conflictOf(connection, local) : null
      const action = choices.get(connection.slug)?.action ?? (conflict ? undefined : 'create')
      if (action === 'skip') {
        result.skipped.push(connection.slug)
        continue
      }
      if (conflict && (action === undefined || action === 'create')) {
        throw new BridgekeepError(
          'CONFLICT',
          `"${connection.name}": this vault already has a connection with slug ${connection.slug} ("${conflict.name}").`,
          'Choose to import it under another name, replace the existing one, or skip it.',
        )
      }
      const values = { ...settings.get(connection.slug), ...connection.secrets }
      const form = {
        name: connection.name,
        provider: connection.provider,
        authMode: connection.authMode,
        values,
        labels: connection.labels,
        notes: connection.notes,
      }
      let id: string
      try {
        if (copy) {
          // The sender's new version: secrets, settings, scope and expiry change; the local name,
          // slug, id, history and the recipient's authorizations stay.
          id = copy.held.connection_id
          const from = copy.fromVersion === null ? '' : ` (was version ${copy.fromVersion})`
          ctx.connections.overwrite(
            id,
            { ...form, name: copy.held.name },
            `re-sent by ${origin}: version ${copy.toVersion}${from}`,
          )
          result.updated.push({
            id,
            name: copy.held.name,
            slug: copy.held.slug,
            fromVersion: copy.fromVersion,
            toVersion: copy.toVersion,
          })
        } else if (action === 'replace') {
          if (!conflict!.canReplace) {
            throw new BridgekeepError(
              'CONFLICT',
              `"${connection.name}" cannot replace the existing connection: ${conflict!.whyNotReplace}`,
              'Import it under another name, or skip it.',
            )
          }
          id = conflict!.id
          ctx.connections.overwrite(id, form, `replaced from ${origin}`)
          result.replaced.push({ id, name: local!.name, slug: local!.slug })
        } else {
          const name = importedName(connection, choices.get(connection.slug), payload)
          const [created] = ctx.connections.createMany(
            [action === 'rename' ? { ...form, name } : { ...form, slug: connection.slug }],
            { imported: true },
          )
          id = created!
          result.created.push({ id, name, slug: repo.slugOf(id) })
        }
      } catch (error) {
        throw inShare(connection.name, error)
      }
      repo.setUseOnly(id, payload.useOnly)
      repo.upsertReceived({
        connection_id: id,
        share_id: payload.shareId,
        sender_name: payload.sender.name,
        sender_address: sender.address,
        sender_fingerprint: sender.fingerprint,
        scope: JSON.stringify(payload.scope),
        expires_at: payload.expiresAt,
        imported_at: at,
        sender_signing_key: connection.source ? sender.signingKey : null,
        source_connection_id: connection.source?.id ?? null,
        source_version: connection.source?.version ?? null,
        shared_at: payload.createdAt,
      })
      const granted = grantsOf(connection)
      for (const env of granted) repo.authorize(id, env.id, at)
      ctx.audit.record({
        action: 'share.import',
        target: { type: 'connection', id },
        detail: copy
          ? `New version ${copy.toVersion} re-sent by ${origin}; ${terms}; newly authorized for ${granted.map((env) => env.name).join(', ') || 'no environment'}`
          : `From ${origin}; ${terms}; authorized for ${result.authorized.join(', ') || 'no environment'}`,
      })
    }
  })()
  ctx.log.info('share.imported', {
    created: result.created.length,
    replaced: result.replaced.length,
    updated: result.updated.length,
    skipped: result.skipped.length,
    useOnly: payload.useOnly,
  })
  return result
}

/** The name a shared connection gets here: its own, or the one chosen when renamed. */
function importedName(
  connection: SharedConnection,
  choice: { action: string; name?: string | undefined } | undefined,
  payload: SharePayload,
): string {
  if (choice?.action !== 'rename') return connection.name
  return choice.name ?? `${connection.name} (${payload.sender.name})`.slice(0, 100)
}

/** TOFU: the sender becomes a contact (unknown), or the contact takes the new keys (changed). */
function trustSender(
  ctx: ShareOperationContext,
  opened: OpenedShare,
  at: string,
): ImportResult['contact'] {
  const repo = ctx.repo()
  const keys = {
    address: opened.sender.address,
    age_recipient: opened.sender.ageRecipient,
    signing_public: opened.sender.signingKey,
    fingerprint: opened.sender.fingerprint,
  }
  if (opened.contact) {
    // A contact of another person may hold one of these keys: the unique keys must be free.
    for (const holder of [
      repo.contactBySigningKey(keys.signing_public),
      repo.contactByRecipient(keys.age_recipient),
    ]) {
      if (holder && holder.id !== opened.contact.id) repo.deleteContact(holder.id)
    }
    repo.updateContact({ ...opened.contact, ...keys, verified_at: null, updated_at: at })
    ctx.audit.record({
      action: 'contact.update',
      target: { type: 'contact', id: opened.contact.id, name: opened.contact.name },
      detail: `New keys trusted on import; fingerprint ${keys.fingerprint}; not verified`,
    })
    return { id: opened.contact.id, name: opened.contact.name, added: false }
  }
  const id = randomUUID()
  const name = freeContactName(ctx, opened.payload.sender.name)
  repo.insertContact({ id, name, ...keys, verified_at: null, created_at: at, updated_at: at })
  ctx.audit.record({
    action: 'contact.add',
    target: { type: 'contact', id, name },
    detail: `Trusted on import; fingerprint ${keys.fingerprint}; not verified`,
  })
  return { id, name, added: true }
}

function freeContactName(ctx: ShareOperationContext, wanted: string): string {
  const repo = ctx.repo()
  if (!repo.contactByName(wanted)) return wanted
  for (let n = 2; ; n++) {
    const candidate = `${wanted.slice(0, 54)} (${n})`
    if (!repo.contactByName(candidate)) return candidate
  }
}

/** An error about one connection of the share, named as the share names it. */
function inShare(name: string, error: unknown): unknown {
  if (!isBridgekeepError(error) || error.message.startsWith(`"${name}"`)) return error
  return new BridgekeepError(
    error.code,
    `"${name}" in the share: ${error.message}`,
    error.code === 'VALIDATION'
      ? 'The sender may use a newer Bridgekeep with other provider fields. Nothing was imported.'
      : error.hint,
    error.issues,
  )
}

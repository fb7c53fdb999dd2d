import type { z } from 'zod'
import type { connectionUpdateSchema, ConnectionSummary } from '../../../shared/connections'
import { BridgekeepError } from '../../../shared/errors'
import { getProvider, type FieldSpec, type ProviderSpec } from '../../../shared/providers'
import { offersShortLivedOnly, useOnlyDelivery } from '../../../shared/providers/use-only-exchange'
import { RUNNER_FIELD } from '../../../shared/providers/runner-field'
import type { FieldIssue } from '../../../shared/providers/types'
import { LOCAL_RUNNER_NAME } from '../../../shared/runner-protocol/status'
import { invalid } from '../../../shared/validation'
import type { ConnectionRow, ConnectionsRepository, SummaryRow } from './connections-repository'

/*
 * The rules and wording ConnectionsService's parts share: rows found or refused, providers and
 * authentication modes checked, use-only and damaged secrets refused, what an edit changed.
 */

export function requireRow(repo: ConnectionsRepository, id: string): ConnectionRow {
  const row = repo.get(id)
  if (!row)
    throw new BridgekeepError(
      'NOT_FOUND',
      'That connection does not exist (it may have been purged).',
    )
  return row
}

/** The row of a connection not in the trash (CONFLICT for one that is). */
export function requireLiveRow(repo: ConnectionsRepository, id: string): ConnectionRow {
  const row = requireRow(repo, id)
  if (row.deleted_at !== null) {
    throw new BridgekeepError(
      'CONFLICT',
      `Connection "${row.name}" is in the trash.`,
      'Restore it first.',
    )
  }
  return row
}

export function toSummary(row: SummaryRow): ConnectionSummary {
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
export function refuseUseOnlyEdit(
  row: ConnectionRow,
  patch: z.output<typeof connectionUpdateSchema>,
) {
  const config = JSON.parse(row.config) as Record<string, string>
  const changesAuth = patch.authMode !== undefined && patch.authMode !== row.auth_mode
  const changesValues = Object.entries(patch.values ?? {}).some(([field, value]) =>
    field in config ? config[field] !== value : value.trim() !== '',
  )
  const changesReferences = Object.keys(patch.references ?? {}).length > 0
  if (changesAuth || changesValues || changesReferences)
    throw useOnlyError(row.name, 'changed (settings or secrets)')
}

export function useOnlyError(name: string, what: string): BridgekeepError {
  return new BridgekeepError(
    'USE_ONLY',
    `Connection "${name}" is use-only: it was shared with you to be used by tools, not to be ${what}.`,
    'Ask the person who shared it if you need something else; they can send a new share.',
  )
}

/** Secret field keys whose value differs (keys only: never the values). */
export function changedKeys(
  before: Record<string, string>,
  after: Record<string, string>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((key) => before[key] !== after[key]).sort()
}

/** "Changed: name, labels, region": what an edit touched, by property and field key. */
export function editDetail(before: ConnectionRow, after: ConnectionRow): string {
  const changed: string[] = []
  for (const [key, label] of [
    ['name', 'name'],
    ['slug', 'slug'],
    ['auth_mode', 'authentication'],
    ['labels', 'labels'],
    ['notes', 'notes'],
    ['short_lived_only', 'short-lived credentials only'],
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

export function requireProvider(id: string): ProviderSpec {
  const provider = getProvider(id)
  if (!provider)
    throw invalid([
      { field: 'provider', message: `Provider: "${id}" is not a provider Bridgekeep knows.` },
    ])
  return provider
}

export function requireAuthMode(provider: ProviderSpec, authMode: string): void {
  if (!(provider.authModes as readonly string[]).includes(authMode)) {
    throw invalid([
      {
        field: 'authMode',
        message: `Authentication: ${provider.label} supports ${provider.authModes.join(', ')}, not "${authMode}".`,
      },
    ])
  }
}

/** "Short-lived credentials only" is offered only where the stored secret has an exchange. */
export function requireExchange(
  provider: ProviderSpec,
  authMode: string,
  config: Readonly<Record<string, string>>,
): void {
  if (offersShortLivedOnly(provider.id, authMode, config)) return
  throw invalid([
    {
      field: 'shortLivedOnly',
      message: `Short-lived credentials only: ${provider.label} (${authMode}) has no exchange for short-lived credentials; its tools receive ${useOnlyDelivery(provider.id, authMode, config).what}.`,
    },
  ])
}

export function fieldSpec(provider: ProviderSpec, key: string): FieldSpec | undefined {
  return provider.fields.find((field) => field.key === key)
}

export function labelOf(provider: ProviderSpec, key: string): string {
  return fieldSpec(provider, key)?.label ?? key
}

export function uniqueLabels(labels: string[]): string[] {
  return [...new Set(labels.map((label) => label.trim()))]
}

export function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key])
}

export function integrityMessage(name: string, labels: string[]): string {
  return `Connection "${name}": the stored ${labels.join(', ')} failed the integrity check (the vault file was altered or damaged).`
}

export function damagedError(name: string, labels: string[], hint?: string): BridgekeepError {
  return new BridgekeepError(
    'VAULT_INTEGRITY',
    integrityMessage(name, labels),
    hint ??
      'Rotate the secret to store a new value, or restore the vault from a backup. Other connections are unaffected.',
  )
}

/**
 * What a connection's config names that lives in one vault only and is missing from this one: a
 * runner (the Runner field). Imports keep such a reference as it is (a share from a vault with
 * runner build-eu still imports) and say what is missing; an operation on it then names the
 * missing runner. The local runner needs no credentials row: it is made when first started.
 */
export function missingLocalReferences(
  repo: ConnectionsRepository,
  config: Record<string, string>,
): FieldIssue[] {
  const name = config[RUNNER_FIELD]
  if (!name || name === LOCAL_RUNNER_NAME || repo.hasRunner(name)) return []
  return [
    {
      field: RUNNER_FIELD,
      message: `this connection uses runner ${name}, which this vault does not have: create it with 'bridgekeep runner credentials --name ${name}' (or choose another runner on the connection; 'bridgekeep runner list' shows the names).`,
    },
  ]
}

/** A connection created or edited by hand must name a runner of this vault. */
export function requireKnownRunner(
  repo: ConnectionsRepository,
  config: Record<string, string>,
): void {
  const missing = missingLocalReferences(repo, config)
  if (missing.length > 0)
    throw invalid(missing.map((issue) => ({ ...issue, message: `Runner: ${issue.message}` })))
}

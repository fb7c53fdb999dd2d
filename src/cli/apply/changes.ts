import type { ConnectionDetail } from '../../shared/connections'
import type { Environment } from '../../shared/environments'
import { describeReference } from '../../shared/secret-reference'
import type { ConnectionDocument } from './document'

/**
 * One difference between a document and the vault, by the document's path. The texts are what may
 * be shown: a secret is never in them ("(changed)", "(value from stdin)"), a reference is its
 * text form (env:DB_PASSWORD).
 */
export interface Change {
  path: string
  before?: string
  after?: string
  /** Shown instead of before -> after (a secret value, a long text). */
  summary?: string
}

const FROM_STDIN = '(value from stdin)'
const STORED = '(stored value)'

/** What the vault holds of the connection, for an update. */
export interface Current {
  detail: ConnectionDetail
  /** Secret fields given on stdin whose value differs from the stored one. */
  differingSecrets: readonly string[]
  granted: readonly Environment[]
  revoked: readonly Environment[]
}

/** The changes applying `document` makes: everything it sets for a new connection. */
export function diffConnection(
  document: ConnectionDocument,
  desired: {
    config: Readonly<Record<string, string>>
    secrets: Readonly<Record<string, string>>
    envs: readonly Environment[]
  },
  current: Current | undefined,
): Change[] {
  const changes: Change[] = []
  const detail = current?.detail
  const text = (path: string, before: string | undefined, after: string | undefined) => {
    if (before !== after) changes.push(textChange(path, before, after))
  }
  // A new connection's name is its slug unless the document gives a displayName.
  const displayName =
    detail || document.displayName !== document.name ? document.displayName : undefined
  text('metadata.displayName', detail?.name, displayName)
  const sortedLabels = (labels: readonly string[]) => [...labels].sort().join(', ') || undefined
  text('metadata.labels', detail && sortedLabels(detail.labels), sortedLabels(document.labels))
  if (!detail) text('spec.type', undefined, document.provider.id)
  text('spec.authMode', detail?.authMode, document.authMode)
  const config = detail?.config ?? {}
  for (const key of new Set([...Object.keys(config), ...Object.keys(desired.config)]))
    text(`spec.fields.${key}.value`, config[key], desired.config[key])
  changes.push(...secretChanges(document, desired.secrets, current))
  const envChange = (env: Environment, granted: boolean) => ({
    path: 'spec.environments',
    [granted ? 'after' : 'before']: `${env.name}${env.protected ? ' (protected)' : ''}`,
  })
  if (current) {
    changes.push(...current.granted.map((env) => envChange(env, true)))
    changes.push(...current.revoked.map((env) => envChange(env, false)))
  } else changes.push(...desired.envs.map((env) => envChange(env, true)))
  text('spec.notes', detail?.notes || undefined, document.notes || undefined)
  const shortLived = (on: boolean | undefined) => (on ? 'true' : undefined)
  text(
    'spec.shortLivedOnly',
    shortLived(detail?.shortLivedOnly),
    shortLived(document.shortLivedOnly),
  )
  return changes
}

function secretChanges(
  document: ConnectionDocument,
  secrets: Readonly<Record<string, string>>,
  current: Current | undefined,
): Change[] {
  const held = new Map(current?.detail.secrets.map((secret) => [secret.field, secret]) ?? [])
  const heldAs = (field: string) => {
    const secret = held.get(field)
    if (!secret) return undefined
    return secret.reference === undefined ? STORED : `valueFrom ${secret.reference}`
  }
  const changes: Change[] = []
  for (const field of Object.keys(secrets)) {
    const before = heldAs(field)
    const path = `spec.fields.${field}`
    if (before === undefined) changes.push({ path, after: FROM_STDIN })
    else if (before !== STORED) changes.push({ path, before, after: FROM_STDIN })
    else if (current?.differingSecrets.includes(field)) changes.push({ path, summary: '(changed)' })
  }
  for (const [field, ref] of Object.entries(document.references)) {
    const after = `valueFrom ${describeReference(ref)}`
    const before = heldAs(field)
    if (before !== after) changes.push({ path: `spec.fields.${field}`, before, after })
  }
  return changes
}

/** A change of text: shown whole when it is one short line, else by its size, or "(changed)". */
function textChange(path: string, before: string | undefined, after: string | undefined): Change {
  const short = (value: string) => value.length <= 80 && !value.includes('\n')
  const shown = (value: string) =>
    short(value) ? value : `(${value.length} characters, ${value.split('\n').length} lines)`
  if (before === undefined) return { path, after: shown(after!) }
  if (after === undefined) return { path, before: shown(before) }
  return short(before) && short(after) ? { path, before, after } : { path, summary: '(changed)' }
}

import type { z } from 'zod'
import { connectionNameSchema, connectionNotesSchema, SLUG_PATTERN } from '../../shared/connections'
import { getProvider, providerIds, type AuthMode, type ProviderSpec } from '../../shared/providers'
import { secretReferenceSchema, type SecretReference } from '../../shared/secret-reference'
import { quoteKey } from '../field-values'
import { labelsFromDocument } from './labels'

/*
 * The declarative document of one connection (`bridgekeep apply -f`, `bridgekeep get -o yaml`):
 *
 *   apiVersion: bridgekeep.dev/v1
 *   kind: Connection
 *   metadata: { name: prod-db, displayName: Prod DB, labels: { team: payments } }
 *   spec:
 *     type: postgres
 *     authMode: inline
 *     fields:
 *       host: { value: db.internal }
 *       password: { valueFrom: { env: { name: PROD_DB_PASSWORD } } }
 *     environments: [production]
 *     notes: ...
 *
 * Read here against the provider catalog only; what the vault holds (environments, the
 * connection it may update) is plan.ts's.
 */

export const API_VERSION = 'bridgekeep.dev/v1'
export const KIND = 'Connection'

export type DocPath = readonly (string | number)[]

/** A problem at a place of a document, in words that never quote a secret. */
export interface PathIssue {
  path: DocPath
  message: string
}

/** What one document asks for, checked in shape; its field values not yet against the catalog. */
export interface ConnectionDocument {
  /** 1-based position in the file (empty documents count too). */
  doc: number
  /** metadata.name: the connection's slug. */
  name: string
  /** metadata.displayName, else the slug: the connection's name. */
  displayName: string
  labels: string[]
  provider: ProviderSpec
  authMode: AuthMode
  /** Non-secret fields as given (`value:`), as text. */
  values: Record<string, string>
  /** Secret fields read at each use (`valueFrom:`). */
  references: Record<string, SecretReference>
  /** Secret fields marked `stored: true`: keep the value the vault holds (what `get` prints). */
  stored: string[]
  environments: string[]
  notes: string
  shortLivedOnly: boolean
}

export const SECRET_IN_FILE =
  'secrets in files get checked into git: use valueFrom, or --secrets-from-stdin'

const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec']
const METADATA_KEYS = ['name', 'displayName', 'labels']
const SPEC_KEYS = ['type', 'authMode', 'fields', 'environments', 'notes', 'shortLivedOnly']
const FIELD_KEYS = ['value', 'valueFrom', 'stored']

/** Reads one parsed document; a document with any issue yields none (every issue is listed). */
export function readConnectionDocument(
  raw: unknown,
  doc: number,
): { document?: ConnectionDocument; issues: PathIssue[] } {
  const issues: PathIssue[] = []
  const add = (path: DocPath, message: string) => issues.push({ path, message })
  const root = mapping(
    raw,
    [],
    add,
    'a document is a mapping with apiVersion, kind, metadata and spec (separate several documents with --- lines)',
  )
  if (!root) return { issues }
  unknownKeys(root, TOP_KEYS, [], add, 'a document has apiVersion, kind, metadata and spec')
  if (root.apiVersion == null) add(['apiVersion'], `required: ${API_VERSION}.`)
  else if (root.apiVersion !== API_VERSION)
    add(['apiVersion'], `must be ${API_VERSION} (the only version this bridgekeep reads).`)
  if (root.kind == null) add(['kind'], `required: ${KIND}.`)
  else if (root.kind !== KIND) add(['kind'], `must be ${KIND} (the only kind apply takes).`)

  const metadata = required(root, 'metadata', [], add, 'metadata: { name: <slug> }')
  const name = metadata ? readName(metadata.name, add) : undefined
  const displayName =
    metadata?.displayName === undefined
      ? name
      : checked(connectionNameSchema, metadata.displayName, ['metadata', 'displayName'], add)
  const labels = metadata ? labelsFromDocument(metadata.labels, add) : []
  if (metadata)
    unknownKeys(
      metadata,
      METADATA_KEYS,
      ['metadata'],
      add,
      `metadata has ${METADATA_KEYS.join(', ')}`,
    )

  const spec = required(root, 'spec', [], add, 'spec: { type: <provider>, fields: {...} }')
  if (spec) unknownKeys(spec, SPEC_KEYS, ['spec'], add, `spec has ${SPEC_KEYS.join(', ')}`)
  const provider = spec ? readProvider(spec.type, add) : undefined
  const authMode = provider && spec ? readAuthMode(provider, spec.authMode, add) : undefined
  const fields = provider && authMode && spec ? readFields(provider, spec.fields, add) : undefined
  const environments = spec ? readEnvironments(spec.environments, add) : []
  const notes =
    spec?.notes === undefined
      ? ''
      : checked(connectionNotesSchema, spec.notes, ['spec', 'notes'], add)
  if (spec?.shortLivedOnly !== undefined && typeof spec.shortLivedOnly !== 'boolean')
    add(['spec', 'shortLivedOnly'], 'must be true or false.')

  if (issues.length > 0 || !name || !displayName || !provider || !authMode || !fields)
    return { issues }
  return {
    issues,
    document: {
      doc,
      name,
      displayName,
      labels,
      provider,
      authMode,
      ...fields,
      environments,
      notes: notes ?? '',
      shortLivedOnly: spec?.shortLivedOnly === true,
    },
  }
}

type Add = (path: DocPath, message: string) => void

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function mapping(
  value: unknown,
  path: DocPath,
  add: Add,
  expected: string,
): Record<string, unknown> | undefined {
  if (isMapping(value)) return value
  add(path, `${expected}.`)
  return undefined
}

function required(
  parent: Record<string, unknown>,
  key: string,
  path: DocPath,
  add: Add,
  example: string,
): Record<string, unknown> | undefined {
  const value = parent[key]
  if (value === undefined || value === null) {
    add([...path, key], `required, e.g. ${example}.`)
    return undefined
  }
  return mapping(value, [...path, key], add, `must be a mapping, e.g. ${example}`)
}

function unknownKeys(
  record: Record<string, unknown>,
  known: readonly string[],
  path: DocPath,
  add: Add,
  has: string,
): void {
  for (const key of Object.keys(record))
    if (!known.includes(key)) add([...path, key], `unknown key "${quoteKey(key)}": ${has}.`)
}

/** A value checked with one of the connection schemas (their messages name the property). */
function checked(
  schema: z.ZodType<string>,
  value: unknown,
  path: DocPath,
  add: Add,
): string | undefined {
  if (typeof value !== 'string') {
    add(path, 'must be text.')
    return undefined
  }
  const result = schema.safeParse(value)
  if (result.success) return result.data
  for (const issue of result.error.issues) add(path, issue.message)
  return undefined
}

function readName(value: unknown, add: Add): string | undefined {
  const path = ['metadata', 'name']
  if (value === undefined || value === null) {
    add(path, "required: the connection's slug, e.g. prod-db.")
    return undefined
  }
  if (typeof value !== 'string' || value.length > 64 || !SLUG_PATTERN.test(value)) {
    add(
      path,
      "the connection's slug: lowercase letters, digits and single hyphens, at most 64 characters (e.g. prod-db).",
    )
    return undefined
  }
  return value
}

function readProvider(value: unknown, add: Add): ProviderSpec | undefined {
  const provider = typeof value === 'string' ? getProvider(value) : undefined
  if (provider) return provider
  add(
    ['spec', 'type'],
    `${value === undefined ? 'required' : 'not a provider Bridgekeep knows'}: one of ${providerIds.join(', ')}.`,
  )
  return undefined
}

function readAuthMode(provider: ProviderSpec, value: unknown, add: Add): AuthMode | undefined {
  if (value === undefined) return provider.defaultAuthMode
  if (typeof value === 'string' && (provider.authModes as readonly string[]).includes(value))
    return value as AuthMode
  add(['spec', 'authMode'], `${provider.label} takes ${provider.authModes.join(', ')}.`)
  return undefined
}

function readFields(
  provider: ProviderSpec,
  raw: unknown,
  add: Add,
): Pick<ConnectionDocument, 'values' | 'references' | 'stored'> | undefined {
  const result = { values: {}, references: {}, stored: [] } as Pick<
    ConnectionDocument,
    'values' | 'references' | 'stored'
  >
  if (raw === undefined || raw === null) return result
  const fields = mapping(
    raw,
    ['spec', 'fields'],
    add,
    'must map field keys to { value: ... } or { valueFrom: ... }',
  )
  if (!fields) return undefined
  let ok = true
  for (const [key, entry] of Object.entries(fields)) {
    const path = ['spec', 'fields', key]
    const spec = provider.fields.find((field) => field.key === key)
    const fail = (at: DocPath, message: string) => {
      ok = false
      add(at, message)
    }
    if (!spec) {
      fail(
        path,
        `unknown field "${quoteKey(key)}" for ${provider.label}; its fields: ${provider.fields.map((field) => field.key).join(', ')}.`,
      )
      continue
    }
    const given = isMapping(entry) ? FIELD_KEYS.filter((each) => entry[each] !== undefined) : []
    if (!isMapping(entry) || given.length !== 1) {
      fail(
        path,
        spec.secret
          ? `${spec.label} is secret: give { valueFrom: {...} } (or its value with --secrets-from-stdin).`
          : `give { value: ... }.`,
      )
      continue
    }
    unknownKeys(entry, FIELD_KEYS, path, fail, 'a field has value, valueFrom or stored')
    const [how] = given as [string]
    if (how === 'value') {
      if (spec.secret) fail([...path, 'value'], `${spec.label} is secret, and ${SECRET_IN_FILE}.`)
      else if (['string', 'number', 'boolean'].includes(typeof entry.value))
        result.values[key] = String(entry.value)
      else fail([...path, 'value'], `${spec.label}: must be text (or a number, true or false).`)
    } else if (!spec.secret) {
      fail([...path, how], `${spec.label} is not secret: give its value with { value: ... }.`)
    } else if (how === 'stored') {
      if (entry.stored === true) result.stored.push(key)
      else fail([...path, 'stored'], 'only "stored: true" (keep the value the vault holds).')
    } else {
      const parsed = secretReferenceSchema.safeParse(entry.valueFrom)
      if (parsed.success) result.references[key] = parsed.data
      else
        for (const issue of parsed.error.issues)
          fail(
            [
              ...path,
              'valueFrom',
              ...issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
            ],
            issue.message,
          )
    }
  }
  return ok ? result : undefined
}

function readEnvironments(raw: unknown, add: Add): string[] {
  if (raw === undefined || raw === null) return []
  const path = ['spec', 'environments']
  if (!Array.isArray(raw)) {
    add(path, 'must be a list of environment names or slugs, e.g. [staging, production].')
    return []
  }
  const seen = new Set<string>()
  const list: string[] = []
  raw.forEach((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      add([...path, index], 'must be an environment name or slug.')
    } else if (seen.has(item.trim().toLowerCase())) {
      add([...path, index], 'is listed twice.')
    } else {
      seen.add(item.trim().toLowerCase())
      list.push(item.trim())
    }
  })
  if (raw.length > 1000) add(path, 'at most 1,000 environments.')
  return list
}

import type { ConnectionDetail } from '../../shared/connections'
import {
  fieldApplies,
  fieldRequired,
  validateConnectionValues,
  type FieldSpec,
} from '../../shared/providers'
import { withFieldDefaults } from '../field-values'
import type { ConnectionDocument, DocPath, PathIssue } from './document'
import { issueAt, type PlanIssue } from './issues'

/*
 * The rules of a document's fields that the catalog's validator does not say itself: which way a
 * field was given decides where its problem is shown, a field the connection's mode (or choice of
 * source) does not use is refused rather than silently dropped, and a required secret must come
 * from somewhere (stdin, a reference, or the value the vault holds already).
 */

/** A document whose field values passed the catalog, with the secrets stdin gave for it. */
export interface CheckedDocument {
  document: ConnectionDocument
  /** Secret values from stdin, by field. */
  given: Readonly<Record<string, string>>
  /** What the catalog validated: the document's values and stdin's, with its defaults. */
  values: Readonly<Record<string, string>>
  /** Normalized non-secret values, defaults included. */
  config: Record<string, string>
  /** Normalized secret values from stdin. */
  secrets: Record<string, string>
}

/**
 * The document's field values (and the secrets stdin gave for it) against the provider catalog,
 * as the app's form validates them; secrets not given are checked against the vault later.
 */
export function checkFields(
  document: ConnectionDocument,
  given: Readonly<Record<string, string>>,
): { checked?: CheckedDocument; issues: PlanIssue[] } {
  const values = withFieldDefaults(document.provider.id, document.authMode, {
    ...document.values,
    ...given,
  })
  const result = validateConnectionValues(document.provider.id, document.authMode, values, {
    keepExistingSecrets: true,
  })
  const issues = (result.ok ? [] : result.issues).map((issue) =>
    issue.field in given
      ? { place: { stdin: `${document.name}.${issue.field}` }, message: issue.message }
      : issueAt(document, fieldIssuePath(document, issue.field), issue.message),
  )
  for (const { path, message } of inapplicableFields(document, values, Object.keys(given))) {
    const key = String(path[2])
    // A field only stdin gave is stdin's problem, not a place in the document.
    issues.push(
      key in given && !(key in document.values)
        ? { place: { stdin: `${document.name}.${key}` }, message }
        : issueAt(document, path, message),
    )
  }
  if (!result.ok || issues.length > 0) return { issues }
  return {
    issues,
    checked: { document, given, values, config: result.config, secrets: result.secrets },
  }
}

/** Where the catalog's issue about `field` points in the document ('' is the form as a whole). */
function fieldIssuePath(document: ConnectionDocument, field: string): DocPath {
  if (field === '') return ['spec', 'fields']
  if (field in document.values) return ['spec', 'fields', field, 'value']
  if (field in document.references) return ['spec', 'fields', field, 'valueFrom']
  return ['spec', 'fields', field]
}

/** Fields given (in the document or on stdin) that this connection would not use. */
function inapplicableFields(
  document: ConnectionDocument,
  values: Readonly<Record<string, string>>,
  fromStdin: readonly string[],
): PathIssue[] {
  const given = [
    ...Object.keys(document.values),
    ...Object.keys(document.references),
    ...document.stored,
    ...fromStdin,
  ]
  return document.provider.fields
    .filter((spec) => given.includes(spec.key) && !fieldApplies(spec, document.authMode, values))
    .map((spec) => ({
      path: ['spec', 'fields', spec.key],
      message: `${spec.label} does not apply here: ${whyNot(spec, document)}. Leave it out.`,
    }))
}

function whyNot(spec: FieldSpec, document: ConnectionDocument): string {
  if (spec.authModes && !spec.authModes.includes(document.authMode))
    return `it is used only with authMode ${spec.authModes.join(' or ')}, and this one is ${document.authMode}`
  const when = spec.showWhen!
  return `it is used only when ${when.field} is ${when.values.join(' or ')}`
}

/**
 * Required secrets that nothing gives: not on stdin, not a reference, and (for a connection that
 * exists) not held by the vault. Fields marked `stored: true` must be held as a value.
 */
export function requiredSecrets(
  document: ConnectionDocument,
  values: Readonly<Record<string, string>>,
  fromStdin: Readonly<Record<string, string>>,
  detail: ConnectionDetail | undefined,
): PathIssue[] {
  const held = new Map(detail?.secrets.map((secret) => [secret.field, secret]) ?? [])
  const issues: PathIssue[] = []
  for (const key of document.stored) {
    const secret = held.get(key)
    if (secret && secret.reference === undefined && !(key in fromStdin)) continue
    const label = document.provider.fields.find((field) => field.key === key)?.label ?? key
    issues.push({
      path: ['spec', 'fields', key, 'stored'],
      message:
        key in fromStdin
          ? `${label} is both "stored: true" and given on stdin: keep one.`
          : `the vault holds no value of ${label} for ${document.name} to keep${secret?.reference ? ` (it holds the reference ${secret.reference})` : ''}: give valueFrom, or its value with --secrets-from-stdin.`,
    })
  }
  for (const spec of document.provider.fields) {
    if (!spec.secret || !fieldApplies(spec, document.authMode, values)) continue
    if (spec.key in document.references && spec.key in fromStdin)
      issues.push({
        path: ['spec', 'fields', spec.key, 'valueFrom'],
        message: `${spec.label} is both a reference and given on stdin: keep one.`,
      })
    const given = spec.key in fromStdin || spec.key in document.references || held.has(spec.key)
    if (!given && fieldRequired(spec, document.authMode))
      issues.push({
        path: ['spec', 'fields', spec.key],
        message: `${spec.label}: required. Give { valueFrom: {...} }, or its value with --secrets-from-stdin (secrets are never written in files).`,
      })
  }
  return issues
}

import type { ConnectionDetail } from '../../shared/connections'
import { fieldApplies, fieldRequired, type FieldSpec } from '../../shared/providers'
import type { ConnectionDocument, DocPath, PathIssue } from './document'

/*
 * The rules of a document's fields that the catalog's validator does not say itself: which way a
 * field was given decides where its problem is shown, a field the connection's mode (or choice of
 * source) does not use is refused rather than silently dropped, and a required secret must come
 * from somewhere (stdin, a reference, or the value the vault holds already).
 */

/** Where the catalog's issue about `field` points in the document ('' is the form as a whole). */
export function fieldIssuePath(document: ConnectionDocument, field: string): DocPath {
  if (field === '') return ['spec', 'fields']
  if (field in document.values) return ['spec', 'fields', field, 'value']
  if (field in document.references) return ['spec', 'fields', field, 'valueFrom']
  return ['spec', 'fields', field]
}

/** Fields given (in the document or on stdin) that this connection would not use. */
export function inapplicableFields(
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

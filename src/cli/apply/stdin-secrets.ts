import { quoteKey } from '../field-values'
import type { ConnectionDocument } from './document'
import type { PlanIssue } from './issues'

/*
 * --secrets-from-stdin: the secret values of one apply, read from stdin as a small YAML or JSON
 * map by document name, then field key, so no secret is ever written in the file:
 *
 *   prod-db:
 *     password: "s3cret"
 *
 * (`printf '{"prod-db": {"password": "%s"}}' "$PW" | bridgekeep apply -f db.yaml --secrets-from-stdin`).
 * Values are text: a number or true/false must be quoted, so nothing is silently reformatted.
 */

/** Secret values given on stdin: by document name, then field key. */
export type StdinSecrets = ReadonlyMap<string, Readonly<Record<string, string>>>

export function stdinSecrets(
  raw: unknown,
  documents: readonly ConnectionDocument[],
  /** Names of documents that are refused already: their secrets are not checked on top. */
  refused: ReadonlySet<string>,
): { secrets: StdinSecrets; issues: PlanIssue[] } {
  const issues: PlanIssue[] = []
  const secrets = new Map<string, Record<string, string>>()
  const problem = (where: string, message: string) =>
    issues.push({ place: { stdin: where }, message })
  if (!isMapping(raw)) {
    problem(
      '',
      'must map document names to { <field>: <value> }, e.g. prod-db: { password: "..." }.',
    )
    return { secrets, issues }
  }
  for (const [name, fields] of Object.entries(raw)) {
    const shownName = quoteKey(name)
    const document = documents.find((each) => each.name === name)
    if (!document) {
      if (refused.has(name)) continue
      problem(shownName, `no document named ${shownName} in this apply (metadata.name).`)
      continue
    }
    if (!isMapping(fields)) {
      problem(shownName, 'must map field keys to values, e.g. { password: "..." }.')
      continue
    }
    const values: Record<string, string> = {}
    for (const [key, value] of Object.entries(fields)) {
      const where = `${shownName}.${quoteKey(key)}`
      const spec = document.provider.fields.find((field) => field.key === key)
      if (!spec) problem(where, `not a field of ${document.provider.label}.`)
      else if (!spec.secret)
        problem(where, `${spec.label} is not secret: give it in the document ({ value: ... }).`)
      else if (typeof value !== 'string')
        problem(where, `${spec.label}: must be text (quote a number or true/false).`)
      else values[key] = value
    }
    secrets.set(name, values)
  }
  return { secrets, issues }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

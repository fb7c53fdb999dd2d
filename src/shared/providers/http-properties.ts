import { parseJson, SyntaxProblem } from '../parse-untrusted'
import { fail, ok, quote } from './fields'
import type { Parser } from './fields'
import { propertyVariable } from './http-request'

// An HTTP connection's properties: non-secret name -> value settings a script reads as
// BRIDGEKEEP_HTTP_PROPERTY_<NAME> (a tenant, a region, an API version). Config holds only
// strings, so the map is one JSON object; the form sends a JSON list of [name, value] rows, so a
// duplicate or a half-filled row can be pointed at. Both come out as the canonical object.

export const MAX_PROPERTIES = 50
const MAX_NAME = 64
const MAX_VALUE = 1024
const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/

type Rows = { rows: [unknown, unknown][]; numbered: boolean }

function rowsOf(parsed: unknown): Rows | string {
  if (Array.isArray(parsed)) {
    if (!parsed.every((row) => Array.isArray(row) && row.length === 2))
      return 'must be a list of [name, value] pairs.'
    return { rows: parsed as [unknown, unknown][], numbered: true }
  }
  if (typeof parsed === 'object' && parsed !== null)
    return { rows: Object.entries(parsed), numbered: false }
  return 'must be a JSON object of names to values, e.g. {"tenant": "acme", "api_version": "2"}.'
}

/** The properties field: JSON (object, or list of pairs); canonical JSON object, or a problem. */
export const httpProperties: Parser = (value) => {
  let parsed: unknown
  try {
    parsed = parseJson(value)
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error
    return fail(`${error.message}; write a JSON object, e.g. {"tenant": "acme"}.`)
  }
  const shape = rowsOf(parsed)
  if (typeof shape === 'string') return fail(shape)
  const { numbered } = shape
  // A row left blank in the form (just added) is no property.
  const rows = shape.rows.filter(([name, text]) => !(numbered && name === '' && text === ''))
  if (rows.length > MAX_PROPERTIES)
    return fail(`${rows.length} properties; at most ${MAX_PROPERTIES}.`)
  const result: Record<string, string> = {}
  const byVariable = new Map<string, string>()
  for (const [index, [name, text]] of rows.entries()) {
    const at = numbered
      ? `row ${shape.rows.indexOf(rows[index]!) + 1}`
      : typeof name === 'string'
        ? quote(name)
        : 'a row'
    if (typeof name !== 'string' || name.trim() === '') return fail(`${at} has no name.`)
    const key = name.trim()
    if (key.length > MAX_NAME || !NAME.test(key))
      return fail(
        `${at}: ${quote(key)} is not a property name: a letter, then letters, digits, "_", "-" or "." (at most ${MAX_NAME}).`,
      )
    if (typeof text !== 'string') return fail(`${at}: the value of ${key} must be text.`)
    if (text.length > MAX_VALUE)
      return fail(`${at}: the value of ${key} is longer than ${MAX_VALUE} characters.`)
    if (/\p{Cc}/u.test(text)) return fail(`${at}: the value of ${key} has control characters.`)
    const variable = propertyVariable(key)
    const earlier = byVariable.get(variable)
    if (earlier !== undefined)
      return fail(
        earlier === key
          ? `${quote(key)} is given twice; keep one.`
          : `${quote(earlier)} and ${quote(key)} would both be ${variable}; rename one.`,
      )
    byVariable.set(variable, key)
    result[key] = text
  }
  return ok(JSON.stringify(result))
}

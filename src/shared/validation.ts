import type { z } from 'zod'
import { BridgekeepError, type FieldIssue } from './errors'

/** "theme: Invalid option…; name: Too short…" — paths and zod's messages, never the values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    .join('; ')
}

/** zod issues as form issues: the field is the last path segment (a form field's key). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const last = issue.path.at(-1)
    return { field: last === undefined ? '' : String(last), message: issue.message }
  })
}

/**
 * A service's input, parsed with its schema; a VALIDATION error naming each field when it does
 * not fit (zod's messages and paths only, never the values).
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  throw invalid(fieldIssues(result.error), describeIssues(result.error))
}

/** A VALIDATION error: the summary, or else the first issue ("... (and 2 more)"), per field. */
export function invalid(issues: FieldIssue[], summary?: string): BridgekeepError {
  const first = issues[0]?.message ?? 'Not valid.'
  return new BridgekeepError(
    'VALIDATION',
    summary || (issues.length > 1 ? `${first} (and ${issues.length - 1} more)` : first),
    'Correct the highlighted fields; nothing was changed.',
    issues,
  )
}

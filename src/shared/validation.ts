import type { z } from 'zod'
import type { FieldIssue } from './errors'

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

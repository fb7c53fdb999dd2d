import { fieldApplies, type AuthMode, type ProviderSpec } from '../../../shared/providers'
import type { FieldIssue } from '../../../shared/providers/types'
import type { SecretReference } from '../../../shared/secret-reference'
import { fieldSpec, labelOf } from './connection-rules'

/*
 * The editor's rules for secret references (src/shared/secret-reference.ts): which fields may
 * hold one, and that a field holds a value or a reference, never both.
 */

/**
 * What is wrong with the references of a form: each must name a secret field of the provider
 * that applies to the authentication mode (and the settings that choose fields), and have no
 * value beside it. Secret values must not contain NUL, so that no value can pass for a sealed
 * reference (see ConnectionSecrets).
 */
export function referenceIssues(
  provider: ProviderSpec,
  authMode: string,
  values: Readonly<Record<string, string>>,
  references: Readonly<Record<string, SecretReference>>,
): FieldIssue[] {
  const issues: FieldIssue[] = []
  for (const [field, value] of Object.entries(values)) {
    if (fieldSpec(provider, field)?.secret && value.includes('\u0000'))
      issues.push({
        field,
        message: `${labelOf(provider, field)}: must not contain NUL characters.`,
      })
  }
  for (const field of Object.keys(references)) {
    const spec = fieldSpec(provider, field)
    const label = labelOf(provider, field)
    if (!spec)
      issues.push({
        field,
        message: `Reference for "${field}": ${provider.label} has no such field.`,
      })
    else if (!spec.secret)
      issues.push({
        field,
        message: `${label}: is not a secret field of ${provider.label}; only secret fields may be references. Give its value instead.`,
      })
    else if (!fieldApplies(spec, authMode as AuthMode, values))
      issues.push({
        field,
        message: `${label}: does not apply to ${provider.label} with ${authMode} authentication and these settings, so it cannot be a reference.`,
      })
    else if ((values[field] ?? '').trim() !== '')
      issues.push({
        field,
        message: `${label}: give a value or a reference, not both.`,
      })
  }
  return issues
}

/** Whether two sets of references are the same (same fields, same sources). */
export function sameReferences(
  a: Readonly<Record<string, SecretReference>>,
  b: Readonly<Record<string, SecretReference>>,
): boolean {
  const keys = Object.keys(a)
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => b[key] !== undefined && JSON.stringify(a[key]) === JSON.stringify(b[key]))
  )
}

/** Fields whose reference differs, by key (a reference's text is no secret, but the key is enough). */
export function changedReferenceKeys(
  before: Readonly<Record<string, SecretReference>>,
  after: Readonly<Record<string, SecretReference>>,
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
}

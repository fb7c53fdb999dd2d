import { getProvider } from './catalog'
import { providerIds } from './ids'
import { fieldApplies, fieldRequired, missingMessage, quote } from './fields'
import type { AuthMode, FieldIssue, FieldSpec, ProviderSpec } from './types'

export type ValidationResult =
  | { ok: true; config: Record<string, string>; secrets: Record<string, string> }
  | { ok: false; issues: FieldIssue[] }

/** Secrets shorter than this are not searched for in messages: they match ordinary words. */
const MIN_SCANNED_SECRET = 6

/**
 * Validates a whole form. Values are strings (checkbox: 'true'/'false'); each is trimmed, empty
 * means absent. Fields that do not apply to the auth mode are ignored/dropped. Unknown keys are an
 * issue ("Unknown field "x" for <Provider>."). Non-secret fields go to `config`, secret fields to
 * `secrets`. With `keepExistingSecrets` (editing), an absent required secret is NOT an issue (the
 * stored one is kept) and is simply left out of `secrets`. Fields named in `later` are filled in
 * by the caller once known (a role ARN read from its stack): their absence is not an issue.
 * Secret fields named in `referenced` hold a reference (read at each use): present, content
 * unknown, like a kept secret.
 *
 * Also: fields with `showWhen` apply only while their controlling field matches; an absent
 * optional non-secret field with a `defaultValue` gets it in `config`; cross-field issues are
 * reported only for fields without an issue of their own (form-level ones only when no field has
 * one), so the user is not told twice.
 */
export function validateConnectionValues(
  providerId: string,
  authMode: string,
  values: Readonly<Record<string, string | undefined>>,
  options: {
    keepExistingSecrets?: boolean
    later?: readonly string[]
    referenced?: readonly string[]
  } = {},
): ValidationResult {
  const provider = getProvider(providerId)
  if (!provider)
    return invalid({
      field: '',
      message: `Unknown provider ${quote(providerId)}. Use one of: ${providerIds.join(', ')}.`,
    })
  if (!provider.authModes.includes(authMode as AuthMode))
    return invalid({
      field: '',
      message: `Auth mode ${quote(authMode)} is not available for ${provider.label}. Use one of: ${provider.authModes.join(', ')}.`,
    })
  const mode = authMode as AuthMode
  const given = trimmed(values)
  const known = new Set(provider.fields.map((spec) => spec.key))
  const unknown = Object.keys(values)
    .filter((key) => !known.has(key))
    .map((key) => ({ field: key, message: `Unknown field ${quote(key)} for ${provider.label}.` }))

  const valid: Record<string, string> = {}
  const kept = new Set<string>()
  const fieldIssues: FieldIssue[] = []
  for (const spec of provider.fields) {
    if (!fieldApplies(spec, mode, given)) continue
    const value = given[spec.key]
    if (value === undefined) {
      if (options.later?.includes(spec.key)) continue
      const referenced = options.referenced?.includes(spec.key) ?? false
      if (spec.secret && (options.keepExistingSecrets || referenced)) kept.add(spec.key)
      else if (fieldRequired(spec, mode))
        fieldIssues.push({ field: spec.key, message: missingMessage(spec) })
      else if (!spec.secret && spec.defaultValue !== undefined) valid[spec.key] = spec.defaultValue
      continue
    }
    const parsed = spec.schema.safeParse(value)
    if (parsed.success) valid[spec.key] = parsed.data
    else
      fieldIssues.push({
        field: spec.key,
        message: parsed.error.issues[0]?.message ?? `${spec.label}: is not valid.`,
      })
  }

  const flagged = new Set(fieldIssues.map((issue) => issue.field))
  const crossIssues = (provider.check?.(valid, mode, { kept }) ?? []).filter((issue) =>
    issue.field === '' ? fieldIssues.length === 0 : !flagged.has(issue.field),
  )
  const issues = [...unknown, ...fieldIssues, ...crossIssues]
  if (issues.length > 0) return { ok: false, issues: redact(provider, issues, given) }

  const config: Record<string, string> = {}
  const secrets: Record<string, string> = {}
  for (const spec of provider.fields) {
    const value = valid[spec.key]
    if (value !== undefined) (spec.secret ? secrets : config)[spec.key] = value
  }
  return { ok: true, config, secrets }
}

function invalid(issue: FieldIssue): ValidationResult {
  return { ok: false, issues: [issue] }
}

/** Non-empty trimmed strings only; anything else (empty, undefined, not a string) is absent. */
function trimmed(values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(values))
    if (typeof value === 'string' && value.trim() !== '') result[key] = value.trim()
  return result
}

/**
 * The last line of defence: messages are written never to quote a secret, but if one ever does,
 * the message is replaced rather than shown.
 */
function redact(
  provider: ProviderSpec,
  issues: FieldIssue[],
  given: Readonly<Record<string, string>>,
): FieldIssue[] {
  const secretValues = provider.fields
    .filter((spec) => spec.secret)
    .map((spec) => given[spec.key])
    .filter((value): value is string => value !== undefined && value.length >= MIN_SCANNED_SECRET)
  if (secretValues.length === 0) return issues
  const labelOf = (key: string): string | undefined =>
    provider.fields.find((spec: FieldSpec) => spec.key === key)?.label
  return issues.map((issue) =>
    secretValues.some((secret) => issue.message.includes(secret))
      ? {
          field: issue.field,
          message: `${labelOf(issue.field) ?? provider.label}: is not valid. Check the value and try again.`,
        }
      : issue,
  )
}

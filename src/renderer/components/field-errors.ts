import { isBridgekeepError } from '../../shared/errors'
import { describeError } from './ErrorNotice'

/**
 * Main's refusal of a form, as messages by field. A refusal with issues puts each beside its
 * field; an issue for no field, or for one the form does not show (`shown`), goes under
 * `fallback`. Any other error becomes one message, with its hint, under `fallback` (`unexpected`
 * when it is not one of ours). The first message for a field wins: it is the one to fix first.
 */
export function fieldErrorsFrom(
  error: unknown,
  options: { fallback?: string; shown?: ReadonlySet<string>; unexpected?: string } = {},
): Record<string, string> {
  const { fallback = '', shown, unexpected } = options
  const errors: Record<string, string> = {}
  if (isBridgekeepError(error) && error.issues?.length) {
    for (const issue of error.issues) {
      const field = issue.field && (!shown || shown.has(issue.field)) ? issue.field : fallback
      errors[field] ??= issue.message
    }
    return errors
  }
  if (unexpected && !isBridgekeepError(error)) {
    errors[fallback] = unexpected
    return errors
  }
  const { message, hint } = describeError(error)
  errors[fallback] = [message, hint].filter(Boolean).join(' ')
  return errors
}

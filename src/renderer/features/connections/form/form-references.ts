import { describeReference, type SecretReference } from '../../../../shared/secret-reference'
import { fieldApplies, type ProviderSpec } from '../catalog'
import { checkDraft, type ReferenceDraft } from './reference-draft'

export type { ReferenceDraft }

/** What of the form state the reference rules read. */
interface ReferenceState {
  authMode: ProviderSpec['defaultAuthMode']
  values: Record<string, string>
  references: Record<string, ReferenceDraft>
  storedReferences: Record<string, string>
}

/** The secret fields that apply and are in "Reference" mode. */
export function referencedFields(provider: ProviderSpec, state: ReferenceState): string[] {
  return provider.fields
    .filter(
      (spec) =>
        spec.secret &&
        state.references[spec.key] !== undefined &&
        fieldApplies(spec, state.authMode, state.values),
    )
    .map((spec) => spec.key)
}

/**
 * Problems of the referenced fields, by field, each starting with the field's label like every
 * field error: a draft the shared schema refuses, and (editing) a stored reference switched back
 * to Value with nothing typed — empty would otherwise mean "keep", i.e. keep the reference.
 */
export function referenceErrors(
  provider: ProviderSpec,
  state: ReferenceState,
): Record<string, string> {
  const errors: Record<string, string> = {}
  const referenced = referencedFields(provider, state)
  for (const spec of provider.fields) {
    if (!spec.secret || !fieldApplies(spec, state.authMode, state.values)) continue
    const draft = state.references[spec.key]
    if (draft && referenced.includes(spec.key)) {
      const checked = checkDraft(draft)
      if (!checked.ok) errors[spec.key] = `${spec.label}: ${checked.message}`
      continue
    }
    const stored = state.storedReferences[spec.key]
    if (stored !== undefined && (state.values[spec.key] ?? '').trim() === '')
      errors[spec.key] =
        `${spec.label}: type the value that replaces the reference ${stored}, or switch back to Reference to keep it.`
  }
  return errors
}

/**
 * The references to send: every referenced field of a new connection; when editing, only those
 * that differ from what is stored (an unchanged one is kept, like an untouched secret).
 */
export function referencesToSend(
  provider: ProviderSpec,
  state: ReferenceState,
): { references?: Record<string, SecretReference> } {
  const references: Record<string, SecretReference> = {}
  for (const key of referencedFields(provider, state)) {
    const checked = checkDraft(state.references[key]!)
    if (!checked.ok) continue
    if (state.storedReferences[key] === describeReference(checked.reference)) continue
    references[key] = checked.reference
  }
  return Object.keys(references).length > 0 ? { references } : {}
}

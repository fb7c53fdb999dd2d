import { useState } from 'react'
import { flushSync } from 'react-dom'
import { connectionInputSchema, slugify } from '../../../../shared/connections'
import { offersShortLivedOnly } from '../../../../shared/providers/use-only-exchange'
import {
  fieldApplies,
  validateConnectionValues,
  type AuthMode,
  type FieldSpec,
  type ProviderSpec,
} from '../catalog'
import { fieldErrorsFrom } from '../../../components/field-errors'
import { CAPABILITIES_FIELD, noCapabilityChosen } from './CapabilityPicker'
import type { SecretReference } from '../../../../shared/secret-reference'
import {
  referencedFields,
  referenceErrors,
  referencesToSend,
  type ReferenceDraft,
} from './form-references'

export interface FormState {
  name: string
  slug: string
  /** Once the user edits the slug it no longer follows the name. */
  slugEdited: boolean
  authMode: AuthMode
  /** Provider field values by key; checkboxes are 'true' / 'false'. */
  values: Record<string, string>
  /** As typed: comma separated. */
  labels: string
  notes: string
  /** Tools get short-lived credentials only; sent only where the provider has an exchange. */
  shortLivedOnly: boolean
  /** Secret fields in "Reference" mode, by key: where the value is read at each use. */
  references: Record<string, ReferenceDraft>
  /** Editing: the stored references, in their text form, by key (unchanged ones are not re-sent). */
  storedReferences: Record<string, string>
}

/** Problems by field: provider field keys, 'name', 'slug', 'labels', 'notes', or '' (the form). */
export type FormErrors = Record<string, string>

/** What the form hands to create or update once everything is valid. */
export interface FormSubmission {
  name: string
  slug: string
  authMode: AuthMode
  values: Record<string, string>
  labels: string[]
  notes: string
  shortLivedOnly: boolean
  /** Secret fields set to (new or changed) references; their values are not in `values`. */
  references?: Record<string, SecretReference>
}

/** The DOM id of a field's control, so errors can focus it. */
export const controlId = (field: string): string => `connection-${field}`

const META_FIELDS = ['name', 'slug', 'authMode', 'labels', 'notes', 'shortLivedOnly'] as const

export function parseLabels(text: string): string[] {
  return text
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean)
}

/** A blank form for a new connection: each field's default value, the provider's default mode. */
export function initialCreateState(provider: ProviderSpec): FormState {
  const values: Record<string, string> = {}
  for (const spec of provider.fields) values[spec.key] = spec.defaultValue ?? ''
  return {
    name: '',
    slug: '',
    slugEdited: false,
    authMode: provider.defaultAuthMode,
    values,
    labels: '',
    notes: '',
    shortLivedOnly: false,
    references: {},
    storedReferences: {},
  }
}

/** The fields to show: those of the chosen auth mode and, for showWhen, the controlling value. */
export function visibleFields(provider: ProviderSpec, state: FormState): FieldSpec[] {
  return provider.fields.filter((spec) => fieldApplies(spec, state.authMode, state.values))
}

/**
 * Every problem in the form, by field. Provider fields are checked by the catalog's own
 * validateConnectionValues, the same function main runs before storing.
 */
export function validateForm(
  provider: ProviderSpec,
  state: FormState,
  editing: boolean,
): FormErrors {
  const errors: FormErrors = {}
  const meta = connectionInputSchema.safeParse({
    name: state.name,
    ...(state.slug.trim() ? { slug: state.slug } : {}),
    provider: provider.id,
    authMode: state.authMode,
    values: {},
    labels: parseLabels(state.labels),
    notes: state.notes,
  })
  if (!meta.success) {
    for (const issue of meta.error.issues) {
      const field = String(issue.path[0] ?? '')
      errors[field] ??= issue.message
    }
  }
  const values = applicableValues(provider, state)
  // A referenced field has no value here (present, content unknown, as main sees it too): its
  // reference is checked instead, below.
  const result = validateConnectionValues(provider.id, state.authMode, values, {
    keepExistingSecrets: editing,
    referenced: referencedFields(provider, state),
  })
  if (!result.ok) for (const issue of result.issues) errors[issue.field] ??= issue.message
  for (const [field, message] of Object.entries(referenceErrors(provider, state)))
    errors[field] ??= message
  const noCapability = noCapabilityChosen(values)
  if (noCapability) errors[CAPABILITIES_FIELD] ??= noCapability
  return errors
}

/**
 * Values of the fields that apply: a secret typed into a field that was then hidden is not sent,
 * nor one typed before the field was switched to a reference.
 */
export function applicableValues(provider: ProviderSpec, state: FormState): Record<string, string> {
  const values: Record<string, string> = {}
  const referenced = referencedFields(provider, state)
  for (const spec of visibleFields(provider, state))
    if (!referenced.includes(spec.key)) values[spec.key] = state.values[spec.key] ?? ''
  return values
}

interface Options {
  provider: ProviderSpec
  initial: FormState
  editing: boolean
  /** Saves; a VALIDATION error from main is mapped back onto the fields. */
  onSubmit: (submission: FormSubmission) => Promise<void>
}

/**
 * The connection form's state and validation: a field is checked when it loses focus, a field
 * showing an error is re-checked as it changes (so the error goes as soon as it is fixed), and
 * everything is checked on submit, which then focuses the first field in error.
 */
export function useConnectionForm({ provider, initial, editing, onSubmit }: Options) {
  const [state, setState] = useState<FormState>(initial)
  const [errors, setErrors] = useState<FormErrors>({})
  const [submitting, setSubmitting] = useState(false)
  // Fields the user has typed in: only those are checked on blur, so tabbing through an empty
  // form does not fill it with "required" messages (submit reports those).
  const [dirty, setDirty] = useState<ReadonlySet<string>>(() => new Set())

  /** Re-checks only `fields` against `next`, leaving other fields' errors as they are. */
  const recheck = (next: FormState, fields: readonly string[]) => {
    const all = validateForm(provider, next, editing)
    setErrors((current) => {
      const updated = { ...current }
      for (const field of fields) {
        if (all[field]) updated[field] = all[field]
        else delete updated[field]
      }
      // Errors of fields that are no longer shown (another auth mode or source) go.
      const shown = new Set([...META_FIELDS, ...visibleFields(provider, next).map((s) => s.key)])
      for (const field of Object.keys(updated))
        if (field && !shown.has(field)) delete updated[field]
      return updated
    })
  }

  /** `check`: validate the field now (a whole file was loaded into it, not typed). */
  const update = (patch: Partial<FormState>, field?: string, check = false) => {
    if (field && !dirty.has(field)) setDirty(new Set(dirty).add(field))
    const next = { ...state, ...patch }
    if (patch.name !== undefined && !next.slugEdited)
      next.slug = patch.name ? slugify(patch.name) : ''
    setState(next)
    const live = field && (check || errors[field]) ? [field] : []
    if (patch.name !== undefined && errors.slug) live.push('slug')
    recheck(next, live)
  }

  const setName = (name: string) => update({ name }, 'name')
  const setSlug = (slug: string) => update({ slug, slugEdited: true }, 'slug')
  const setAuthMode = (authMode: AuthMode) => update({ authMode }, 'authMode')
  const setLabels = (labels: string) => update({ labels }, 'labels')
  const setNotes = (notes: string) => update({ notes }, 'notes')
  const setShortLivedOnly = (shortLivedOnly: boolean) =>
    update({ shortLivedOnly }, 'shortLivedOnly')
  const setValue = (key: string, value: string, check = false) =>
    update({ values: { ...state.values, [key]: value } }, key, check)
  /** A secret field's reference (undefined: back to a value); checked at once when it is set. */
  const setReference = (key: string, draft: ReferenceDraft | undefined, check = false) => {
    const references = { ...state.references }
    if (draft) references[key] = draft
    else delete references[key]
    update({ references }, key, check)
  }

  /** On blur: check this one field, once the user has typed in it. */
  const touch = (field: string) => {
    if (dirty.has(field) || errors[field]) recheck(state, [field])
  }

  const focusFirstError = (form: HTMLFormElement | null) => {
    const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]')
    first?.focus()
    return first !== null && first !== undefined
  }

  const submit = async (form: HTMLFormElement | null) => {
    const found = validateForm(provider, state, editing)
    if (Object.keys(found).length > 0) {
      // Render the errors first, so the first invalid control exists and carries aria-invalid.
      flushSync(() => setErrors(found))
      if (!focusFirstError(form)) document.getElementById('connection-form-error')?.focus()
      return
    }
    setErrors({})
    setSubmitting(true)
    try {
      await onSubmit({
        name: state.name.trim(),
        slug: (state.slug.trim() || slugify(state.name)).trim(),
        authMode: state.authMode,
        values: applicableValues(provider, state),
        labels: parseLabels(state.labels),
        notes: state.notes,
        // Off where it is not offered (another auth mode chosen since), never a stale "on".
        shortLivedOnly:
          state.shortLivedOnly &&
          offersShortLivedOnly(provider.id, state.authMode, applicableValues(provider, state)),
        ...referencesToSend(provider, state),
      })
    } catch (error) {
      const mapped = serverErrors(error, provider)
      flushSync(() => setErrors(mapped))
      if (!focusFirstError(form)) document.getElementById('connection-form-error')?.focus()
    } finally {
      setSubmitting(false)
    }
  }

  return {
    state,
    errors,
    submitting,
    visible: visibleFields(provider, state),
    setName,
    setSlug,
    setAuthMode,
    setLabels,
    setNotes,
    setShortLivedOnly,
    setValue,
    setReference,
    touch,
    submit,
  }
}

/**
 * Main's answer as form errors: a VALIDATION error's issues go beside their fields; anything
 * else (or an issue for no field) is shown above the buttons, under the '' key.
 */
function serverErrors(error: unknown, provider: ProviderSpec): FormErrors {
  return fieldErrorsFrom(error, {
    shown: new Set<string>([...META_FIELDS, ...provider.fields.map((spec) => spec.key)]),
    unexpected: 'The connection was not saved: something unexpected went wrong.',
  })
}

import type { ReactNode } from 'react'
import { FormField, type FieldControlProps } from '../../../components/FormField'
import { PasswordInput } from '../../../components/PasswordInput'
import { fieldRequired, type AuthMode, type FieldSpec } from '../catalog'
import { CAPABILITIES_FIELD, CapabilityPicker } from './CapabilityPicker'
import { FileButton } from './FileButton'
import styles from './ConnectionForm.module.css'
import { SecretTextArea } from './SecretTextArea'
import { controlId } from './useConnectionForm'
import { SegmentedChoice } from '../../../components/SegmentedChoice'
import { draftFromStored, emptyDraft, type ReferenceDraft } from './reference-draft'
import { ReferenceInputs } from './ReferenceInputs'
import { PropertiesEditor } from './PropertiesEditor'
import referenceStyles from './ReferenceInputs.module.css'

export const KEEP_PLACEHOLDER = 'Unchanged — leave empty to keep the stored value'

interface Props {
  spec: FieldSpec
  authMode: AuthMode
  value: string
  error?: string
  /** Editing: secret fields start empty and mean "keep" while they stay empty. */
  editing: boolean
  /** Choices computed from other fields (a kubeconfig's contexts), shown as a select. */
  dynamicOptions?: { value: string; label: string }[]
  /** Replaces the example as placeholder (rotation: an example could pass for the stored value). */
  placeholder?: string
  /** `check`: the value arrived whole (a file), so validate it at once. */
  onChange: (value: string, check?: boolean) => void
  onBlur: () => void
  /**
   * A secret field that may hold a reference: its draft while in "Reference" mode, the stored
   * reference's text (editing), and how to switch (undefined: back to a value).
   */
  reference?: {
    draft: ReferenceDraft | undefined
    stored: string | undefined
    onChange: (draft: ReferenceDraft | undefined, check?: boolean) => void
  }
}

const SOURCES = ['value', 'reference'] as const

/** One field of a provider's form, drawn from its FieldSpec. */
export function ProviderField({
  spec,
  authMode,
  value,
  error,
  editing,
  dynamicOptions,
  placeholder: placeholderOverride,
  onChange,
  onBlur,
  reference,
}: Props) {
  const id = controlId(spec.key)
  // A kept secret is not required again while editing.
  const required = fieldRequired(spec, authMode) && !(editing && spec.secret)
  const placeholder =
    placeholderOverride ??
    (reference?.stored
      ? 'Type the value that replaces the reference'
      : editing && spec.secret
        ? KEEP_PLACEHOLDER
        : placeholderOf(spec))

  if (spec.key === CAPABILITIES_FIELD) {
    return (
      <CapabilityPicker
        id={id}
        value={value}
        error={error}
        help="The IAM policy Bridgekeep generates for this connection grants exactly the actions these need."
        onChange={(next) => onChange(next, true)}
        onBlur={onBlur}
      />
    )
  }

  if (spec.input === 'checkbox') {
    return (
      <CheckboxField
        id={id}
        name={spec.key}
        label={spec.label}
        help={spec.help}
        value={value}
        error={error}
        onChange={onChange}
        onBlur={onBlur}
      />
    )
  }

  const draft = reference?.draft
  const fileButton =
    spec.acceptsFile && !draft ? (
      <FileButton fieldLabel={spec.label} onLoad={(text) => onChange(text, true)} />
    ) : undefined
  return (
    <FormField
      id={id}
      label={spec.label}
      required={required && !draft}
      help={
        draft
          ? 'Read from this source each time the connection is used; the value is never stored in the vault.'
          : spec.help
      }
      error={error}
      labelAction={
        reference ? (
          <span className={referenceStyles.labelActions}>
            {fileButton}
            <SegmentedChoice
              name={`${id}-source`}
              label={`${spec.label}: value or reference`}
              small
              choices={SOURCES}
              value={draft ? 'reference' : 'value'}
              render={(source) => (source === 'value' ? 'Value' : 'Reference')}
              onChange={(source) =>
                reference.onChange(
                  source === 'value'
                    ? undefined
                    : reference.stored
                      ? draftFromStored(reference.stored)
                      : emptyDraft(),
                )
              }
            />
          </span>
        ) : (
          fileButton
        )
      }
    >
      {(control) =>
        draft && reference ? (
          <ReferenceInputs
            control={control}
            draft={draft}
            invalid={error !== undefined}
            onChange={(next) => reference.onChange(next)}
            onBlur={onBlur}
          />
        ) : (
          renderControl(spec, control, {
            value,
            placeholder,
            dynamicOptions,
            required,
            onChange,
            onBlur,
          })
        )
      }
    </FormField>
  )
}

/**
 * What an empty control shows, never something that could pass for a value already filled in:
 * "e.g. …" before an example, and for a secret only its shape ("AKIA…"), if the field gives one.
 */
function placeholderOf(spec: FieldSpec): string | undefined {
  if (spec.placeholder !== undefined || spec.secret) return spec.placeholder
  return spec.example === undefined ? undefined : `e.g. ${spec.example}`
}

interface ControlOptions {
  value: string
  placeholder?: string
  dynamicOptions?: { value: string; label: string }[]
  required: boolean
  onChange: (value: string) => void
  onBlur: () => void
}

function renderControl(spec: FieldSpec, control: FieldControlProps, options: ControlOptions) {
  const { value, placeholder, dynamicOptions, required, onChange, onBlur } = options
  const common = {
    ...control,
    name: spec.key,
    value,
    onBlur,
  }
  if (spec.input === 'pairs') {
    return (
      <PropertiesEditor
        control={control}
        value={value}
        // "Properties" -> "Property": one row of the map.
        noun={spec.label.replace(/ies$/, 'y').replace(/s$/, '')}
        onChange={onChange}
        onBlur={onBlur}
      />
    )
  }
  if (spec.input === 'textarea') {
    return spec.secret ? (
      <SecretTextArea
        {...common}
        noun={spec.label.toLowerCase()}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
      />
    ) : (
      <textarea
        {...common}
        className="input"
        spellCheck={false}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
      />
    )
  }
  if (dynamicOptions) {
    return (
      <select {...common} className="input" onChange={(event) => onChange(event.target.value)}>
        {dynamicOptions.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    )
  }
  if (spec.input === 'select') {
    return (
      <select {...common} className="input" onChange={(event) => onChange(event.target.value)}>
        {(!required || value === '') && <option value="">{required ? 'Choose…' : '—'}</option>}
        {spec.options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    )
  }
  // A secret is typed into a masked input; an identifier (an access key ID), shown in clear on
  // the details page, is typed in clear too, so a typo can be seen.
  if (spec.secret && !spec.identifier) {
    return (
      <PasswordInput
        {...common}
        noun={spec.label.toLowerCase()}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
      />
    )
  }
  return (
    <input
      {...common}
      className="input"
      type={spec.input === 'url' ? 'url' : 'text'}
      inputMode={spec.input === 'number' ? 'numeric' : undefined}
      spellCheck={false}
      autoComplete="off"
      placeholder={placeholder}
      onChange={(event) => onChange(event.target.value)}
    />
  )
}

interface CheckboxProps {
  id: string
  name: string
  label: string
  help: ReactNode
  /** 'true' or 'false', as provider checkbox values are stored. */
  value: string
  error?: string
  onChange: (value: string) => void
  onBlur: () => void
}

/** A checkbox with its label, help and error, as the form's provider checkboxes show them. */
export function CheckboxField({
  id,
  name,
  label,
  help,
  value,
  error,
  onChange,
  onBlur,
}: CheckboxProps) {
  const describedBy = [error ? `${id}-error` : null, `${id}-help`].filter(Boolean).join(' ')
  return (
    <div className={styles.checkboxField} data-field={id}>
      <div className={styles.checkboxRow}>
        <input
          id={id}
          type="checkbox"
          name={name}
          checked={value === 'true'}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.checked ? 'true' : 'false')}
          onBlur={onBlur}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {error && (
        <p id={`${id}-error`} className={styles.checkboxError}>
          {error}
        </p>
      )}
      <p id={`${id}-help`} className={styles.checkboxHelp}>
        {help}
      </p>
    </div>
  )
}

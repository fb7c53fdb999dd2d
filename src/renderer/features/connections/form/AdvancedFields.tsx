import { ChevronDown } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import type { FieldSpec } from '../catalog'
import styles from './ConnectionForm.module.css'

interface Props {
  /** The advanced fields that apply (endpoint overrides, a CA, a session token). */
  fields: readonly FieldSpec[]
  values: Readonly<Record<string, string>>
  errors: Readonly<Record<string, string | undefined>>
  renderField: (spec: FieldSpec) => ReactNode
  /** A setting shown after the fields (short-lived credentials only), with its label and state. */
  extra?: { label: string; set: boolean; node: ReactNode }
}

/**
 * Rarely needed fields behind an "Advanced" disclosure. It starts open when one of them has a
 * value (editing such a connection), and is open whenever one has an error, so the error is never
 * hidden and the form can focus its field.
 */
export function AdvancedFields({ fields, values, errors, renderField, extra }: Props) {
  const hasValue =
    extra?.set === true || fields.some((spec) => (values[spec.key] ?? '').trim() !== '')
  const hasError = fields.some((spec) => errors[spec.key] !== undefined)
  const [chosen, setChosen] = useState(hasValue)
  // An error keeps it open: derived in the same render, so a submit can focus the field at once.
  const open = chosen || hasError
  if (fields.length === 0 && !extra) return null
  const what = [...fields.map((spec) => spec.label), ...(extra ? [extra.label] : [])]
  return (
    <div className={styles.advanced}>
      <button
        type="button"
        className={styles.advancedToggle}
        aria-expanded={open}
        aria-controls="advanced-fields"
        onClick={() => setChosen(!open)}
      >
        <ChevronDown aria-hidden="true" className={styles.chevron} />
        Advanced
        <span className={styles.advancedWhat}>{what.join(', ')} — rarely needed</span>
      </button>
      <div id="advanced-fields" className={styles.fields} hidden={!open}>
        {fields.map(renderField)}
        {extra?.node}
      </div>
    </div>
  )
}

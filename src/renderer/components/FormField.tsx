import type { ReactNode } from 'react'
import styles from './FormField.module.css'

/** The attributes that tie an input to its label, help text and error message. */
export interface FieldControlProps {
  id: string
  'aria-invalid': true | undefined
  'aria-describedby': string | undefined
  'aria-required': true | undefined
}

interface Props {
  id: string
  label: string
  required?: boolean
  help?: ReactNode
  error?: string
  /** Renders the control with the wiring it needs (id, aria-invalid, aria-describedby). */
  children: (control: FieldControlProps) => ReactNode
  /** Beside the label, e.g. a "Choose a file…" button. */
  labelAction?: ReactNode
}

/**
 * One form field: label (with a required marker), the control, its help text and its error.
 * The error is linked with aria-describedby and placed right under the control, so a user who
 * tabs back to the field hears what is wrong with it.
 */
export function FormField({ id, label, required, help, error, children, labelAction }: Props) {
  const errorId = `${id}-error`
  const helpId = `${id}-help`
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ')
  return (
    <div className={styles.field} data-field={id}>
      <div className={styles.labelRow}>
        <span className={styles.labelText}>
          {/* The marker sits outside the label: the accessible name stays the field's name, and
              "required" reaches screen readers through aria-required instead. */}
          <label htmlFor={id} className={styles.label}>
            {label}
          </label>
          {required && (
            <span className={styles.required} aria-hidden="true">
              *
            </span>
          )}
        </span>
        {labelAction}
      </div>
      {children({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy || undefined,
        'aria-required': required ? true : undefined,
      })}
      {error && (
        <p id={errorId} className={styles.error}>
          {error}
        </p>
      )}
      {help && (
        <p id={helpId} className={styles.help}>
          {help}
        </p>
      )}
    </div>
  )
}

import { useState, type FormEvent } from 'react'
import {
  ENVIRONMENT_COLORS,
  environmentInputSchema,
  type Environment,
} from '../../../shared/environments'
import { isBridgekeepError } from '../../../shared/errors'
import { useCreateEnvironment, useUpdateEnvironment } from '../../api/environments'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { FormField } from '../../components/FormField'
import styles from './EnvironmentsPage.module.css'

interface Props {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** Edit this one; create a new one when left out. */
  environment?: Environment
  /** The colour a new environment starts with (the next unused one). */
  suggestedColor?: string
  onSaved?: (environment: Environment) => void
}

type Errors = Partial<Record<'name' | 'color' | 'description', string>>

/** Create, or rename / recolour / describe, an environment. Checked as you type, and by main. */
export function EnvironmentDialog({
  open,
  onOpenChange,
  environment,
  suggestedColor,
  onSaved,
}: Props) {
  const create = useCreateEnvironment()
  const update = useUpdateEnvironment()
  const mutation = environment ? update : create
  const [name, setName] = useState(environment?.name ?? '')
  const [color, setColor] = useState(environment?.color ?? suggestedColor ?? ENVIRONMENT_COLORS[0])
  const [description, setDescription] = useState(environment?.description ?? '')
  const [isProtected, setProtected] = useState(false)
  const [touched, setTouched] = useState(false)

  const parsed = environmentInputSchema.safeParse({ name, color, description })
  const errors: Errors = {}
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof Errors
      errors[key] ??= issue.message
    }
  }
  // A name main refused (taken) is shown beside the field, like any other field error.
  const serverIssues = isBridgekeepError(mutation.error) ? (mutation.error.issues ?? []) : []
  for (const issue of serverIssues) {
    const key = issue.field as keyof Errors
    if (key in { name: 1, color: 1, description: 1 }) errors[key] ??= issue.message
  }
  const shown = touched ? errors : {}

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setTouched(true)
    if (!parsed.success) return
    try {
      const saved = environment
        ? await update.mutateAsync({ id: environment.id, name, color, description })
        : await create.mutateAsync({ name, color, description, protected: isProtected })
      onSaved?.(saved)
      onOpenChange(false)
    } catch {
      // Shown from mutation.error below.
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={environment ? `Edit ${environment.name}` : 'New environment'}
      description={
        environment
          ? 'Renaming keeps every authorization; scripts that use its slug keep working.'
          : 'Connections are authorized for environments one by one, in the matrix.'
      }
    >
      <form onSubmit={(event) => void submit(event)} noValidate className={styles.form}>
        <FormField id="env-name" label="Name" required error={shown.name}>
          {(control) => (
            <input
              {...control}
              className="input"
              value={name}
              autoFocus
              placeholder="e.g. production-eu"
              onChange={(event) => setName(event.target.value)}
              onBlur={() => setTouched(true)}
            />
          )}
        </FormField>
        <fieldset className={styles.colors}>
          <legend className={styles.legend}>Colour</legend>
          <div className={styles.swatches}>
            {ENVIRONMENT_COLORS.map((value) => (
              <label key={value} className={styles.swatchOption} title={value}>
                <input
                  type="radio"
                  name="env-color"
                  value={value}
                  checked={color === value}
                  onChange={() => setColor(value)}
                  aria-label={`Colour ${value}`}
                />
                <span
                  className={styles.swatchLarge}
                  data-color={value}
                  style={{ background: value }}
                />
              </label>
            ))}
            <input
              className={`input mono ${styles.hex}`}
              aria-label="Colour as hex"
              aria-invalid={shown.color ? true : undefined}
              value={color}
              onChange={(event) => setColor(event.target.value)}
            />
          </div>
          {shown.color && <p className={styles.fieldError}>{shown.color}</p>}
        </fieldset>
        <FormField
          id="env-description"
          label="Description"
          error={shown.description}
          help="What it is for, e.g. “Customer-facing, EU region”."
        >
          {(control) => (
            <input
              {...control}
              className="input"
              value={description}
              onChange={(event) => setDescription(event.target.value)}
            />
          )}
        </FormField>
        {!environment && (
          <label className={styles.checkRow}>
            <input
              type="checkbox"
              checked={isProtected}
              onChange={(event) => setProtected(event.target.checked)}
            />
            Protected: changes touching it ask for confirmation
          </label>
        )}
        {mutation.error && serverIssues.length === 0 && <ErrorNotice error={mutation.error} />}
        <DialogActions>
          <button type="button" className="button" onClick={() => onOpenChange(false)}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : environment ? 'Save' : 'Create environment'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

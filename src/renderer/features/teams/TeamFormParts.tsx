import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'
import { DialogActions } from '../../components/Dialog'
import { FormField } from '../../components/FormField'

/** The team's name, as the team dialogs ask for it (the one to create, or the one to join). */
export function TeamNameField({
  id,
  value,
  onChange,
  error,
  help,
}: {
  id: string
  value: string
  onChange: (name: string) => void
  error: string | undefined
  help?: ReactNode
}) {
  return (
    <FormField id={id} label="Team name" required error={error} help={help}>
      {(control) => (
        <input
          {...control}
          className="input"
          autoComplete="off"
          maxLength={100}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FormField>
  )
}

/** A team dialog's Cancel and submit buttons, both held while the team database is asked. */
export function TeamDialogActions({
  onCancel,
  pending,
  icon: Icon,
  label,
  pendingLabel,
}: {
  onCancel: () => void
  pending: boolean
  icon: LucideIcon
  label: string
  pendingLabel: string
}) {
  return (
    <DialogActions>
      <button type="button" className="button" onClick={onCancel} disabled={pending}>
        Cancel
      </button>
      <button type="submit" className="button primary" disabled={pending}>
        <Icon aria-hidden="true" />
        {pending ? pendingLabel : label}
      </button>
    </DialogActions>
  )
}

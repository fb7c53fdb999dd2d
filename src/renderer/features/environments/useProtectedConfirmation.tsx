import { useState, type ReactNode } from 'react'
import { isBridgekeepError, type BridgekeepError } from '../../../shared/errors'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import styles from './EnvironmentsPage.module.css'

interface Pending {
  error: BridgekeepError
  /** Sends the request again, confirmed. */
  confirm: () => Promise<unknown>
  /** The user declined: the caller's promise resolves with undefined. */
  cancel: () => void
}

/** The refusal this hook turns into a question: not an error to show beside the form. */
export function needsConfirmation(error: unknown): error is BridgekeepError {
  return isBridgekeepError(error) && error.code === 'CONFIRMATION_REQUIRED'
}

/**
 * Main decides what touches a protected environment and refuses it with CONFIRMATION_REQUIRED,
 * naming every change; this asks the user with exactly those words and, if they confirm, sends
 * the same request again marked as confirmed. One way of asking, for the matrix, undo and the
 * details page alike.
 *
 * `run(call)`: `call(confirmed)` makes the request; resolves once it is applied (or refused by
 * the user, with undefined).
 */
export function useProtectedConfirmation(): {
  run: <T>(call: (confirmed: boolean) => Promise<T>) => Promise<T | undefined>
  dialog: ReactNode
} {
  const [pending, setPending] = useState<Pending | null>(null)

  const run = async <T,>(call: (confirmed: boolean) => Promise<T>): Promise<T | undefined> => {
    try {
      return await call(false)
    } catch (error) {
      if (!needsConfirmation(error)) throw error
      return new Promise<T | undefined>((resolve) => {
        setPending({
          error,
          // A failure here stays in the dialog (ConfirmDialog shows it); success closes it.
          confirm: async () => resolve(await call(true)),
          // After a success this resolves nothing: a promise settles once.
          cancel: () => resolve(undefined),
        })
      })
    }
  }

  const dialog = pending && (
    <ConfirmDialog
      open
      onOpenChange={(open) => {
        if (!open) {
          pending.cancel()
          setPending(null)
        }
      }}
      title="Change a protected environment?"
      confirmLabel="Apply to protected environments"
      description={
        <>
          <p>These changes touch protected environments:</p>
          <ul className={styles.confirmList}>
            {(pending.error.issues ?? [{ field: '', message: pending.error.message }]).map(
              (issue) => (
                <li key={issue.field || issue.message}>{issue.message}</li>
              ),
            )}
          </ul>
        </>
      }
      onConfirm={pending.confirm}
    />
  )
  return { run, dialog }
}

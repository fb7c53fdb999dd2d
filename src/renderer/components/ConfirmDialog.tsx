import * as AlertDialog from '@radix-ui/react-alert-dialog'
import { useState, type FormEvent, type ReactNode } from 'react'
import styles from './Dialog.module.css'
import { ErrorNotice } from './ErrorNotice'

interface Props {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  /** What will happen, naming the thing it happens to. */
  description: ReactNode
  confirmLabel: string
  /** Destructive steps get a red button; Cancel is focused first either way. */
  tone?: 'danger' | 'default'
  /** Runs the step; the dialog stays open (showing the error) if it throws. */
  onConfirm: () => Promise<unknown> | void
  /** Extra inputs the step needs (a passphrase), inside the dialog's form. */
  children?: ReactNode
}

/** Asks before a step that cannot be taken back, and explains it if the step then fails. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  tone = 'default',
  onConfirm,
  children,
}: Props) {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)

  const change = (next: boolean) => {
    if (pending) return
    setError(null)
    onOpenChange(next)
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setPending(true)
    setError(null)
    try {
      await onConfirm()
      onOpenChange(false)
    } catch (failure) {
      setError(failure)
    } finally {
      setPending(false)
    }
  }

  return (
    <AlertDialog.Root open={open} onOpenChange={change}>
      <AlertDialog.Portal>
        {/* Plain backdrop: see Dialog.tsx (Radix's Overlay injects an inline style). */}
        <div className={styles.overlay} aria-hidden="true" />
        <AlertDialog.Content className={styles.content}>
          <div className={styles.header}>
            <AlertDialog.Title className={styles.title}>{title}</AlertDialog.Title>
          </div>
          <AlertDialog.Description asChild>
            <div className={styles.description}>{description}</div>
          </AlertDialog.Description>
          <form onSubmit={(event) => void submit(event)} noValidate>
            {children}
            {error !== null && <ErrorNotice error={error} />}
            <div className={styles.actions}>
              <AlertDialog.Cancel className="button" disabled={pending}>
                Cancel
              </AlertDialog.Cancel>
              <button
                type="submit"
                className={tone === 'danger' ? 'button danger' : 'button primary'}
                disabled={pending}
              >
                {pending ? 'Working…' : confirmLabel}
              </button>
            </div>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  )
}

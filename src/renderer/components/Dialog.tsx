import * as RadixDialog from '@radix-ui/react-dialog'
import { X } from 'lucide-react'
import type { ReactNode } from 'react'
import styles from './Dialog.module.css'

interface Props {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description?: ReactNode
  children: ReactNode
  /**
   * While something must be acknowledged first (a recovery key shown once), Esc, clicks outside
   * and the close button do nothing; the dialog's own button closes it.
   */
  locked?: boolean
  size?: 'normal' | 'wide'
}

/** A modal dialog: focus trapped inside, Esc closes, focus returns to what opened it (Radix). */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  locked = false,
  size = 'normal',
}: Props) {
  const keepOpen = (event: Event) => {
    if (locked) event.preventDefault()
  }
  return (
    <RadixDialog.Root
      open={open}
      onOpenChange={(next) => (locked ? undefined : onOpenChange(next))}
    >
      <RadixDialog.Portal>
        {/* A plain backdrop, not Radix's Overlay: that one mounts react-remove-scroll, which
            injects an inline <style> the CSP refuses. The body never scrolls here (the main
            area does), so there is no scroll to lock; focus trap and aria-hidden stay Radix's. */}
        <div className={styles.overlay} aria-hidden="true" />
        <RadixDialog.Content
          className={styles.content}
          data-size={size}
          onEscapeKeyDown={keepOpen}
          onInteractOutside={keepOpen}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className={styles.header}>
            <RadixDialog.Title className={styles.title}>{title}</RadixDialog.Title>
            {!locked && (
              <RadixDialog.Close className={`icon-button ${styles.close}`} aria-label="Close">
                <X aria-hidden="true" />
              </RadixDialog.Close>
            )}
          </div>
          {description && (
            <RadixDialog.Description asChild>
              <div className={styles.description}>{description}</div>
            </RadixDialog.Description>
          )}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  )
}

/** The row of buttons at the bottom of a dialog, primary action last. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className={styles.actions}>{children}</div>
}

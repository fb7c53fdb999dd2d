import { ShieldCheck, X } from 'lucide-react'
import type { VerifyProgress } from '../../api/health'
import { ErrorNotice } from '../../components/ErrorNotice'
import { plural } from '../../lib/plural'
import styles from './VerifyAll.module.css'

interface ButtonProps {
  running: boolean
  disabled: boolean
  onStart: () => void
}

/** The page action. Disabled while a Verify all runs (its panel has Cancel). */
export function VerifyAllButton({ running, disabled, onStart }: ButtonProps) {
  return (
    <button type="button" className="button" disabled={disabled || running} onClick={onStart}>
      <ShieldCheck aria-hidden="true" />
      {running ? 'Verifying…' : 'Verify all'}
    </button>
  )
}

interface PanelProps {
  progress: VerifyProgress | null
  error: unknown
  cancelling: boolean
  onCancel: () => void
  onDismiss: () => void
}

/**
 * Progress of a Verify all: a bar, the counts so far, Cancel while it runs, and the outcome when
 * it ends. Announced politely, so a screen reader hears the end without every step.
 */
export function VerifyAllPanel({ progress, error, cancelling, onCancel, onDismiss }: PanelProps) {
  if (error) {
    return (
      <ErrorNotice
        error={error}
        title="Verify all could not start"
        action={
          <button type="button" className="button" onClick={onDismiss}>
            Dismiss
          </button>
        }
      />
    )
  }
  if (!progress) return null
  const running = progress.state === 'running'
  const title = running
    ? `Verifying ${progress.done} of ${plural(progress.total, 'connection')}…`
    : progress.state === 'cancelled'
      ? `Verify all cancelled after ${progress.done - progress.skipped} of ${progress.total}`
      : `Verified ${plural(progress.total, 'connection')}`
  return (
    <section className={styles.panel} aria-label="Verify all">
      <div className={styles.top}>
        <h2 className={styles.title} role="status">
          {title}
        </h2>
        {running ? (
          <button type="button" className="button" disabled={cancelling} onClick={onCancel}>
            <X aria-hidden="true" />
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button type="button" className="button" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
      <progress
        className={styles.bar}
        max={Math.max(progress.total, 1)}
        value={progress.total === 0 ? 1 : progress.done}
        aria-label="Verify all progress"
      />
      <p className={styles.counts}>
        {progress.healthy} healthy ·{' '}
        <span className={progress.failing > 0 ? styles.failing : undefined}>
          {progress.failing} failing
        </span>{' '}
        · {progress.skipped} skipped
        {progress.skipped > 0 &&
          !running &&
          ' (not authorized for any environment, outside a share’s scope, or cancelled)'}
      </p>
      {progress.problem && <p className={styles.problem}>{progress.problem}</p>}
    </section>
  )
}

import { TriangleAlert } from 'lucide-react'
import type { ReactNode } from 'react'
import { isBridgekeepError, type ErrorShape } from '../../shared/errors'
import styles from './ErrorNotice.module.css'

interface Props {
  error: unknown
  /** What failed, in the user's words ("The connection could not be loaded"). */
  title?: string
  /** A way forward, e.g. a Try again button. */
  action?: ReactNode
}

/** A failure as the user can act on it: what happened (the message) and what to do (the hint). */
export function ErrorNotice({ error, title, action }: Props) {
  const { message, hint } = describeError(error)
  return (
    <div role="alert" className={styles.notice} data-testid="error-notice">
      <TriangleAlert aria-hidden="true" className={styles.icon} />
      <div className={styles.body}>
        {title && <p className={styles.title}>{title}</p>}
        <p className={styles.message}>{message}</p>
        {hint && <p className={styles.hint}>{hint}</p>}
        {action && <div className={styles.action}>{action}</div>}
      </div>
    </div>
  )
}

/**
 * A BridgekeepError's (or a plain error shape's, like a vault status's lastError) message and
 * hint; anything else gets a generic message, never a stack.
 */
export function describeError(error: unknown): { message: string; hint?: string } {
  if (isBridgekeepError(error)) return { message: error.message, hint: error.hint }
  if (isErrorShape(error)) return { message: error.message, hint: error.hint }
  return {
    message: 'Something unexpected went wrong.',
    hint: 'Try again. If it keeps happening, restart Bridgekeep.',
  }
}

function isErrorShape(value: unknown): value is ErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorShape).code === 'string' &&
    typeof (value as ErrorShape).message === 'string'
  )
}

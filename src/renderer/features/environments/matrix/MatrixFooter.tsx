import { Save, X } from 'lucide-react'
import { plural } from '../../../lib/plural'
import styles from './MatrixView.module.css'

interface Props {
  count: number
  saving: boolean
  onDiscard: () => void
  onSave: () => void
}

/**
 * Discard and Save, stuck to the bottom of the page's scroll area while changes are pending, so
 * they are in view at any window height next to a tall matrix; gone when nothing is pending.
 * The count is announced politely from a live region that stays in the page, so "no changes
 * pending" is heard too when the footer goes.
 */
export function MatrixFooter({ count, saving, onDiscard, onSave }: Props) {
  const pending = `${plural(count, 'change')} pending`
  return (
    <>
      <p className="visually-hidden" aria-live="polite" data-testid="pending-announcement">
        {count === 0 ? 'No changes pending' : pending}
      </p>
      {count > 0 && (
        <div className={styles.footer} role="region" aria-label="Unsaved changes">
          <span className={styles.footerCount} data-testid="pending-count">
            {pending}
          </span>
          <button type="button" className="button" disabled={saving} onClick={onDiscard}>
            <X aria-hidden="true" /> Discard
          </button>
          <button type="button" className="button primary" disabled={saving} onClick={onSave}>
            <Save aria-hidden="true" />
            {saving ? 'Saving…' : `Save ${plural(count, 'change')}`}
          </button>
        </div>
      )}
    </>
  )
}

import { Lock, Minus, Plus } from 'lucide-react'
import { plural } from '../../../lib/plural'
import styles from './MatrixView.module.css'
import type { PendingChange } from './staging'

/** More would make a long page for no one's benefit; the counts stay exact. */
const SHOWN = 100

/** Every staged grant and revoke, with counts and what touches a protected environment. */
export function PendingChanges({ changes }: { changes: PendingChange[] }) {
  const grants = changes.filter((change) => change.kind === 'grant').length
  const revokes = changes.length - grants
  const protectedNames = [
    ...new Set(changes.filter((change) => change.protected).map((c) => c.environmentName)),
  ]
  return (
    <section className={styles.pending} aria-labelledby="pending-heading">
      <h2 id="pending-heading" className={styles.pendingHeading}>
        {changes.length === 0
          ? 'No pending changes'
          : `Pending changes: ${plural(grants, 'grant')}, ${plural(revokes, 'revoke')}`}
      </h2>
      {changes.length === 0 ? (
        <p className={styles.pendingEmpty}>
          Toggle cells to stage grants and revokes; nothing changes until you save.
        </p>
      ) : (
        <>
          {protectedNames.length > 0 && (
            <p className={styles.protectedNote}>
              <Lock aria-hidden="true" /> Touches protected{' '}
              {protectedNames.length === 1 ? 'environment' : 'environments'}{' '}
              {protectedNames.join(', ')}: saving asks you to confirm.
            </p>
          )}
          <ul className={styles.changeList} data-testid="pending-changes">
            {changes.slice(0, SHOWN).map((change) => (
              <li key={`${change.row}:${change.column}`} data-kind={change.kind}>
                {change.kind === 'grant' ? (
                  <Plus aria-hidden="true" className={styles.grantIcon} />
                ) : (
                  <Minus aria-hidden="true" className={styles.revokeIcon} />
                )}
                <span>
                  {change.kind === 'grant' ? 'Grant' : 'Revoke'}{' '}
                  <strong>{change.connectionName}</strong> in{' '}
                  <strong>{change.environmentName}</strong>
                </span>
                {change.protected && <Lock aria-label="protected" className={styles.lockSmall} />}
              </li>
            ))}
          </ul>
          {changes.length > SHOWN && (
            <p className={styles.pendingEmpty}>and {changes.length - SHOWN} more.</p>
          )}
        </>
      )}
    </section>
  )
}

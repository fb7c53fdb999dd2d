import { Link2 } from 'lucide-react'
import styles from './ConnectionDetailsPage.module.css'

interface Props {
  field: string
  label: string
  /** The reference's text form, e.g. env:DB_PASSWORD. */
  reference: string
}

/**
 * A secret field that holds a reference: where its value is read at each use. There is no value
 * in the vault, so nothing to reveal or copy.
 */
export function ReferenceRow({ field, label, reference }: Props) {
  return (
    <li className={styles.secret} data-testid="secret-field" data-field={field}>
      <span className={styles.secretLabel}>{label}</span>
      <span className={styles.secretValue} data-state="reference">
        <span className="mono">{reference}</span>
      </span>
      <span className={styles.secretActions}>
        <span className={styles.referenceBadge}>
          <Link2 aria-hidden="true" />
          Reference
        </span>
      </span>
      <span className={styles.referenceNote}>
        Read from there each time the connection is used; never stored in the vault.
      </span>
    </li>
  )
}

import styles from './Spinner.module.css'

/** A quiet progress indicator that screen readers announce by its label. */
export function Spinner({ label }: { label: string }) {
  return (
    <div className={styles.wrap} role="status">
      <span className={styles.spinner} aria-hidden="true" />
      <span className={styles.label}>{label}…</span>
    </div>
  )
}

import styles from './ConnectionForm.module.css'
import { EnvironmentChecks } from './EnvironmentChecks'

/**
 * "Use it in": the environments a new connection is authorized for as it is saved (in the same
 * transaction). None is checked for the user; the first unprotected one is marked as the
 * suggestion. Protected ones are confirmed on save with the matrix's own question.
 */
export function EnvironmentChoice({
  selected,
  onChange,
}: {
  selected: ReadonlySet<string>
  onChange: (next: Set<string>) => void
}) {
  return (
    <section className={styles.section} aria-labelledby="form-environments">
      <h2 id="form-environments" className={styles.sectionTitle}>
        Use it in
      </h2>
      <p className={styles.sectionIntro} id="form-environments-help">
        The environments where tools, the CLI and the runner may use it. You can change this later
        on its page or in the matrix.
      </p>
      <EnvironmentChecks
        selected={selected}
        onChange={onChange}
        legend="Environments"
        describedBy="form-environments-help"
      />
    </section>
  )
}

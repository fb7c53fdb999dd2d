import { Lock } from 'lucide-react'
import { Link } from 'react-router'
import { useEnvironments } from '../../../api/environments'
import { ErrorNotice } from '../../../components/ErrorNotice'
import styles from './ConnectionForm.module.css'

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
  const environments = useEnvironments()
  const suggested = environments.data?.find((env) => !env.protected)?.id
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onChange(next)
  }
  return (
    <section className={styles.section} aria-labelledby="form-environments">
      <h2 id="form-environments" className={styles.sectionTitle}>
        Use it in
      </h2>
      <p className={styles.sectionIntro} id="form-environments-help">
        The environments where tools, the CLI and the runner may use it. You can change this later
        on its page or in the matrix.
      </p>
      {environments.isError ? (
        <ErrorNotice error={environments.error} title="Environments could not be loaded" />
      ) : environments.isPending ? (
        <p className={styles.sectionIntro}>Loading…</p>
      ) : environments.data.length === 0 ? (
        <p className={styles.sectionIntro}>
          No environments exist yet: <Link to="/environments">create one</Link>, then authorize the
          connection from its page.
        </p>
      ) : (
        <fieldset className={styles.envChecks} aria-describedby="form-environments-help">
          <legend className="visually-hidden">Environments</legend>
          {environments.data.map((env) => (
            <label key={env.id} className={styles.envCheck}>
              <input
                type="checkbox"
                name="environment"
                value={env.slug}
                checked={selected.has(env.id)}
                onChange={() => toggle(env.id)}
              />
              <span className={styles.envSwatch} style={{ background: env.color }} />
              {env.name}
              {env.protected && <Lock aria-label="protected" className={styles.envLock} />}
              {env.id === suggested && <span className={styles.suggested}>suggested</span>}
            </label>
          ))}
        </fieldset>
      )}
    </section>
  )
}

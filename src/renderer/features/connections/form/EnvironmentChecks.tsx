import { Lock } from 'lucide-react'
import { Link } from 'react-router'
import { useEnvironments } from '../../../api/environments'
import { ErrorNotice } from '../../../components/ErrorNotice'
import type { Environment } from '../../../../shared/environments'
import styles from './ConnectionForm.module.css'

/** The environment a new connection is suggested for: the first one that is not protected. */
const suggestedEnvironment = (environments: readonly Environment[] | undefined) =>
  environments?.find((env) => !env.protected)

/**
 * A checkbox per environment, for authorizing new connections as they are created (the form's
 * "Use it in", the IAM Identity Center sign-in's table). The suggestion is marked; protected
 * environments carry a lock and are confirmed on save with the matrix's own question.
 */
export function EnvironmentChecks({
  selected,
  onChange,
  legend,
  describedBy,
}: {
  selected: ReadonlySet<string>
  onChange: (next: Set<string>) => void
  /** The group's accessible name. */
  legend: string
  describedBy?: string
}) {
  const environments = useEnvironments()
  const suggested = suggestedEnvironment(environments.data)?.id
  const toggle = (id: string) => {
    const next = new Set(selected)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onChange(next)
  }
  if (environments.isError)
    return <ErrorNotice error={environments.error} title="Environments could not be loaded" />
  if (environments.isPending) return <p className={styles.sectionIntro}>Loading…</p>
  if (environments.data.length === 0)
    return (
      <p className={styles.sectionIntro}>
        No environments exist yet: <Link to="/environments">create one</Link>, then authorize the
        connection from its page.
      </p>
    )
  return (
    <fieldset className={styles.envChecks} aria-describedby={describedBy}>
      <legend className="visually-hidden">{legend}</legend>
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
  )
}

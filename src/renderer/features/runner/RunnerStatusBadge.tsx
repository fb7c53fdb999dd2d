import type { RunnerStatus } from '../../api/runner'
import styles from './RunnerStatusBadge.module.css'
import { stateLabels, stateTones } from './format'

/** The runner's state as a coloured pill; the colour is never the only signal (the word is there). */
export function RunnerStatusBadge({ state }: { state: RunnerStatus['state'] }) {
  return (
    <span
      className={`${styles.badge} ${styles[stateTones[state]]}`}
      data-testid="runner-state"
      data-state={state}
    >
      <span className={styles.dot} aria-hidden="true" />
      {stateLabels[state]}
    </span>
  )
}

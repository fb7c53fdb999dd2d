import { Link } from 'react-router'
import { useRunnerStatus } from '../../api/runner'
import styles from './RunnerSidebarStatus.module.css'
import { stateLabels, stateTones } from './format'

/** The runner's state at a glance, in the sidebar, on every screen. */
export function RunnerSidebarStatus() {
  const { data } = useRunnerStatus()
  if (!data) return null
  return (
    <Link
      to="/runner"
      className={`${styles.status} ${styles[stateTones[data.state]]}`}
      data-testid="sidebar-runner-status"
      data-state={data.state}
    >
      <span className={styles.dot} aria-hidden="true" />
      <span>Runner: {stateLabels[data.state].toLowerCase()}</span>
    </Link>
  )
}

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
      {/* Stopped is the usual, healthy state (the app starts the runner when something needs it);
          "failed" keeps its own word and colour. */}
      <span>
        Runner:{' '}
        {data.state === 'stopped' ? 'starts when needed' : stateLabels[data.state].toLowerCase()}
      </span>
    </Link>
  )
}

import type { RunnerStatus } from '../../api/runner'
import { ErrorNotice } from '../../components/ErrorNotice'
import styles from './RunnerPage.module.css'
import { RunnerStatusBadge } from './RunnerStatusBadge'
import { formatAgo, formatDuration } from './format'
import { useNow } from './useNow'

/** Where the local runner stands: its state and since when, its process, its last error. */
export function StatusPanel({ status }: { status: RunnerStatus }) {
  const now = useNow()
  const restartIn = status.nextRestartAt
    ? Math.max(0, Date.parse(status.nextRestartAt) - now)
    : null
  return (
    <section className={styles.panel} aria-labelledby="runner-status-title">
      <div className={styles.panelHeader}>
        <h2 id="runner-status-title" className={styles.panelTitle}>
          Local runner
        </h2>
        <RunnerStatusBadge state={status.state} />
      </div>
      <dl className={styles.facts}>
        <dt>State since</dt>
        <dd>{formatAgo(status.since, now)}</dd>
        <dt>Process</dt>
        <dd data-testid="runner-pid">
          {status.pid === null ? 'Not running' : `PID ${status.pid}`}
        </dd>
        <dt>Control listener</dt>
        <dd className={styles.mono}>
          {status.listener
            ? `${status.listener.host}:${status.listener.port} (mutual TLS 1.3)`
            : 'Not listening'}
        </dd>
        <dt>Restarts</dt>
        <dd data-testid="runner-restarts">
          {status.restarts}
          {status.recentCrashes > 0 &&
            ` (${status.recentCrashes} crash${status.recentCrashes === 1 ? '' : 'es'} in the last 2 minutes)`}
        </dd>
        <dt>Connected runners</dt>
        <dd>{status.connected}</dd>
        {restartIn !== null && (
          <>
            <dt>Next restart</dt>
            <dd>in {formatDuration(restartIn)}</dd>
          </>
        )}
      </dl>
      {status.lastError && (
        <div className={styles.lastError}>
          <ErrorNotice
            title={
              status.state === 'failed'
                ? 'The runner kept crashing and was stopped. Last error:'
                : `Last error (${formatAgo(status.lastError.at, now).toLowerCase()})`
            }
            error={{ code: 'RUNNER_UNAVAILABLE', message: status.lastError.message }}
          />
        </div>
      )}
    </section>
  )
}

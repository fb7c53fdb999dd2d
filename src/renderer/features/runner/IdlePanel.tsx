import type { RunnerStatus } from '../../api/runner'
import styles from './RunnerPage.module.css'

/**
 * In place of the metrics while the local runner is not running: a stopped runner is the usual
 * state, not a fault, because the app starts it by itself when something needs it.
 */
export function IdlePanel({ state }: { state: RunnerStatus['state'] }) {
  return (
    <section className={styles.panel} aria-labelledby="runner-idle-title" data-testid="runner-idle">
      <div className={styles.panelHeader}>
        <h2 id="runner-idle-title" className={styles.panelTitle}>
          Metrics
        </h2>
      </div>
      {state === 'failed' ? (
        <p className={styles.explain}>
          The runner is not running: it kept crashing and was stopped. Its last error is above; once
          that is dealt with, use Start runner, or verify a connection and the app tries again.
        </p>
      ) : (
        <p className={styles.explain}>
          The runner is not running, and does not need to be: the app starts it by itself when
          something needs it (a verify, an issued session). Its uptime, operations, latency, memory
          and CPU show here while it runs. Use Start runner to start it now.
        </p>
      )}
    </section>
  )
}

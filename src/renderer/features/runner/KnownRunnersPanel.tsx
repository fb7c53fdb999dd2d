import type { KnownRunner } from '../../api/runner'
import styles from './RunnerPage.module.css'
import { formatAgo } from './format'
import { useNow } from './useNow'

/** Every runner this vault has issued credentials to, local and remote, with its last contact. */
export function KnownRunnersPanel({ runners }: { runners: KnownRunner[] }) {
  const now = useNow(5000)
  return (
    <section className={styles.panel} aria-labelledby="runner-known-title">
      <div className={styles.panelHeader}>
        <h2 id="runner-known-title" className={styles.panelTitle}>
          Runners known to this vault
        </h2>
      </div>
      {runners.length === 0 ? (
        <p className={styles.muted}>None yet: start the local runner or generate credentials.</p>
      ) : (
        <table className={styles.table} data-testid="known-runners">
          <thead>
            <tr>
              <th scope="col">Runner</th>
              <th scope="col">Where</th>
              <th scope="col">Status</th>
              <th scope="col">Last contact</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {runners.map((runner) => (
              <tr key={runner.id} data-runner={runner.id}>
                <td>
                  {runner.label}
                  <span className={styles.sub}>
                    {runner.kind === 'local' ? 'started by the app' : runner.id}
                  </span>
                </td>
                <td>
                  {runner.kind === 'local' ? 'This computer' : 'Remote'}
                  {runner.lastAddress && <span className={styles.sub}>{runner.lastAddress}</span>}
                </td>
                <td>
                  <RunnerPill runner={runner} />
                </td>
                <td>{runner.connected ? 'Now' : formatAgo(runner.lastContactAt, now)}</td>
                <td>{runner.version ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function RunnerPill({ runner }: { runner: KnownRunner }) {
  if (runner.connected)
    return <span className={`${styles.pill} ${styles.pillConnected}`}>Connected</span>
  if (!runner.active) return <span className={`${styles.pill} ${styles.pillRevoked}`}>Revoked</span>
  return <span className={styles.pill}>Not connected</span>
}

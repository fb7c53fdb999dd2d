import { useUsage } from '../../../api/environments'
import { plural } from '../../../lib/plural'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { formatDateTime } from '../format'
import styles from './ConnectionDetailsPage.module.css'

/** Last used, and counts by environment and operation, most recent first. */
export function UsageHistory({ connectionId }: { connectionId: string }) {
  const usage = useUsage(connectionId)
  return (
    <section className={styles.panel} aria-labelledby="usage-title">
      <h2 id="usage-title" className={styles.panelTitle}>
        Usage
      </h2>
      {usage.isError ? (
        <ErrorNotice error={usage.error} title="Usage could not be loaded" />
      ) : usage.isPending ? (
        <p className={styles.panelIntro}>Loading…</p>
      ) : usage.data.total === 0 ? (
        <p className={styles.panelIntro}>
          Never used yet. Each use by the CLI, the runner or a share is counted here by environment
          and operation.
        </p>
      ) : (
        <>
          <p className={styles.panelIntro}>
            Used {plural(usage.data.total, 'time')}, last{' '}
            {usage.data.lastUsedAt && formatDateTime(usage.data.lastUsedAt)}.
          </p>
          <table className={styles.usageTable}>
            <thead>
              <tr>
                <th>Environment</th>
                <th>Operation</th>
                <th>Uses</th>
                <th>Last used</th>
              </tr>
            </thead>
            <tbody>
              {usage.data.entries.slice(0, 20).map((entry) => (
                <tr key={`${entry.environmentId}:${entry.operation}`}>
                  <td>{entry.environmentName ?? <em>deleted environment</em>}</td>
                  <td className="mono">{entry.operation}</td>
                  <td>{entry.count}</td>
                  <td>{formatDateTime(entry.lastUsedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}

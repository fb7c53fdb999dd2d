import type { ConnectionUsage } from '../../../../shared/environments'
import { useUsage } from '../../../api/environments'
import { plural } from '../../../lib/plural'
import { columnHelper, DataTable } from '../../../components/DataTable'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { formatDateTime } from '../format'
import styles from './ConnectionDetailsPage.module.css'

type UsageEntry = ConnectionUsage['entries'][number]
const helper = columnHelper<UsageEntry>()

const columns = helper.columns([
  helper.display({
    id: 'environment',
    header: 'Environment',
    cell: ({ row }) => row.original.environmentName ?? <em>deleted environment</em>,
  }),
  helper.display({
    id: 'operation',
    header: 'Operation',
    cell: ({ row }) => <span className="mono">{row.original.operation}</span>,
  }),
  helper.accessor('count', { header: 'Uses' }),
  helper.display({
    id: 'lastUsed',
    header: 'Last used',
    cell: ({ row }) => formatDateTime(row.original.lastUsedAt),
  }),
])

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
          <DataTable
            columns={columns}
            data={usage.data.entries.slice(0, 20)}
            getRowId={(entry) => `${entry.environmentId}:${entry.operation}`}
            label="Usage by environment and operation"
          />
        </>
      )}
    </section>
  )
}

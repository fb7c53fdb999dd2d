import { CircleAlert, CircleCheck } from 'lucide-react'
import { auditActionLabel, type AuditEntry } from '../../../shared/audit'
import { columnHelper, DataTable } from '../../components/DataTable'
import { formatDateTime } from '../connections/format'
import styles from './AuditPage.module.css'

const helper = columnHelper<AuditEntry>()

const columns = helper.columns([
  helper.display({
    id: 'time',
    header: 'Time',
    cell: ({ row }) => (
      <time dateTime={row.original.time}>{formatDateTime(row.original.time)}</time>
    ),
  }),
  helper.display({
    id: 'action',
    header: 'Action',
    // The code (what is stored and exported) stays one hover away.
    cell: ({ row }) => (
      <span className={styles.wrap} title={row.original.action}>
        {auditActionLabel(row.original.action)}
      </span>
    ),
  }),
  helper.display({
    id: 'target',
    header: 'Target',
    cell: ({ row }) => (
      <span className={styles.wrap}>
        {row.original.targetName ?? <span className={styles.muted}>{row.original.targetType}</span>}
      </span>
    ),
  }),
  helper.display({
    id: 'environment',
    header: 'Environment',
    cell: ({ row }) => (
      <span className={styles.wrap}>
        {row.original.environmentName ?? <span className={styles.muted}>—</span>}
      </span>
    ),
  }),
  helper.display({
    id: 'outcome',
    header: 'Outcome',
    cell: ({ row }) => (
      <span className={styles.outcome} data-outcome={row.original.outcome}>
        {row.original.outcome === 'success' ? (
          <CircleCheck aria-hidden="true" />
        ) : (
          <CircleAlert aria-hidden="true" />
        )}
        {row.original.outcome}
      </span>
    ),
  }),
  helper.display({
    id: 'actor',
    header: 'Actor',
    cell: ({ row }) => (
      <span
        className={styles.wrap}
        title={`${row.original.actorUser} (vault ${row.original.actorVault})`}
      >
        {row.original.actorUser}
      </span>
    ),
  }),
  helper.display({
    id: 'detail',
    header: 'Detail',
    cell: ({ row }) => <span className={styles.wrap}>{row.original.detail}</span>,
  }),
])

const layout = { scroller: styles.scroller, table: styles.table, row: styles.row }

interface Props {
  entries: AuditEntry[]
  total: number
  hasMore: boolean
  loadingMore: boolean
  loadMore: () => void
  /** The entry verification found broken, highlighted where it is shown. */
  brokenId: number | null
}

/** The trail, newest first, virtualized; older pages load as the end comes into view. */
export function AuditTimeline({ entries, total, hasMore, loadingMore, loadMore, brokenId }: Props) {
  return (
    <DataTable
      columns={columns}
      data={entries}
      getRowId={(entry) => String(entry.id)}
      rowAttributes={(entry) => ({
        'data-testid': 'audit-entry',
        'data-id': String(entry.id),
        'data-action': entry.action,
        'data-broken': entry.id === brokenId || undefined,
      })}
      virtual={{
        rowHeight: 48,
        // A long detail wraps onto more lines rather than being cut off.
        measureRows: true,
        overscan: 10,
        rowCount: total,
        scrollLabel: 'Audit entries, scrollable',
        layout,
        onLastRendered: (last) => {
          if (hasMore && !loadingMore && last >= entries.length - 20) loadMore()
        },
      }}
    />
  )
}

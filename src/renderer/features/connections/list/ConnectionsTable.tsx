import { useNavigate } from 'react-router'
import type { ConnectionSummary } from '../../../api/connections'
import type { ConnectionHealth } from '../../../api/health'
import { columnHelper, DataTable } from '../../../components/DataTable'
import { HealthStatus, healthLabel } from '../../health/HealthStatus'
import { authModeLabel, providerLabel } from '../catalog'
import { formatDate, formatDateTime } from '../format'
import styles from './ConnectionsTable.module.css'

/** A list row: the connection and, once loaded, its health. */
export type ConnectionRow = ConnectionSummary & { health?: ConnectionHealth | undefined }

const helper = columnHelper<ConnectionRow>()

/** Failing first when sorted ascending: what needs attention comes to the top. */
const HEALTH_ORDER = { failing: 0, warning: 1, unchecked: 2, healthy: 3 } as const

// Module scope: stable columns, so the row models are rebuilt only when data or sorting change.
const columns = helper.columns([
  helper.accessor('name', {
    header: 'Name',
    sortFn: 'text',
    cell: ({ row }) => (
      <span className={styles.nameCell}>
        <span className={styles.name}>{row.original.name}</span>
        <span className={styles.slug}>
          {row.original.slug}
          {row.original.useOnly && <span className={styles.useOnly}> · use-only</span>}
        </span>
      </span>
    ),
  }),
  helper.accessor((row) => providerLabel(row.provider), {
    id: 'provider',
    header: 'Provider',
    sortFn: 'text',
    cell: ({ getValue }) => <span className={styles.text}>{getValue()}</span>,
  }),
  helper.accessor((row) => authModeLabel(row.authMode), {
    id: 'authMode',
    header: 'Authentication',
    sortFn: 'text',
    cell: ({ getValue }) => <span className={styles.text}>{getValue()}</span>,
  }),
  helper.accessor((row) => row.labels.join(', '), {
    id: 'labels',
    header: 'Labels',
    sortFn: 'text',
    cell: ({ row }) =>
      row.original.labels.length === 0 ? (
        <span className={styles.none}>—</span>
      ) : (
        // Two chips fit a row; the rest are counted (search still finds them all).
        <span className={styles.labels} title={row.original.labels.join(', ')}>
          {row.original.labels.slice(0, 2).map((label) => (
            <span key={label} className={styles.chip}>
              {label}
            </span>
          ))}
          {row.original.labels.length > 2 && (
            <span className={styles.more}>+{row.original.labels.length - 2}</span>
          )}
        </span>
      ),
  }),
  helper.accessor((row) => `${HEALTH_ORDER[healthLabel(row.health).tone]}${row.name}`, {
    id: 'health',
    header: 'Health',
    sortFn: 'text',
    cell: ({ row }) => <HealthStatus health={row.original.health} />,
  }),
  helper.accessor((row) => row.lastUsedAt ?? '', {
    id: 'lastUsed',
    header: 'Last used',
    // ISO timestamps sort as strings; never used ('') sorts last when newest come first.
    sortFn: 'basic',
    sortDescFirst: true,
    cell: ({ row }) =>
      row.original.lastUsedAt ? (
        <time dateTime={row.original.lastUsedAt} title={formatDateTime(row.original.lastUsedAt)}>
          {formatDate(row.original.lastUsedAt)}
        </time>
      ) : (
        <span className={styles.none}>Never</span>
      ),
  }),
])

const layout = { scroller: styles.scroller, table: styles.table, row: styles.row }

interface Props {
  /** Already filtered by the search box. */
  connections: ConnectionRow[]
  /** The table's accessible name. */
  label: string
}

/**
 * The connections as a sortable, virtualized table: ten thousand connections scroll and sort as
 * smoothly as ten. Keyboard: Up/Down/Home/End/PageUp/PageDown move between rows, Enter opens one.
 */
export function ConnectionsTable({ connections, label }: Props) {
  const navigate = useNavigate()
  return (
    <DataTable
      columns={columns}
      data={connections}
      getRowId={(row) => row.id}
      label={label}
      initialSorting={[{ id: 'name', desc: false }]}
      rowAttributes={() => ({ 'data-testid': 'connection-row' })}
      virtual={{
        rowHeight: 52,
        overscan: 8,
        layout,
        onOpen: (row) => void navigate(`/connections/${row.id}`),
      }}
    />
  )
}

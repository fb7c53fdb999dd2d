import { useNavigate } from 'react-router'
import type { ConnectionSummary } from '../../../api/connections'
import type { ConnectionHealth } from '../../../api/health'
import { columnHelper, DataTable } from '../../../components/DataTable'
import { HealthStatus, healthLabel } from '../../health/HealthStatus'
import { providerLabel } from '../catalog'
import { formatDate, formatDateTime } from '../format'
import { ProviderIcon } from '../ProviderIcon'
import styles from './ConnectionsTable.module.css'

/** An environment a connection is authorized for, as its dot shows it. */
export interface RowEnvironment {
  name: string
  color: string
}

/** A list row: the connection and, once loaded, its health and environments. */
export type ConnectionRow = ConnectionSummary & {
  health?: ConnectionHealth | undefined
  environments?: readonly RowEnvironment[] | undefined
}

const helper = columnHelper<ConnectionRow>()

/** Failing first when sorted ascending: what needs attention comes to the top. */
const HEALTH_ORDER = { failing: 0, warning: 1, unchecked: 2, healthy: 3 } as const

// Module scope: stable columns, so the row models are rebuilt only when data or sorting change.
const columns = helper.columns([
  helper.accessor('name', {
    header: 'Name',
    sortFn: 'text',
    cell: ({ row }) => {
      const { name, slug, useOnly } = row.original
      const full = useOnly ? `${slug} · use-only` : slug
      return (
        <span className={styles.nameCell}>
          <span className={styles.name} title={name}>
            {name}
          </span>
          <span className={styles.slug} title={full}>
            {slug}
            {useOnly && <span className={styles.useOnly}> · use-only</span>}
          </span>
        </span>
      )
    },
  }),
  // An icon and the short provider id: the full name is the tooltip and the accessible text.
  helper.accessor((row) => providerLabel(row.provider), {
    id: 'provider',
    header: 'Provider',
    sortFn: 'text',
    cell: ({ row, getValue }) => (
      <span className={styles.provider} title={getValue()}>
        <ProviderIcon provider={row.original.provider} className={styles.providerIcon} />
        <span className={styles.providerId} aria-hidden="true">
          {row.original.provider}
        </span>
        <span className="visually-hidden">{getValue()}</span>
      </span>
    ),
  }),
  helper.accessor((row) => environmentNames(row.environments), {
    id: 'environments',
    header: 'Environments',
    // Not sortable: the header then fits its narrow column, and dots have no useful order.
    enableSorting: false,
    cell: ({ row, getValue }) => (
      <EnvironmentDots environments={row.original.environments} names={getValue()} />
    ),
  }),
  helper.accessor((row) => row.labels.join(', '), {
    id: 'labels',
    header: 'Labels',
    sortFn: 'text',
    cell: ({ row }) =>
      row.original.labels.length === 0 ? (
        <span className={styles.none} title="No labels">
          —
        </span>
      ) : (
        // One chip fits whole; the rest are counted (the tooltip names all, search finds all).
        <span className={styles.labels} title={row.original.labels.join(', ')}>
          <span className={styles.chip}>{row.original.labels[0]}</span>
          {row.original.labels.length > 1 && (
            <span className={styles.more}>
              +{row.original.labels.length - 1}
              <span className="visually-hidden">: {row.original.labels.slice(1).join(', ')}</span>
            </span>
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

function environmentNames(environments: readonly RowEnvironment[] | undefined): string {
  return (environments ?? []).map((environment) => environment.name).join(', ')
}

/** Dots that fit the column; the rest are counted (the tooltip names them all). */
const MAX_DOTS = 6

/** One coloured dot per environment; the names are the tooltip and the accessible name. */
function EnvironmentDots({
  environments,
  names,
}: {
  environments: readonly RowEnvironment[] | undefined
  names: string
}) {
  if (environments === undefined) return null
  if (environments.length === 0)
    return (
      <span className={styles.none} title="Not authorized for any environment">
        None
      </span>
    )
  return (
    <span className={styles.dots} role="img" aria-label={`Environments: ${names}`} title={names}>
      {environments.slice(0, MAX_DOTS).map((environment) => (
        <span
          key={environment.name}
          className={styles.dot}
          style={{ background: environment.color }}
        />
      ))}
      {environments.length > MAX_DOTS && (
        <span className={styles.more}>+{environments.length - MAX_DOTS}</span>
      )}
    </span>
  )
}

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

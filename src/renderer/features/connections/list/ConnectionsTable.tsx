import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type SortingState,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { ArrowDown, ArrowUp, ChevronsUpDown } from 'lucide-react'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useNavigate } from 'react-router'
import type { ConnectionSummary } from '../../../api/connections'
import type { ConnectionHealth } from '../../../api/health'
import { HealthStatus, healthLabel } from '../../health/HealthStatus'
import { authModeLabel, providerLabel } from '../catalog'
import { formatDate, formatDateTime } from '../format'
import styles from './ConnectionsTable.module.css'

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { text: sortFn_text, basic: sortFn_basic },
})
/** A list row: the connection and, once loaded, its health. */
export type ConnectionRow = ConnectionSummary & { health?: ConnectionHealth | undefined }

const helper = createColumnHelper<typeof features, ConnectionRow>()

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

const ROW_HEIGHT = 52

interface Props {
  /** Already filtered by the search box. */
  connections: ConnectionRow[]
  /** Total before filtering, for the row count screen readers hear. */
  label: string
}

/**
 * The connections as a sortable table. Only the rows in view are in the DOM (TanStack Virtual),
 * so ten thousand connections scroll and sort as smoothly as ten. Keyboard: Up/Down/Home/End/
 * PageUp/PageDown move between rows, Enter opens one.
 */
export function ConnectionsTable({ connections, label }: Props) {
  const navigate = useNavigate()
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }])
  const table = useTable({
    features,
    columns,
    data: connections,
    getRowId: (row) => row.id,
    state: { sorting },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
  })
  const rows = table.getRowModel().rows

  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read in render by design; nothing here is memoized by the compiler
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 8,
  })

  // The row that takes Tab focus (roving tabindex); kept in range as the filter narrows.
  const [active, setActive] = useState(0)
  const activeIndex = Math.min(active, Math.max(rows.length - 1, 0))
  const pendingFocus = useRef<number | null>(null)

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, index))
    setActive(next)
    pendingFocus.current = next
    virtualizer.scrollToIndex(next, { align: 'auto' })
  }

  // After a keyboard move the target row may only now be rendered: focus it once it is.
  useEffect(() => {
    const index = pendingFocus.current
    if (index === null) return
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`)
    if (row) {
      pendingFocus.current = null
      row.focus({ preventScroll: true })
    }
  })

  const open = (id: string) => void navigate(`/connections/${id}`)

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1)
    const target = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: rows.length - 1,
      PageDown: index + page,
      PageUp: index - page,
    }[event.key]
    if (target !== undefined) {
      event.preventDefault()
      moveTo(target)
    } else if (event.key === 'Enter') {
      event.preventDefault()
      open(id)
    }
  }

  const items = virtualizer.getVirtualItems()
  return (
    <div ref={scrollRef} className={styles.scroller}>
      <table className={styles.table} aria-label={label} aria-rowcount={rows.length + 1}>
        <thead className={styles.head}>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className={styles.row} aria-rowindex={1}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted()
                const Icon =
                  sorted === 'asc' ? ArrowUp : sorted === 'desc' ? ArrowDown : ChevronsUpDown
                return (
                  <th
                    key={header.id}
                    className={styles.th}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'
                    }
                  >
                    <button
                      type="button"
                      className={styles.sortButton}
                      onClick={header.column.getToggleSortingHandler()}
                    >
                      <table.FlexRender header={header} />
                      <Icon aria-hidden="true" className={styles.sortIcon} data-active={!!sorted} />
                    </button>
                  </th>
                )
              })}
            </tr>
          ))}
        </thead>
        <tbody className={styles.body} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]
            if (!row) return null
            return (
              <tr
                key={row.id}
                data-index={item.index}
                data-testid="connection-row"
                aria-rowindex={item.index + 2}
                className={`${styles.row} ${styles.bodyRow}`}
                style={{ transform: `translateY(${item.start}px)` }}
                tabIndex={item.index === activeIndex ? 0 : -1}
                onFocus={() => setActive(item.index)}
                onClick={() => open(row.id)}
                onKeyDown={(event) => onRowKeyDown(event, item.index, row.id)}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={styles.td}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

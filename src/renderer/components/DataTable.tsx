import {
  createColumnHelper,
  createSortedRowModel,
  rowSortingFeature,
  sortFn_basic,
  sortFn_text,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table'
import { ArrowDown, ArrowUp, ChevronsUpDown } from 'lucide-react'
import { useState } from 'react'
import styles from './DataTable.module.css'
import { VirtualBody } from './VirtualBody'

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { text: sortFn_text, basic: sortFn_basic },
})

/** The column helper for a DataTable of `Row`s. Build columns once (module scope or useMemo). */
export const columnHelper = <Row extends RowData>() => createColumnHelper<typeof features, Row>()

/** The header of a column of row buttons: named for screen readers, blank on screen. */
export const actionsHeader = () => <span className="visually-hidden">Actions</span>

/** Attributes a body row carries for tests and styles: data-testid, data-status... */
export type RowAttributes = Record<`data-${string}`, string | boolean | undefined>

/** A long list: only the rows in view are in the DOM (TanStack Virtual). */
export interface Virtual<Row> {
  /** Each row's height, or its least height when `measureRows`. */
  rowHeight: number
  /** Rows grow to fit cells that wrap; each is measured once rendered. */
  measureRows?: boolean | undefined
  overscan: number
  /** The rows there are in all, when more than are loaded (aria-rowcount). */
  rowCount?: number | undefined
  /** Told the last row rendered, to load more before the end comes into view. */
  onLastRendered?: ((index: number) => void) | undefined
  /**
   * Names the scroll box and makes it focusable, so the keyboard can scroll a table whose rows
   * are not focusable themselves.
   */
  scrollLabel?: string | undefined
  /** The column template (grid-template-columns) and sizes of this table. */
  layout: { scroller: string | undefined; table: string | undefined; row: string | undefined }
  /**
   * Rows open on click and Enter, and take focus: one at a time by Tab (roving tabindex), moved
   * by Up/Down/Home/End/PageUp/PageDown.
   */
  onOpen?: ((row: Row) => void) | undefined
}

export interface DataTableProps<Row extends RowData> {
  // The cell value type varies by column.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ReadonlyArray<ColumnDef<typeof features, Row, any>>
  data: Row[]
  getRowId: (row: Row) => string
  /** The table's accessible name. */
  label?: string | undefined
  testId?: string | undefined
  rowAttributes?: ((row: Row) => RowAttributes) | undefined
  /** Headers become sort buttons, starting with this order. */
  initialSorting?: SortingState | undefined
  /** Virtualized, in its own scroll box; otherwise a plain table that grows with its rows. */
  virtual?: Virtual<Row> | undefined
  /** A plain table as wide as its content rather than its panel. */
  fit?: boolean | undefined
}

/**
 * Every table of the app, built on TanStack Table: one markup (column headers, sort buttons with
 * aria-sort, aria-rowcount/rowindex when virtualized), one look and one keyboard model.
 */
export function DataTable<Row extends RowData>(props: DataTableProps<Row>) {
  const { columns, data, getRowId, label, testId, rowAttributes, initialSorting } = props
  const [sorting, setSorting] = useState<SortingState>(initialSorting ?? [])
  const table = useTable({
    features,
    columns,
    data,
    getRowId,
    state: { sorting },
    onSortingChange: setSorting,
    enableSorting: initialSorting !== undefined,
    enableSortingRemoval: false,
  })
  const rows = table.getRowModel().rows
  const virtual = props.virtual

  const head = (
    <thead className={virtual ? styles.virtualHead : undefined}>
      {table.getHeaderGroups().map((group) => (
        <tr key={group.id} className={virtual?.layout.row} aria-rowindex={virtual ? 1 : undefined}>
          {group.headers.map((header) => {
            if (!header.column.getCanSort()) {
              return (
                <th key={header.id} scope="col" className={styles.th}>
                  <table.FlexRender header={header} />
                </th>
              )
            }
            const sorted = header.column.getIsSorted()
            const Icon = sorted === 'asc' ? ArrowUp : sorted === 'desc' ? ArrowDown : ChevronsUpDown
            return (
              <th
                key={header.id}
                scope="col"
                className={`${styles.th} ${styles.sortable}`}
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
  )

  if (virtual) {
    return (
      <VirtualBody
        rows={rows}
        head={head}
        label={label}
        testId={testId}
        virtual={virtual}
        rowAttributes={rowAttributes}
        renderCell={(cell) => <table.FlexRender cell={cell} />}
      />
    )
  }
  return (
    <table
      className={styles.table}
      aria-label={label}
      data-testid={testId}
      data-fit={props.fit || undefined}
    >
      {head}
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} {...rowAttributes?.(row.original)}>
            {row.getAllCells().map((cell) => (
              <td key={cell.id}>
                <table.FlexRender cell={cell} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

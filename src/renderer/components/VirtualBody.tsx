import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import type { RowAttributes, Virtual } from './DataTable'
import styles from './DataTable.module.css'

interface BodyRow<Row, Cell> {
  id: string
  original: Row
  getAllCells: () => Cell[]
}

interface Props<Row, Cell extends { id: string }> {
  rows: BodyRow<Row, Cell>[]
  head: ReactNode
  label: string | undefined
  testId: string | undefined
  virtual: Virtual<Row>
  rowAttributes: ((row: Row) => RowAttributes) | undefined
  renderCell: (cell: Cell) => ReactNode
}

/**
 * A DataTable's virtualized form: the table scrolls in its own box and only the rows in view are
 * in the DOM, so ten thousand rows scroll and sort as smoothly as ten. Rows are laid out as a grid
 * (positioned by the virtualizer), hence aria-rowcount and aria-rowindex.
 */
export function VirtualBody<Row, Cell extends { id: string }>({
  rows,
  head,
  label,
  testId,
  virtual,
  rowAttributes,
  renderCell,
}: Props<Row, Cell>) {
  const { rowHeight, measureRows, layout, onOpen } = virtual
  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read in render by design; nothing here is memoized by the compiler
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: virtual.overscan,
  })
  const items = virtualizer.getVirtualItems()
  const last = items.at(-1)?.index ?? 0
  const onLastRendered = virtual.onLastRendered
  useEffect(() => onLastRendered?.(last), [last, onLastRendered])

  // The row that takes Tab focus (roving tabindex); kept in range as a filter narrows the rows.
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

  const onRowKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number, row: Row) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1)
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
      onOpen?.(row)
    }
  }

  return (
    <div
      ref={scrollRef}
      className={classes(styles.scroller, layout.scroller)}
      tabIndex={virtual.scrollLabel ? 0 : undefined}
      aria-label={virtual.scrollLabel}
    >
      <table
        className={classes(styles.virtualTable, layout.table)}
        aria-label={label}
        data-testid={testId}
        aria-rowcount={(virtual.rowCount ?? rows.length) + 1}
      >
        {head}
        <tbody className={styles.virtualBody} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]
            if (!row) return null
            return (
              <tr
                key={row.id}
                {...rowAttributes?.(row.original)}
                data-index={item.index}
                ref={measureRows ? virtualizer.measureElement : undefined}
                aria-rowindex={item.index + 2}
                className={classes(layout.row, styles.virtualRow)}
                style={{
                  [measureRows ? 'minHeight' : 'height']: rowHeight,
                  transform: `translateY(${item.start}px)`,
                }}
                {...(onOpen && {
                  'data-opens': true,
                  tabIndex: item.index === activeIndex ? 0 : -1,
                  onFocus: () => setActive(item.index),
                  onClick: () => onOpen(row.original),
                  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) =>
                    onRowKeyDown(event, item.index, row.original),
                })}
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id} className={styles.virtualCell}>
                    {renderCell(cell)}
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

const classes = (...names: (string | undefined)[]) => names.filter(Boolean).join(' ')

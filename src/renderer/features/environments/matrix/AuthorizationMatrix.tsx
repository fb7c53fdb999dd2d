import { useVirtualizer } from '@tanstack/react-virtual'
import { Check, Lock, Minus, Plus } from 'lucide-react'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { ProviderIcon } from '../../connections/ProviderIcon'
import { providerLabel } from '../../connections/catalog'
import styles from './AuthorizationMatrix.module.css'
import {
  countAuthorized,
  isAuthorized,
  isSaved,
  toggleCell,
  toggleLine,
  type SavedMatrix,
  type Staged,
} from './staging'

const ROW_HEIGHT = 40
const COLUMN_WIDTH = 148
const ROW_HEADER_WIDTH = 300
const HEADER_HEIGHT = 84

interface Props {
  saved: SavedMatrix
  staged: Staged
  onStage: (next: Staged) => void
  /** Indexes into the matrix's connections that pass the row filters, in display order. */
  rows: readonly number[]
  /** Indexes into the matrix's environments that pass the column filter. */
  columns: readonly number[]
}

/** A position in the grid: -1 is the header row (r) or the row-header column (c). */
interface Position {
  r: number
  c: number
}

/**
 * The authorization matrix as an ARIA grid: connections down, environments across, a toggle in
 * each cell. Rows and columns are both virtualized (only what is in view is in the DOM) with the
 * header row and the connection column sticky, so 2,000 x 50 scrolls like 10 x 3.
 *
 * Keyboard: one tab stop; arrows move, Home/End go to the row's ends (with Ctrl, the grid's),
 * PageUp/PageDown move a screen; Space or Enter toggles the cell — on a row header the whole row
 * (across the shown environments), on a column header the whole column (down the shown rows).
 */
export function AuthorizationMatrix({ saved, staged, onStage, rows, columns }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const { connections, environments } = saved.matrix

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizers are read in render by design
  const rowVirtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    overscan: 6,
  })
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: columns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => COLUMN_WIDTH,
    paddingStart: ROW_HEADER_WIDTH,
    scrollPaddingStart: ROW_HEADER_WIDTH,
    overscan: 3,
  })

  const [active, setActive] = useState<Position>({ r: 0, c: 0 })
  // Kept inside the grid as filters shrink it.
  const at: Position = {
    r: Math.min(active.r, rows.length - 1),
    c: Math.min(active.c, columns.length - 1),
  }
  const pendingFocus = useRef<Position | null>(null)

  const moveTo = (next: Position) => {
    const target = {
      r: Math.max(-1, Math.min(rows.length - 1, next.r)),
      c: Math.max(-1, Math.min(columns.length - 1, next.c)),
    }
    setActive(target)
    pendingFocus.current = target
    if (target.r >= 0) rowVirtualizer.scrollToIndex(target.r, { align: 'auto' })
    if (target.c >= 0) columnVirtualizer.scrollToIndex(target.c, { align: 'auto' })
  }

  // The target of a keyboard move may only be rendered after scrolling: focus it once it is.
  useEffect(() => {
    const target = pendingFocus.current
    if (!target) return
    const element = scrollRef.current?.querySelector<HTMLElement>(
      `[data-pos="${target.r}:${target.c}"]`,
    )
    if (element) {
      pendingFocus.current = null
      element.focus({ preventScroll: true })
    }
  })

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const screen = Math.max(
      1,
      Math.floor(((scrollRef.current?.clientHeight ?? 400) - HEADER_HEIGHT) / ROW_HEIGHT) - 1,
    )
    const ctrl = event.ctrlKey || event.metaKey
    const moves: Record<string, Position> = {
      ArrowDown: { r: at.r + 1, c: at.c },
      ArrowUp: { r: at.r - 1, c: at.c },
      ArrowRight: { r: at.r, c: at.c + 1 },
      ArrowLeft: { r: at.r, c: at.c - 1 },
      Home: ctrl ? { r: 0, c: 0 } : { r: at.r, c: -1 },
      End: ctrl
        ? { r: rows.length - 1, c: columns.length - 1 }
        : { r: at.r, c: columns.length - 1 },
      PageDown: { r: at.r + screen, c: at.c },
      PageUp: { r: Math.max(0, at.r - screen), c: at.c },
    }
    const target = moves[event.key]
    if (target) {
      event.preventDefault()
      moveTo(target)
    }
  }

  const rowCells = (r: number) => columns.map((column) => [rows[r]!, column] as const)
  const columnCells = (c: number) => rows.map((row) => [row, columns[c]!] as const)
  const tabIndex = (r: number, c: number) => (r === at.r && c === at.c ? 0 : -1)
  const focusProps = (r: number, c: number) => ({
    'data-pos': `${r}:${c}`,
    tabIndex: tabIndex(r, c),
    onFocus: () => setActive({ r, c }),
  })

  const rowItems = rowVirtualizer.getVirtualItems()
  const columnItems = columnVirtualizer.getVirtualItems()
  const width = columnVirtualizer.getTotalSize()
  const height = rowVirtualizer.getTotalSize()

  return (
    <div
      ref={scrollRef}
      className={styles.scroller}
      role="grid"
      aria-label="Authorization matrix"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 1}
      onKeyDown={onKeyDown}
    >
      <div className={styles.canvas} style={{ width, height }}>
        <div role="row" aria-rowindex={1} className={styles.headerRow} style={{ width }}>
          <div
            role="columnheader"
            aria-colindex={1}
            className={styles.corner}
            {...focusProps(-1, -1)}
          >
            <span>Connection</span>
            <span className={styles.cornerHint}>
              {rows.length.toLocaleString()} × {columns.length.toLocaleString()}
            </span>
          </div>
          {columnItems.map((item) => {
            const env = environments[columns[item.index]!]!
            const cells = columnCells(item.index)
            const count = countAuthorized(saved, staged, cells)
            return (
              <div
                key={env.id}
                role="columnheader"
                aria-colindex={item.index + 2}
                className={styles.columnHeader}
                style={{ transform: `translateX(${item.start}px)`, width: item.size }}
              >
                <button
                  type="button"
                  className={styles.lineToggle}
                  title={env.description ? `${env.name}: ${env.description}` : env.name}
                  aria-label={`${env.name}: toggle for all ${cells.length} shown connections (${count} authorized)`}
                  onClick={() => onStage(toggleLine(saved, staged, cells))}
                  {...focusProps(-1, item.index)}
                >
                  <span className={styles.envName}>
                    <span className={styles.swatch} style={{ background: env.color }} />
                    <span className={styles.envLabel}>{env.name}</span>
                    {env.protected && <Lock aria-hidden="true" className={styles.lock} />}
                  </span>
                  <span className={styles.lineCount} aria-hidden="true">
                    {count.toLocaleString()} / {cells.length.toLocaleString()}
                  </span>
                </button>
              </div>
            )
          })}
        </div>
        {rowItems.map((rowItem) => {
          const row = rows[rowItem.index]!
          const connection = connections[row]!
          const cells = rowCells(rowItem.index)
          const count = countAuthorized(saved, staged, cells)
          return (
            <div
              key={connection.id}
              role="row"
              aria-rowindex={rowItem.index + 2}
              className={styles.row}
              style={{ transform: `translateY(${rowItem.start}px)`, width }}
            >
              <div role="rowheader" aria-colindex={1} className={styles.rowHeader}>
                <button
                  type="button"
                  className={styles.rowToggle}
                  aria-label={`${connection.name}: toggle for all ${cells.length} shown environments (${count} authorized)`}
                  onClick={() => onStage(toggleLine(saved, staged, cells))}
                  {...focusProps(rowItem.index, -1)}
                >
                  <ProviderIcon provider={connection.provider} className={styles.providerIcon} />
                  <span className={styles.connectionText}>
                    <span className={styles.connectionName}>{connection.name}</span>
                    <span className={styles.provider}>{providerLabel(connection.provider)}</span>
                  </span>
                  <span className={styles.lineCount} aria-hidden="true">
                    {count}/{cells.length}
                  </span>
                </button>
              </div>
              {columnItems.map((columnItem) => {
                const column = columns[columnItem.index]!
                const env = environments[column]!
                const on = isAuthorized(saved, staged, row, column)
                const changed = on !== isSaved(saved, row, column)
                const state = changed ? (on ? 'grant' : 'revoke') : on ? 'on' : 'off'
                return (
                  <div
                    key={env.id}
                    role="gridcell"
                    aria-colindex={columnItem.index + 2}
                    className={styles.cell}
                    style={{
                      transform: `translateX(${columnItem.start}px)`,
                      width: columnItem.size,
                    }}
                  >
                    <button
                      type="button"
                      role="checkbox"
                      aria-checked={on}
                      aria-label={`${connection.name} in ${env.name}${changed ? (on ? ' (grant pending)' : ' (revoke pending)') : ''}`}
                      className={styles.toggle}
                      data-state={state}
                      onClick={() => onStage(toggleCell(saved, staged, row, column))}
                      {...focusProps(rowItem.index, columnItem.index)}
                    >
                      {state === 'on' && <Check aria-hidden="true" />}
                      {state === 'grant' && <Plus aria-hidden="true" />}
                      {state === 'revoke' && <Minus aria-hidden="true" />}
                    </button>
                  </div>
                )
              })}
            </div>
          )
        })}
      </div>
    </div>
  )
}

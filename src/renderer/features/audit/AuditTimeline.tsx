import { useVirtualizer } from '@tanstack/react-virtual'
import { CircleAlert, CircleCheck } from 'lucide-react'
import { useEffect, useRef } from 'react'
import type { AuditEntry } from '../../../shared/audit'
import { formatDateTime } from '../connections/format'
import styles from './AuditPage.module.css'

const ROW_HEIGHT = 48

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
  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read in render by design
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  })
  const items = virtualizer.getVirtualItems()
  const last = items.at(-1)?.index ?? 0

  useEffect(() => {
    if (hasMore && !loadingMore && last >= entries.length - 20) loadMore()
  }, [last, entries.length, hasMore, loadingMore, loadMore])

  return (
    <div
      ref={scrollRef}
      className={styles.scroller}
      tabIndex={0}
      aria-label="Audit entries, scrollable"
    >
      <table className={styles.table} aria-rowcount={total + 1}>
        <thead className={styles.head}>
          <tr className={styles.row} aria-rowindex={1}>
            <th className={styles.th}>Time</th>
            <th className={styles.th}>Action</th>
            <th className={styles.th}>Target</th>
            <th className={styles.th}>Environment</th>
            <th className={styles.th}>Outcome</th>
            <th className={styles.th}>Actor</th>
            <th className={styles.th}>Detail</th>
          </tr>
        </thead>
        <tbody className={styles.body} style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const entry = entries[item.index]
            if (!entry) return null
            return (
              <tr
                key={entry.id}
                data-testid="audit-entry"
                data-id={entry.id}
                data-broken={entry.id === brokenId || undefined}
                aria-rowindex={item.index + 2}
                className={`${styles.row} ${styles.bodyRow}`}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <td className={styles.td}>
                  <time dateTime={entry.time}>{formatDateTime(entry.time)}</time>
                </td>
                <td className={`${styles.td} mono`}>{entry.action}</td>
                <td className={styles.td} title={entry.targetName ?? entry.targetType}>
                  {entry.targetName ?? <span className={styles.muted}>{entry.targetType}</span>}
                </td>
                <td className={styles.td}>
                  {entry.environmentName ?? <span className={styles.muted}>—</span>}
                </td>
                <td className={styles.td}>
                  <span className={styles.outcome} data-outcome={entry.outcome}>
                    {entry.outcome === 'success' ? (
                      <CircleCheck aria-hidden="true" />
                    ) : (
                      <CircleAlert aria-hidden="true" />
                    )}
                    {entry.outcome}
                  </span>
                </td>
                <td className={styles.td} title={`${entry.actorUser} (vault ${entry.actorVault})`}>
                  {entry.actorUser}
                </td>
                <td className={styles.td} title={entry.detail}>
                  <span className={styles.detail}>{entry.detail}</span>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

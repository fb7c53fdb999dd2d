import type { ConnectionHealth } from '../../api/health'
import { formatDateTime, timeAgo } from '../connections/format'
import styles from './HealthStatus.module.css'

type Tone = 'healthy' | 'failing' | 'unchecked' | 'warning'

/** What the dot says, in words too (colour is never the only signal). */
export function healthLabel(health: ConnectionHealth | undefined): { text: string; tone: Tone } {
  if (!health || health.status === 'unchecked') return { text: 'Not verified', tone: 'unchecked' }
  // The verdict was about the secret before the rotation: neither green nor red is true now.
  if (health.warnings.some((warning) => warning.kind === 'stale'))
    return { text: 'Changed since verified', tone: 'unchecked' }
  if (health.status === 'failing') return { text: 'Failing', tone: 'failing' }
  if (health.warnings.length > 0) return { text: 'Healthy, with a warning', tone: 'warning' }
  return { text: 'Healthy', tone: 'healthy' }
}

/**
 * The list's status dot with "Last verified" under it. The tooltip holds the error or the
 * warning, so a glance down the list tells what needs attention.
 */
export function HealthStatus({ health }: { health: ConnectionHealth | undefined }) {
  const { text, tone } = healthLabel(health)
  const why = health?.error?.message ?? health?.warnings[0]?.message
  return (
    <span className={`${styles.status} ${styles[tone]}`} title={why ?? text}>
      <span className={styles.dot} aria-hidden="true" />
      <span className={styles.when}>
        <span className={styles.label}>{text}</span>
        {health?.checkedAt && (
          <time
            className={styles.time}
            dateTime={health.checkedAt}
            title={formatDateTime(health.checkedAt)}
          >
            Verified {timeAgo(health.checkedAt)}
          </time>
        )}
      </span>
    </span>
  )
}

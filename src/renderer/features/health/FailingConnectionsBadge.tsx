import { useHealthList } from '../../api/health'
import styles from './FailingConnectionsBadge.module.css'

/**
 * "N failing" beside Connections in the sidebar: the lasting, quiet signal of a broken
 * connection, where a toast would repeat what the connection's own page already says.
 */
export function FailingConnectionsBadge() {
  const { data } = useHealthList()
  const failing = data?.filter((health) => health.status === 'failing').length ?? 0
  if (failing === 0) return null
  return (
    <span className={styles.badge} data-testid="failing-connections">
      <span aria-hidden="true">{failing} failing</span>
      <span className="visually-hidden">
        {failing === 1 ? '1 failing connection' : `${failing} failing connections`}
      </span>
    </span>
  )
}

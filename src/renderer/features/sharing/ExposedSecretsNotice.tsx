import { useQueries } from '@tanstack/react-query'
import {
  exposedUnderUseOnly,
  REFUSE_EXPOSED_USE_ONLY_LABEL,
} from '../../../shared/providers/use-only-exchange'
import { connectionQuery } from '../../api/connections'
import styles from './Sharing.module.css'

interface ExposedSecret {
  name: string
  /** "the token itself": what the tools receive. */
  what: string
}

/**
 * Of the picked connections, those whose tools would receive the stored secret as it is. Their
 * details (the config says whether ECR borrows an AWS connection, how Kubernetes signs in) are
 * the ones the connection page already caches.
 */
export function useExposedSecrets(ids: readonly string[]): ExposedSecret[] {
  const details = useQueries({
    queries: ids.map(connectionQuery),
  })
  const loaded = details.flatMap((query) => (query.data ? [query.data] : []))
  return exposedUnderUseOnly(loaded).map(({ connection, what }) => ({
    name: connection.name,
    what,
  }))
}

/**
 * Said before a use-only share is made, and to its recipient before import: use-only cannot hide
 * a secret that tools receive as it is. `refused`: the sender's setting will refuse the share.
 */
export function ExposedSecretsNotice({
  exposed,
  whose,
  refused = false,
}: {
  exposed: readonly ExposedSecret[]
  whose: 'the recipient’s' | 'your'
  refused?: boolean
}) {
  if (exposed.length === 0) return null
  return (
    <div
      className={styles.notice}
      data-tone={refused ? 'danger' : undefined}
      role="status"
      data-testid="exposed-secrets-notice"
    >
      <p>
        <strong>Use-only cannot hide these secrets:</strong> {whose} tools receive them as they are.
      </p>
      <ul className={styles.exposedList}>
        {exposed.map((item) => (
          <li key={item.name}>
            <strong>{item.name}</strong> — {item.what}
          </li>
        ))}
      </ul>
      {refused && (
        <p>
          Your setting “{REFUSE_EXPOSED_USE_ONLY_LABEL}” is on: this share will be refused. Leave
          these out, untick Use-only, or change the setting on the Sharing page.
        </p>
      )}
    </div>
  )
}

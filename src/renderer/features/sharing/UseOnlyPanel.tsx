import { useOnlyDelivery } from '../../../shared/providers/use-only-exchange'
import type { ConnectionDetail } from '../../api/connections'
import { formatDateTime } from '../connections/format'
import styles from './Sharing.module.css'

/**
 * On an imported connection's page: who shared it, for where and until when, and, for a
 * use-only one, exactly what that protects against and what it does not.
 */
export function UseOnlyPanel({ detail }: { detail: ConnectionDetail }) {
  const share = detail.share
  const useOnly = detail.useOnly === true
  const receives = useOnlyDelivery(detail.provider, detail.authMode, detail.config)
  return (
    <section className={styles.panel} aria-labelledby="use-only-title" data-testid="use-only-panel">
      <h2 id="use-only-title" className={styles.panelTitle}>
        {useOnly ? 'Use-only connection' : 'Imported from a share'}
        {share?.expired && (
          <>
            {' '}
            <span className={styles.badge} data-tone="danger">
              Expired — disabled
            </span>
          </>
        )}
      </h2>
      {share && (
        <dl className={styles.facts}>
          <dt>Shared by</dt>
          <dd>
            {share.sharedBy} <span className="mono">({share.senderFingerprint})</span>
          </dd>
          <dt>May be used in</dt>
          <dd>{share.scope.join(', ')}</dd>
          <dt>{share.expired ? 'Expired' : 'Expires'}</dt>
          <dd>
            <time dateTime={share.expiresAt}>{formatDateTime(share.expiresAt)}</time>
            {useOnly && !share.expired && ' — then it stops working here.'}
          </dd>
          <dt>Imported</dt>
          <dd>
            <time dateTime={share.importedAt}>{formatDateTime(share.importedAt)}</time>
          </dd>
        </dl>
      )}
      {useOnly && (
        <div className={`${styles.notice} ${styles.spaced}`} data-tone="info">
          <p>
            <strong>What use-only does.</strong> Bridgekeep uses this secret for tools (the runner,{' '}
            <code>bridgekeep exec</code>) only in the environments above and only until it expires.
            This app never reveals it, copies it, lets you change its settings, or shares it on.
          </p>
          <p>
            <strong>What tools receive.</strong> {capitalized(receives.what)}
            {receives.exposed
              ? ': any tool run with it can print the secret, so use-only cannot hide it.'
              : receives.exchanged
                ? ', made from the secret when they run; the secret itself stays in the vault.'
                : '.'}
          </p>
          <p>
            <strong>What it does not do.</strong> The secret is on this computer, encrypted in your
            vault. Someone determined, with debugging tools, could still extract it. Use-only stops
            casual reveal, copy and re-sharing; it is not a guarantee against the recipient.
          </p>
        </div>
      )}
    </section>
  )
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

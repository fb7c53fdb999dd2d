import { ChevronDown } from 'lucide-react'
import { useState } from 'react'
import type { ConnectionDetail } from '../../../api/connections'
import { useOnlyDelivery } from '../../../../shared/providers/use-only-exchange'
import { SESSION_DURATION_FIELD, sessionLengthLabel } from '../../../../shared/aws/session-duration'
import { authModeLabel, getProvider } from '../catalog'
import { formatDateTime } from '../format'
import styles from './ConnectionDetailsPage.module.css'

// Remembered for the session: someone who folds it away once does not want it back on every page.
const OPEN_KEY = 'bridgekeep.connection-overview-open'

function initiallyOpen(): boolean {
  try {
    return sessionStorage.getItem(OPEN_KEY) !== 'false'
  } catch {
    return true
  }
}

/** Provider, authentication, slug, labels and dates, behind a disclosure button. */
export function OverviewPanel({ detail }: { detail: ConnectionDetail }) {
  const [open, setOpen] = useState(initiallyOpen)
  // Not a hook, despite its name: what the tools get when only short-lived credentials may go.
  const receives = useOnlyDelivery(detail.provider, detail.authMode, detail.config)
  const toggle = () => {
    const next = !open
    setOpen(next)
    try {
      sessionStorage.setItem(OPEN_KEY, String(next))
    } catch {
      // Storage refused (private mode): the choice lasts for this page only.
    }
  }
  return (
    <section className={styles.panel} aria-labelledby="overview-title">
      <h2 id="overview-title" className={styles.panelTitle}>
        <button
          type="button"
          className={styles.disclosure}
          aria-expanded={open}
          aria-controls="overview-facts"
          onClick={toggle}
        >
          <ChevronDown aria-hidden="true" className={styles.chevron} />
          Overview
        </button>
      </h2>
      <dl id="overview-facts" className={styles.facts} hidden={!open}>
        <dt>Provider</dt>
        <dd>{getProvider(detail.provider)?.label ?? detail.provider}</dd>
        <dt>Authentication</dt>
        <dd>{authModeLabel(detail.authMode)}</dd>
        {detail.shortLivedOnly && (
          <>
            <dt>Tools receive</dt>
            <dd>Short-lived credentials only: {receives.what}, never the stored secret</dd>
          </>
        )}
        {detail.provider === 'aws' && detail.authMode !== 'runner-delegated' && (
          <>
            <dt>Session duration</dt>
            <dd data-testid="session-duration">
              {sessionLengthLabel(detail.config)}
              {detail.config[SESSION_DURATION_FIELD] ? '' : ' (the default)'}
            </dd>
          </>
        )}
        <dt>Slug</dt>
        <dd className="mono">{detail.slug}</dd>
        <dt>Labels</dt>
        <dd>
          {detail.labels.length === 0 ? (
            <span className={styles.muted}>None</span>
          ) : (
            <ul className={styles.chips} aria-label="Labels">
              {detail.labels.map((label) => (
                <li key={label} className={styles.chip}>
                  {label}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={detail.createdAt}>{formatDateTime(detail.createdAt)}</time>
        </dd>
        <dt>Updated</dt>
        <dd>
          <time dateTime={detail.updatedAt}>{formatDateTime(detail.updatedAt)}</time>
        </dd>
      </dl>
    </section>
  )
}

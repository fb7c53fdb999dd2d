import { ShieldCheck } from 'lucide-react'
import { useId } from 'react'
import {
  useConnectionHealth,
  useSetCheckInterval,
  useVerify,
  type ConnectionHealth,
} from '../../api/health'
import { isBridgekeepError } from '../../../shared/errors'
import { ErrorNotice } from '../../components/ErrorNotice'
import { formatDateTime, timeAgo } from '../connections/format'
import { AuthorizeAndVerify } from './AuthorizeAndVerify'
import { HealthStatus } from './HealthStatus'
import styles from './HealthPanel.module.css'

const INTERVALS: { minutes: number | null; label: string }[] = [
  { minutes: 15, label: 'Every 15 minutes' },
  { minutes: 60, label: 'Every hour' },
  { minutes: 360, label: 'Every 6 hours (default)' },
  { minutes: 720, label: 'Every 12 hours' },
  { minutes: 1440, label: 'Every day' },
  { minutes: 10_080, label: 'Every week' },
  { minutes: null, label: 'Off' },
]

/**
 * The details page's Health section: what the last verify proved (identity, environment, secret
 * version, latency) or why it failed and what to do, the warnings worth acting on, and the
 * schedule. "Verify" runs one now, through the runner (started if needed).
 */
export function HealthPanel({
  connectionId,
  disabled,
  offerVerify = false,
}: {
  connectionId: string
  disabled: boolean
  /** A connection just saved: never verified, so "Verify now" is the next step. */
  offerVerify?: boolean
}) {
  const health = useConnectionHealth(connectionId)
  const verify = useVerify()
  const current = health.data
  const verifyNow = offerVerify && current?.status === 'unchecked'
  return (
    <section className={styles.panel} aria-labelledby="health-title" aria-busy={verify.isPending}>
      <div className={styles.header}>
        <h2 id="health-title" className={styles.title}>
          Health
        </h2>
        <button
          type="button"
          className={verifyNow ? 'button primary' : 'button'}
          disabled={disabled || verify.isPending}
          onClick={() => verify.mutate({ connectionId })}
        >
          <ShieldCheck aria-hidden="true" />
          {verify.isPending ? 'Verifying…' : verifyNow ? 'Verify now' : 'Verify'}
        </button>
      </div>
      {health.isError ? (
        <ErrorNotice error={health.error} title="Health could not be loaded" />
      ) : (
        <>
          {verify.isError && (
            <ErrorNotice
              error={verify.error}
              title="The connection could not be verified"
              action={
                isBridgekeepError(verify.error) && verify.error.code === 'NOT_AUTHORIZED' ? (
                  <AuthorizeAndVerify
                    connectionId={connectionId}
                    verify={(environmentId) => verify.mutate({ connectionId, environmentId })}
                  />
                ) : undefined
              }
            />
          )}
          <div role="status" aria-live="polite">
            <HealthStatus health={current} />
          </div>
          {current && <Result health={current} />}
          {current && <Schedule health={current} disabled={disabled} />}
        </>
      )}
    </section>
  )
}

function Result({ health }: { health: ConnectionHealth }) {
  if (health.status === 'unchecked') {
    return (
      <p className={styles.intro}>
        Not verified yet. Verify proves the credential against its service through the runner, with
        the official SDK, and shows the identity it proved. Scheduled checks do the same in the
        background.
      </p>
    )
  }
  return (
    <>
      {health.status === 'failing' && health.error && (
        <div className={styles.problem} data-testid="health-error">
          <p className={styles.problemMessage}>{health.error.message}</p>
          <p className={styles.remedy}>{health.error.remedy}</p>
        </div>
      )}
      {health.warnings.length > 0 && (
        <ul className={styles.warnings} aria-label="Warnings">
          {health.warnings.map((warning) => (
            <li key={warning.kind} className={styles.warning}>
              {warning.message}
            </li>
          ))}
        </ul>
      )}
      <dl className={styles.facts}>
        {health.identity && (
          <>
            <dt>Identity</dt>
            <dd className={styles.identity} data-testid="health-identity">
              {health.identity.label}
            </dd>
            {Object.entries(health.identity.details)
              .filter(([, value]) => value !== health.identity?.label)
              .map(([name, value]) => (
                <Fact key={name} term={detailLabel(name)} value={value} />
              ))}
          </>
        )}
        {health.checkedAt && (
          <>
            <dt>Last verified</dt>
            <dd>
              <time dateTime={health.checkedAt} title={formatDateTime(health.checkedAt)}>
                {timeAgo(health.checkedAt)}
              </time>
              {health.environmentName && ` in ${health.environmentName}`}
              {health.secretVersion !== undefined && `, secret version ${health.secretVersion}`}
              {health.latencyMs !== undefined && `, ${Math.round(health.latencyMs)} ms`}
              {health.checkedBy && (
                <span data-testid="health-checked-by">, checked by {health.checkedBy}</span>
              )}
            </dd>
          </>
        )}
        {health.consecutiveFailures > 1 && (
          <Fact term="Failed checks in a row" value={String(health.consecutiveFailures)} />
        )}
        {health.expiresAt && <Fact term="Expires" value={formatDateTime(health.expiresAt)} />}
        {health.secretAgeDays !== undefined && (
          <Fact
            term="Secret age"
            value={health.secretAgeDays === 1 ? '1 day' : `${health.secretAgeDays} days`}
          />
        )}
      </dl>
      {health.notes && health.notes.length > 0 && (
        <ul className={styles.notes} aria-label="What the check did not cover">
          {health.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </>
  )
}

function Schedule({ health, disabled }: { health: ConnectionHealth; disabled: boolean }) {
  const id = useId()
  const setInterval = useSetCheckInterval()
  return (
    <div className={styles.schedule}>
      <label htmlFor={id}>Scheduled checks</label>
      <select
        id={id}
        className="input"
        disabled={disabled || setInterval.isPending}
        value={health.intervalMinutes === null ? 'off' : String(health.intervalMinutes)}
        onChange={(event) =>
          setInterval.mutate({
            connectionId: health.connectionId,
            intervalMinutes: event.target.value === 'off' ? null : Number(event.target.value),
          })
        }
      >
        {INTERVALS.map((option) => (
          <option key={option.label} value={option.minutes === null ? 'off' : option.minutes}>
            {option.label}
          </option>
        ))}
        {health.intervalMinutes !== null &&
          !INTERVALS.some((option) => option.minutes === health.intervalMinutes) && (
            <option value={health.intervalMinutes}>Every {health.intervalMinutes} minutes</option>
          )}
      </select>
      {health.intervalMinutes !== null && health.nextCheckAt && (
        <span className={styles.next}>
          Next check around {formatDateTime(health.nextCheckAt)}
          {health.consecutiveFailures > 1 && ' (later while failing)'}
        </span>
      )}
      {setInterval.isError && <ErrorNotice error={setInterval.error} />}
    </div>
  )
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  )
}

const ACRONYMS = new Set(['arn', 'id', 'url', 'api', 'ip', 'oidc'])

/** "clientEmail" or "client_email" -> "Client email"; "userId" -> "User ID". */
function detailLabel(name: string): string {
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word))
    .join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

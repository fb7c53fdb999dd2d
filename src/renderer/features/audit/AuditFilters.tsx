import {
  auditActionLabels,
  auditActions,
  auditOutcomes,
  type AuditFilter,
} from '../../../shared/audit'
import { useConnections } from '../../api/connections'
import { useEnvironments } from '../../api/environments'
import styles from './AuditPage.module.css'

const ANY = ''

/** The start of a local calendar day as an ISO time (the filter's inclusive bound). */
function dayStart(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString()
}
/** The start of the day after: the filter's exclusive upper bound covers the whole day. */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00`)
  next.setDate(next.getDate() + 1)
  return next.toISOString()
}

export interface FilterForm {
  connectionId: string
  environmentId: string
  action: string
  outcome: string
  from: string
  to: string
}

export const emptyFilterForm: FilterForm = {
  connectionId: ANY,
  environmentId: ANY,
  action: ANY,
  outcome: ANY,
  from: '',
  to: '',
}

/** Whether any filter is set (what "Clear filters" and the empty-result wording depend on). */
export function isFiltered(form: FilterForm): boolean {
  return (Object.keys(form) as (keyof FilterForm)[]).some(
    (key) => form[key] !== emptyFilterForm[key],
  )
}

/** The form as main's filter: only what is set; dates as whole local days. */
export function toAuditFilter(form: FilterForm): AuditFilter {
  return {
    ...(form.connectionId ? { connectionId: form.connectionId } : {}),
    ...(form.environmentId ? { environmentId: form.environmentId } : {}),
    ...(form.action ? { actions: [form.action as (typeof auditActions)[number]] } : {}),
    ...(form.outcome ? { outcome: form.outcome as (typeof auditOutcomes)[number] } : {}),
    ...(form.from ? { from: dayStart(form.from) } : {}),
    ...(form.to ? { to: dayAfter(form.to) } : {}),
  }
}

export function AuditFilters({
  form,
  onChange,
}: {
  form: FilterForm
  onChange: (form: FilterForm) => void
}) {
  const connections = useConnections()
  const environments = useEnvironments()
  const set = (key: keyof FilterForm) => (value: string) => onChange({ ...form, [key]: value })
  return (
    <div className={styles.filters} role="search" aria-label="Filter the audit trail">
      <select
        className={`input ${styles.filter}`}
        aria-label="Connection"
        value={form.connectionId}
        onChange={(event) => set('connectionId')(event.target.value)}
      >
        <option value={ANY}>All connections</option>
        {connections.data?.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <select
        className={`input ${styles.filter}`}
        aria-label="Environment"
        value={form.environmentId}
        onChange={(event) => set('environmentId')(event.target.value)}
      >
        <option value={ANY}>All environments</option>
        {environments.data?.map((env) => (
          <option key={env.id} value={env.id}>
            {env.name}
          </option>
        ))}
      </select>
      <select
        className={`input ${styles.filter}`}
        aria-label="Action"
        value={form.action}
        onChange={(event) => set('action')(event.target.value)}
      >
        <option value={ANY}>All actions</option>
        {auditActions.map((action) => (
          <option key={action} value={action}>
            {auditActionLabels[action]}
          </option>
        ))}
      </select>
      <select
        className={`input ${styles.filter} ${styles.outcomeFilter}`}
        aria-label="Outcome"
        value={form.outcome}
        onChange={(event) => set('outcome')(event.target.value)}
      >
        <option value={ANY}>Any outcome</option>
        {auditOutcomes.map((outcome) => (
          <option key={outcome} value={outcome}>
            {outcome}
          </option>
        ))}
      </select>
      <label className={styles.dateLabel}>
        From
        <input
          type="date"
          className={`input ${styles.date}`}
          value={form.from}
          max={form.to || undefined}
          onChange={(event) => set('from')(event.target.value)}
        />
      </label>
      <label className={styles.dateLabel}>
        To
        <input
          type="date"
          className={`input ${styles.date}`}
          value={form.to}
          min={form.from || undefined}
          onChange={(event) => set('to')(event.target.value)}
        />
      </label>
      {isFiltered(form) && (
        <button
          type="button"
          className="button quiet small"
          onClick={() => onChange(emptyFilterForm)}
        >
          Clear filters
        </button>
      )}
    </div>
  )
}

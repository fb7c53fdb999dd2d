import type { SharePreview } from '../../api/sharing'
import { useConnections } from '../../api/connections'
import { providerLabel } from '../connections/catalog'
import styles from './Sharing.module.css'

type Borrows = NonNullable<SharePreview['connections'][number]['borrows']>

/** Whether a shared connection cannot be imported until the user picks what it borrows. */
export function needsBorrowChoice(borrows: Borrows | null, chosen: string | undefined): boolean {
  return borrows !== null && borrows.named !== null && borrows.kept === null && !chosen
}

/**
 * The connection of this vault a shared one borrows credentials from (an ECR registry's or a
 * state backend's AWS or GCP connection). The slug in the share names one of the sender's, so
 * the user picks one of theirs; a re-sent version keeps what they picked before.
 */
export function BorrowChoice({
  slug,
  name,
  borrows,
  value,
  onChange,
}: {
  slug: string
  name: string
  borrows: Borrows
  value: string
  onChange: (slug: string) => void
}) {
  const connections = useConnections()
  if (borrows.named === null && borrows.kept === null) return null
  const candidates = (connections.data ?? []).filter(
    (c) => c.provider === borrows.provider && c.deletedAt === null,
  )
  const kind = providerLabel(borrows.provider)
  const id = `borrow-${slug}`
  return (
    <div className={styles.formStack}>
      <label htmlFor={id}>
        {name} uses the credentials of a {kind} connection
        {borrows.named ? ` (the sender's is ${borrows.named})` : ''}: which of yours?
      </label>
      <select
        id={id}
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid="preview-borrow"
      >
        <option value="">
          {borrows.kept
            ? `Keep ${borrows.kept}, as you chose before`
            : `Choose a ${kind} connection`}
        </option>
        {candidates.map((c) => (
          <option key={c.id} value={c.slug}>
            {c.name} ({c.slug})
          </option>
        ))}
      </select>
      {candidates.length === 0 && !borrows.kept && (
        <p className={styles.muted}>
          This vault has no {kind} connection: add one first, or skip {name}.
        </p>
      )}
    </div>
  )
}

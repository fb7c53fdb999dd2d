import { ArrowLeft, Trash2, Undo2 } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { purgeDate, TRASH_RETENTION_DAYS } from '../../../../shared/connections'
import {
  useConnections,
  usePurgeConnection,
  useRestoreConnection,
  type ConnectionSummary,
} from '../../../api/connections'
import { ConfirmDialog } from '../../../components/ConfirmDialog'
import { EmptyState } from '../../../components/EmptyState'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { Page } from '../../../components/Page'
import { Spinner } from '../../../components/Spinner'
import { useToast } from '../../../components/Toast'
import { providerLabel } from '../catalog'
import { daysFromNow, formatDate, formatDateTime } from '../format'
import styles from './TrashPage.module.css'

/** Trashed connections: restorable for 30 days, then purged by main (or now, on request). */
export function TrashPage() {
  const trash = useConnections({ trash: true })
  const [purging, setPurging] = useState<ConnectionSummary | null>(null)
  const purge = usePurgeConnection()
  const notify = useToast()

  return (
    <Page
      title="Trash"
      description={`Trashed connections can be restored for ${TRASH_RETENTION_DAYS} days; after that they are deleted for good.`}
      actions={
        <Link className="button" to="/connections">
          <ArrowLeft aria-hidden="true" />
          Connections
        </Link>
      }
    >
      {trash.isPending ? (
        <Spinner label="Loading the trash" />
      ) : trash.isError ? (
        <ErrorNotice
          error={trash.error}
          title="The trash could not be loaded"
          action={
            <button type="button" className="button" onClick={() => void trash.refetch()}>
              Try again
            </button>
          }
        />
      ) : trash.data.length === 0 ? (
        <EmptyState icon={Trash2} title="The trash is empty">
          Connections you move to the trash stay here for {TRASH_RETENTION_DAYS} days, so a deletion
          by mistake can be undone.
        </EmptyState>
      ) : (
        <ul className={styles.list} aria-label="Trashed connections">
          {trash.data.map((connection) => (
            <TrashItem key={connection.id} connection={connection} onPurge={setPurging} />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={purging !== null}
        onOpenChange={(open) => !open && setPurging(null)}
        title={`Delete “${purging?.name ?? ''}” forever?`}
        description={
          <p>
            <strong>{purging?.name}</strong> and every stored version of its secrets are erased from
            the vault. This cannot be undone.
          </p>
        }
        confirmLabel="Delete forever"
        tone="danger"
        onConfirm={async () => {
          if (!purging) return
          await purge.mutateAsync(purging.id)
          notify({ tone: 'success', message: `“${purging.name}” was deleted for good.` })
        }}
      />
    </Page>
  )
}

interface ItemProps {
  connection: ConnectionSummary
  onPurge: (connection: ConnectionSummary) => void
}

function TrashItem({ connection, onPurge }: ItemProps) {
  const restore = useRestoreConnection()
  const notify = useToast()
  const deletedAt = connection.deletedAt ?? connection.updatedAt
  const purgeOn = purgeDate(deletedAt)
  const titleId = `trash-${connection.id}`
  return (
    <li className={styles.item} aria-labelledby={titleId} data-testid="trash-item">
      <div className={styles.info}>
        <span id={titleId} className={styles.name}>
          {connection.name}
        </span>
        <span className={styles.meta}>
          {providerLabel(connection.provider)} · <span className="mono">{connection.slug}</span>
        </span>
        <span className={styles.meta}>
          Trashed <time dateTime={deletedAt}>{formatDateTime(deletedAt)}</time> · deleted for good{' '}
          <time dateTime={purgeOn.toISOString()} title={formatDate(purgeOn.toISOString())}>
            {daysFromNow(purgeOn)}
          </time>{' '}
          ({formatDate(purgeOn.toISOString())})
        </span>
        {restore.isError && <ErrorNotice error={restore.error} title="Not restored" />}
      </div>
      <div className={styles.actions}>
        <button
          type="button"
          className="button"
          disabled={restore.isPending}
          onClick={() =>
            restore.mutate(connection.id, {
              onSuccess: () =>
                notify({ tone: 'success', message: `“${connection.name}” was restored.` }),
            })
          }
        >
          <Undo2 aria-hidden="true" />
          Restore<span className="visually-hidden"> {connection.name}</span>
        </button>
        <button type="button" className="button" onClick={() => onPurge(connection)}>
          <Trash2 aria-hidden="true" />
          Delete forever<span className="visually-hidden"> {connection.name}</span>
        </button>
      </div>
    </li>
  )
}

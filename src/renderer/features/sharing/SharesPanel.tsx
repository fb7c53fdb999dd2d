import { Ban, RotateCw } from 'lucide-react'
import { useMemo, useState } from 'react'
import { useConnection } from '../../api/connections'
import { useRevokeShare, useShares, type ShareRecord } from '../../api/sharing'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { actionsHeader, columnHelper, DataTable } from '../../components/DataTable'
import { Dialog, DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { useToast } from '../../components/Toast'
import { getProvider, providerLabel } from '../connections/catalog'
import { RotateDialog } from '../connections/details/RotateDialog'
import { formatDate, formatDateTime } from '../connections/format'
import { HoldingsPanel } from './HoldingsPanel'
import styles from './Sharing.module.css'

const statusLabel: Record<ShareRecord['status'], { label: string; tone: string }> = {
  outstanding: { label: 'Outstanding', tone: 'warning' },
  expired: { label: 'Expired', tone: 'muted' },
  revoked: { label: 'Revoked', tone: 'danger' },
}

const helper = columnHelper<ShareRecord>()

const names = (share: ShareRecord) => share.connections.map((c) => c.name).join(', ')

function shareColumns(actions: {
  revoke: (share: ShareRecord) => void
  rotate: (share: ShareRecord) => void
}) {
  return helper.columns([
    helper.display({
      id: 'sent',
      header: 'Sent',
      cell: ({ row }) => (
        <time dateTime={row.original.createdAt}>{formatDateTime(row.original.createdAt)}</time>
      ),
    }),
    helper.display({
      id: 'connections',
      header: 'Connections',
      cell: ({ row }) => (
        <>
          {names(row.original)}
          {row.original.useOnly && (
            <>
              {' '}
              <span className={styles.badge}>use-only</span>
            </>
          )}
        </>
      ),
    }),
    helper.display({
      id: 'to',
      header: 'To',
      cell: ({ row }) =>
        row.original.passphrase
          ? 'Passphrase'
          : row.original.recipients.map((r) => r.name).join(', '),
    }),
    helper.display({
      id: 'environments',
      header: 'Environments',
      cell: ({ row }) => row.original.scope.join(', '),
    }),
    helper.display({
      id: 'expires',
      header: 'Expires',
      cell: ({ row }) => (
        <time dateTime={row.original.expiresAt}>{formatDate(row.original.expiresAt)}</time>
      ),
    }),
    helper.display({
      id: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <span className={styles.badge} data-tone={statusLabel[row.original.status].tone}>
          {statusLabel[row.original.status].label}
        </span>
      ),
    }),
    helper.display({
      id: 'actions',
      header: actionsHeader,
      cell: ({ row }) => (
        <div className={styles.actions}>
          {row.original.status === 'revoked' ? (
            <button
              type="button"
              className="button small"
              onClick={() => actions.rotate(row.original)}
            >
              <RotateCw aria-hidden="true" />
              Rotate…
            </button>
          ) : (
            <button
              type="button"
              className="button small"
              onClick={() => actions.revoke(row.original)}
            >
              <Ban aria-hidden="true" />
              Revoke
              <span className="visually-hidden"> the share of {names(row.original)}</span>
            </button>
          )}
        </div>
      ),
    }),
  ])
}

/** The shares this vault sent: what, to whom, scope, expiry, and whether still outstanding. */
export function SharesPanel() {
  const shares = useShares()
  const [revoking, setRevoking] = useState<ShareRecord | null>(null)
  const [rotating, setRotating] = useState<ShareRecord | null>(null)
  const revoke = useRevokeShare()
  const notify = useToast()
  const columns = useMemo(
    () => shareColumns({ revoke: setRevoking, rotate: setRotating }),
    [setRevoking, setRotating],
  )

  return (
    <section className={styles.panel} aria-labelledby="shares-title" data-testid="shares">
      <h2 id="shares-title" className={styles.panelTitle}>
        Shares you sent
      </h2>
      {shares.isPending ? (
        <Spinner label="Loading shares" />
      ) : shares.isError ? (
        <ErrorNotice error={shares.error} title="Shares could not be loaded" />
      ) : shares.data.length === 0 ? (
        <p className={styles.muted}>
          Nothing shared yet. Share a connection from its page, or with “Share connections…”.
        </p>
      ) : (
        <DataTable
          columns={columns}
          data={shares.data}
          getRowId={(share) => share.id}
          label="Shares you sent"
          rowAttributes={(share) => ({ 'data-testid': 'share-row', 'data-status': share.status })}
        />
      )}
      <HoldingsPanel />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title="Revoke this share?"
        description={
          revoking && (
            <>
              <p>
                Bridgekeep marks the share revoked. It cannot recall a share already delivered:
                whoever has the file can still import it until {formatDate(revoking.expiresAt)}, and
                whoever imported it keeps the secret.
              </p>
              <p>
                <strong>To really cut off access, rotate the secret</strong> at its provider and
                store the new value here. The rotate dialog opens next, then offers to re-send the
                new version to the remaining recipients.
              </p>
            </>
          )
        }
        confirmLabel="Mark revoked, then rotate"
        tone="danger"
        onConfirm={async () => {
          if (!revoking) return
          const record = await revoke.mutateAsync(revoking.id)
          notify({ message: 'The share is marked revoked. Rotate its secrets to cut off access.' })
          setRotating(record)
        }}
      />
      {rotating && <RotateShared share={rotating} onClose={() => setRotating(null)} />}
    </section>
  )
}

/** After revoking: the rotate dialog of the shared connection, or a choice when there are several. */
function RotateShared({ share, onClose }: { share: ShareRecord; onClose: () => void }) {
  const [chosen, setChosen] = useState<string | null>(
    share.connections.length === 1 ? share.connections[0]!.id : null,
  )
  if (chosen) return <RotateConnection id={chosen} onClose={onClose} />
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Rotate the shared secrets"
      description="Each connection of the share carried its secret. Rotate each one at its provider, then store the new value."
    >
      <ul className={styles.choices}>
        {share.connections.map((connection) => (
          <li key={connection.id} className={styles.choice}>
            <span>
              {connection.name}{' '}
              <span className={styles.choiceMeta}>{providerLabel(connection.provider)}</span>
            </span>
            <button
              type="button"
              className={`button small ${styles.pushRight}`}
              onClick={() => setChosen(connection.id)}
            >
              <RotateCw aria-hidden="true" />
              Rotate<span className="visually-hidden"> {connection.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </DialogActions>
    </Dialog>
  )
}

function RotateConnection({ id, onClose }: { id: string; onClose: () => void }) {
  const connection = useConnection(id)
  const provider = connection.data ? getProvider(connection.data.provider) : undefined
  if (connection.isPending) return null
  if (connection.isError || !provider || connection.data.secrets.length === 0) {
    return (
      <Dialog open onOpenChange={(open) => !open && onClose()} title="Nothing to rotate here">
        {connection.isError ? (
          <ErrorNotice error={connection.error} title="The connection could not be loaded" />
        ) : (
          <p>This connection stores no secret in Bridgekeep; rotate it at its provider.</p>
        )}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </DialogActions>
      </Dialog>
    )
  }
  return (
    <RotateDialog
      detail={connection.data}
      provider={provider}
      open
      onOpenChange={(open) => !open && onClose()}
    />
  )
}

import { Send } from 'lucide-react'
import { useMemo, useState } from 'react'
import { useHoldings, type ShareHolding } from '../../api/sharing'
import { actionsHeader, columnHelper, DataTable } from '../../components/DataTable'
import { Dialog } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { formatDateTime } from '../connections/format'
import { ResendOffer } from './ResendOffer'
import styles from './Sharing.module.css'

const helper = columnHelper<ShareHolding>()

const behind = (holding: ShareHolding) =>
  holding.currentVersion !== null &&
  (holding.version === null || holding.version < holding.currentVersion)

function holdingColumns(resend: (holding: ShareHolding) => void) {
  return helper.columns([
    helper.accessor('recipient', { header: 'Recipient' }),
    helper.accessor('connectionName', { header: 'Connection' }),
    helper.display({
      id: 'version',
      header: 'Holds',
      cell: ({ row }) => {
        const holding = row.original
        const sent = holding.version === null ? 'an earlier version' : `version ${holding.version}`
        return (
          <>
            {sent}{' '}
            {holding.currentVersion === null ? (
              <span className={styles.badge} data-tone="muted">
                deleted here
              </span>
            ) : behind(holding) ? (
              <span className={styles.badge} data-tone="warning">
                current is {holding.currentVersion}
              </span>
            ) : (
              <span className={styles.badge} data-tone="success">
                current
              </span>
            )}
          </>
        )
      },
    }),
    helper.display({
      id: 'sent',
      header: 'Sent',
      cell: ({ row }) => (
        <time dateTime={row.original.sharedAt}>{formatDateTime(row.original.sharedAt)}</time>
      ),
    }),
    helper.display({
      id: 'actions',
      header: actionsHeader,
      cell: ({ row }) =>
        behind(row.original) &&
        row.original.live && (
          <button type="button" className="button small" onClick={() => resend(row.original)}>
            <Send aria-hidden="true" />
            Re-send…
            <span className="visually-hidden"> {row.original.connectionName}</span>
          </button>
        ),
    }),
  ])
}

/**
 * Who holds which version: per contact and connection, the newest version sent to them (revoked
 * shares count, since a delivered file cannot be recalled), beside the connection's current one.
 */
export function HoldingsPanel() {
  const holdings = useHoldings()
  const [resending, setResending] = useState<ShareHolding | null>(null)
  const columns = useMemo(() => holdingColumns(setResending), [setResending])
  if (holdings.isError) {
    return <ErrorNotice error={holdings.error} title="Versions held could not be loaded" />
  }
  if (!holdings.data || holdings.data.length === 0) return null
  return (
    <div data-testid="holdings">
      <h3 className={styles.panelTitle}>Who holds which version</h3>
      <DataTable
        columns={columns}
        data={holdings.data}
        getRowId={(h) => `${h.contactId}:${h.connectionId}`}
        label="Who holds which version"
        rowAttributes={(h) => ({ 'data-testid': 'holding-row', 'data-behind': String(behind(h)) })}
      />
      {resending && (
        <Dialog
          open
          onOpenChange={(open) => !open && setResending(null)}
          title={`Re-send “${resending.connectionName}”?`}
        >
          <ResendOffer
            connectionId={resending.connectionId}
            connectionName={resending.connectionName}
            onClose={() => setResending(null)}
          />
        </Dialog>
      )}
    </div>
  )
}

import { Download, Send } from 'lucide-react'
import { useEffect } from 'react'
import { useResend, useResendTargets } from '../../api/sharing'
import { DialogActions } from '../../components/Dialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Spinner } from '../../components/Spinner'
import { formatDateTime } from '../connections/format'
import { downloadBase64 } from './files'
import styles from './Sharing.module.css'

interface Props {
  connectionId: string
  connectionName: string
  /** Called to close; at once when nobody holds a live share of the connection, unless keepOpen. */
  onClose: () => void
  /** The dialog shows something else the user must read: with nobody to re-send to, offer Done. */
  keepOpen?: boolean
}

/**
 * After a rotation: the new version to everyone who holds the connection, in one click, as new
 * shares with the same recipients and terms (main's `resend`); each file downloaded as an export
 * is. Passphrase shares are named, not re-sent: their passphrase is not stored.
 */
export function ResendOffer({ connectionId, connectionName, onClose, keepOpen = false }: Props) {
  const targets = useResendTargets(connectionId)
  const resend = useResend()
  const nobody =
    targets.data !== undefined &&
    targets.data.recipients.length === 0 &&
    targets.data.passphraseShares === 0
  useEffect(() => {
    if (nobody && !keepOpen) onClose()
  }, [nobody, keepOpen, onClose])

  if (nobody && keepOpen)
    return (
      <DialogActions>
        <button type="button" className="button primary" onClick={onClose}>
          Done
        </button>
      </DialogActions>
    )
  if (targets.isPending || nobody) return <Spinner label="Looking for recipients" />
  if (targets.isError) {
    return (
      <>
        <ErrorNotice error={targets.error} title="Recipients could not be read" />
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </DialogActions>
      </>
    )
  }
  const { recipients, passphraseShares, missingContacts } = targets.data
  const count = recipients.length
  const names = recipients.map((r) => r.name).join(', ')

  if (resend.data) {
    return (
      <div className={styles.formStack} data-testid="resend-result">
        <p className={styles.notice} data-tone="info" role="status">
          New version of “{connectionName}” shared with {names}. Send{' '}
          {resend.data.shares.length === 1 ? 'the file' : 'each file'} to them: importing it
          replaces their copy.
        </p>
        {resend.data.shares.map((share) => (
          <div key={share.shareId}>
            <button
              type="button"
              className="button primary"
              onClick={() => downloadBase64(share.data, share.filename)}
            >
              <Download aria-hidden="true" />
              Download {share.filename}
            </button>{' '}
            <span className={styles.muted}>valid until {formatDateTime(share.expiresAt)}</span>
          </div>
        ))}
        <DialogActions>
          <button type="button" className="button" onClick={onClose}>
            Done
          </button>
        </DialogActions>
      </div>
    )
  }

  return (
    <div className={styles.formStack} data-testid="resend-offer">
      {count > 0 ? (
        <p>
          {names} {count === 1 ? 'holds' : 'hold'} the previous version through a live share. Send
          them the new one: same environments, same use-only setting, a new expiry of the same
          length.
        </p>
      ) : (
        <p>Nobody holds it through a share to a contact.</p>
      )}
      {passphraseShares > 0 && (
        <p className={styles.notice} data-tone="warning">
          {passphraseShares === 1
            ? 'One passphrase share'
            : `${passphraseShares} passphrase shares`}{' '}
          cannot be re-sent automatically: the passphrase is never stored. Share it again with a new
          passphrase.
        </p>
      )}
      {missingContacts.length > 0 && (
        <p className={styles.muted}>
          Not re-sent to {missingContacts.join(', ')}: no longer a contact.
        </p>
      )}
      {resend.isError && <ErrorNotice error={resend.error} title="Not re-sent" />}
      <DialogActions>
        <button type="button" className="button" onClick={onClose}>
          Not now
        </button>
        {count > 0 && (
          <button
            type="button"
            className="button primary"
            disabled={resend.isPending}
            onClick={() => resend.mutate(connectionId)}
          >
            <Send aria-hidden="true" />
            {resend.isPending
              ? 'Re-sending…'
              : `Re-send to ${count} recipient${count === 1 ? '' : 's'}`}
          </button>
        )}
      </DialogActions>
    </div>
  )
}

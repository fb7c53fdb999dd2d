import { Copy, Download } from 'lucide-react'
import { useState } from 'react'
import type { ExportResult } from '../../api/sharing'
import { Dialog, DialogActions } from '../../components/Dialog'
import { FormField } from '../../components/FormField'
import { useToast } from '../../components/Toast'
import { copyText } from '../../lib/copyText'
import { formatDateTime } from '../connections/format'
import { downloadBase64 } from './files'
import { ShareForm } from './ShareForm'
import styles from './Sharing.module.css'

interface Props {
  open: boolean
  onOpenChange: (open: boolean) => void
  /** The connections to share (from a details page); without it, the dialog offers a choice. */
  connectionIds?: string[]
}

/** Share → recipients or a passphrase → environments, expiry, use-only → the file and its text. */
export function ShareDialog({ open, onOpenChange, connectionIds }: Props) {
  const [result, setResult] = useState<ExportResult | null>(null)
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setResult(null)
        onOpenChange(next)
      }}
      size="wide"
      title={result ? 'Share ready' : 'Share connections'}
      description={
        result
          ? 'Send the file (or the armored text) to the recipients. Only they can open it.'
          : 'An encrypted, signed file for your teammates. Nothing leaves this computer until you send it.'
      }
    >
      {result ? (
        <ShareResult result={result} onClose={() => onOpenChange(false)} />
      ) : (
        <ShareForm
          fixed={connectionIds}
          onCancel={() => onOpenChange(false)}
          onShared={setResult}
        />
      )}
    </Dialog>
  )
}

/** The share made: download its file, or copy its armored text. */
function ShareResult({ result, onClose }: { result: ExportResult; onClose: () => void }) {
  const notify = useToast()
  return (
    <div className={styles.formStack} data-testid="share-result">
      <p className={styles.notice} data-tone="info" role="status">
        {result.connectionCount === 1 ? 'One connection' : `${result.connectionCount} connections`},
        valid until {formatDateTime(result.expiresAt)}.
      </p>
      <div>
        <button
          type="button"
          className="button primary"
          onClick={() => downloadBase64(result.data, result.filename)}
        >
          <Download aria-hidden="true" />
          Download {result.filename}
        </button>
      </div>
      <FormField id="share-armored-out" label="Or copy the armored text">
        {(control) => (
          <textarea
            {...control}
            className={`input ${styles.armored}`}
            readOnly
            value={result.armored}
            data-testid="share-armored"
          />
        )}
      </FormField>
      <DialogActions>
        <button
          type="button"
          className="button"
          onClick={() => {
            copyText(result.armored).then(
              () => notify({ tone: 'success', message: 'Armored share copied.' }),
              () =>
                notify({
                  tone: 'error',
                  message: 'The clipboard refused it: select the text and copy it.',
                }),
            )
          }}
        >
          <Copy aria-hidden="true" />
          Copy armored text
        </button>
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      </DialogActions>
    </div>
  )
}

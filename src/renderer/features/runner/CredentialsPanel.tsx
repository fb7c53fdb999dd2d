import { Download, KeyRound, RefreshCw } from 'lucide-react'
import { useEffect, useId, useMemo, useState } from 'react'
import { useIssueCredentials, type EnrollmentFile } from '../../api/runner'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorNotice } from '../../components/ErrorNotice'
import styles from './RunnerPage.module.css'

/**
 * Credentials for a runner started by hand: one JSON file, shown once. Regenerating revokes
 * every earlier certificate and API key at once.
 */
export function CredentialsPanel({ hasCredentials }: { hasCredentials: boolean }) {
  const generate = useIssueCredentials('generate')
  const regenerate = useIssueCredentials('regenerate')
  const [issued, setIssued] = useState<EnrollmentFile | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [label, setLabel] = useState('')
  const labelId = useId()
  const request = label.trim() ? { label: label.trim() } : {}

  return (
    <section className={styles.panel} aria-labelledby="runner-credentials-title">
      <div className={styles.panelHeader}>
        <h2 id="runner-credentials-title" className={styles.panelTitle}>
          Credentials for a runner on another machine
        </h2>
      </div>
      <p className={styles.explain}>
        A runner you start yourself (on a build server, say) needs one file: the vault's CA
        certificate, its own certificate and private key, an API key, and where to connect. It dials
        out to this app over mutual TLS; nothing connects to it.
      </p>
      {issued ? (
        <ShownOnce file={issued} onDone={() => setIssued(null)} />
      ) : (
        <>
          <div className={styles.labelField}>
            <label htmlFor={labelId} className={styles.muted}>
              Runner name (optional)
            </label>
            <input
              id={labelId}
              className="input"
              value={label}
              maxLength={100}
              placeholder="Remote runner"
              onChange={(event) => setLabel(event.target.value)}
            />
          </div>
          {generate.isError && (
            <ErrorNotice error={generate.error} title="No credentials were made" />
          )}
          <div className={styles.actions}>
            {hasCredentials ? (
              <button type="button" className="button" onClick={() => setConfirming(true)}>
                <RefreshCw aria-hidden="true" />
                Regenerate credentials
              </button>
            ) : (
              <button
                type="button"
                className="button primary"
                disabled={generate.isPending}
                onClick={() => generate.mutate(request, { onSuccess: setIssued })}
              >
                <KeyRound aria-hidden="true" />
                {generate.isPending ? 'Generating…' : 'Generate runner credentials'}
              </button>
            )}
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Regenerate runner credentials?"
        tone="danger"
        confirmLabel="Regenerate"
        description={
          <p>
            Every earlier certificate and API key stops working at once: a runner using them is
            disconnected now and cannot connect again. You get a new file to give to your runner.
          </p>
        }
        onConfirm={async () => setIssued(await regenerate.mutateAsync(request))}
      />
    </section>
  )
}

function ShownOnce({ file, onDone }: { file: EnrollmentFile; onDone: () => void }) {
  const url = useMemo(
    () => URL.createObjectURL(new Blob([file.content], { type: 'application/json' })),
    [file],
  )
  useEffect(() => () => URL.revokeObjectURL(url), [url])
  return (
    <div className={styles.shownOnce} role="region" aria-label="New runner credentials">
      <p className={styles.shownOnceTitle}>Download this file now: it is shown only once.</p>
      <p>
        It holds the runner's private key and API key. Bridgekeep keeps only the certificate's
        serial and a hash of the key, so it cannot show the file again
        {file.revoked > 0 && '; the earlier credentials are revoked'}. Start the runner with{' '}
        <code>bridgekeep runner start --credentials {file.filename}</code>.
      </p>
      <div className={styles.actions}>
        <a className="button primary" href={url} download={file.filename}>
          <Download aria-hidden="true" />
          Download {file.filename}
        </a>
        <button type="button" className="button" onClick={onDone}>
          I have saved it
        </button>
      </div>
    </div>
  )
}

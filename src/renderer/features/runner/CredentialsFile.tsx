import { Download } from 'lucide-react'
import { useEffect, useMemo } from 'react'
import type { EnrollmentFile } from '../../api/runner'
import styles from './RunnerPage.module.css'

/**
 * A runner's credentials file, shown once (Bridgekeep keeps only the certificate's serial and a
 * hash of the API key), as a download, with what to do with it.
 */
export function CredentialsFile({ file, onDone }: { file: EnrollmentFile; onDone: () => void }) {
  const url = useMemo(
    () => URL.createObjectURL(new Blob([file.content], { type: 'application/json' })),
    [file],
  )
  useEffect(() => () => URL.revokeObjectURL(url), [url])
  return (
    <div role="region" aria-label="New runner credentials">
      <div className={styles.shownOnce}>
        <p className={styles.shownOnceTitle}>Download this file now: it is shown only once.</p>
        <p>
          It holds runner {file.name}'s private key and API key; Bridgekeep cannot show it again
          {file.revoked > 0 && '. Its earlier credentials are revoked'}.
        </p>
      </div>
      <ol className={styles.steps}>
        <li>Copy the file to the machine the runner runs on, readable by its user only.</li>
        <li>
          Start it with <code>bridgekeep runner start --credentials {file.filename}</code>, or put
          the file's content (as it is, or in base64) in <code>BRIDGEKEEP_RUNNER_CREDENTIALS</code>{' '}
          and run <code>bridgekeep runner start</code>.
        </li>
        <li>
          Choose <strong>{file.name}</strong> as the Runner of the connections it should serve.
        </li>
      </ol>
      <div className={styles.fileActions}>
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

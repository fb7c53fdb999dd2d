import { Copy, ExternalLink } from 'lucide-react'
import { Spinner } from '../../../components/Spinner'
import { useToast } from '../../../components/Toast'
import { copyText } from '../../../lib/copyText'
import styles from './SsoSignIn.module.css'

interface Props {
  verificationUri: string
  verificationUriComplete?: string
  userCode: string
}

/** The code to confirm on AWS's page, big and copyable, while the sign-in waits for approval. */
export function SsoDeviceCode({ verificationUri, verificationUriComplete, userCode }: Props) {
  const notify = useToast()
  return (
    <div className={styles.code}>
      <p>
        Confirm this code on the page that opened in your browser (
        <span className="mono">{verificationUri}</span>):
      </p>
      <output className={styles.userCode} data-testid="sso-user-code">
        {userCode}
      </output>
      <div className={styles.actions}>
        <button
          type="button"
          className="button small"
          onClick={() =>
            copyText(userCode).then(
              () => notify({ tone: 'success', message: 'Code copied.' }),
              () => notify({ tone: 'error', message: 'The clipboard refused it: type the code.' }),
            )
          }
        >
          <Copy aria-hidden="true" />
          Copy code
        </button>
        {/* The main process opens https pages in the default browser, never in the app. */}
        <a
          className="button small"
          href={verificationUriComplete ?? verificationUri}
          target="_blank"
          rel="noreferrer"
        >
          <ExternalLink aria-hidden="true" />
          Open the page again
        </a>
      </div>
      <Spinner label="Waiting for you to approve the code" />
    </div>
  )
}

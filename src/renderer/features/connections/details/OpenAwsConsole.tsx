import { ExternalLink } from 'lucide-react'
import { useState } from 'react'
import type { AwsConsoleSignIn } from '../../../../shared/aws-console'
import { useOpenAwsConsole } from '../../../api/connections'
import { ErrorNotice } from '../../../components/ErrorNotice'

/**
 * "Open console": main gets a sign-in URL through the runner (a use of the connection, audited),
 * and the page hands it straight to the window-open guard, which opens https links in the
 * default browser. The URL is not kept: only who it signed in as and until when are shown.
 */
export function OpenAwsConsole({ connectionId }: { connectionId: string }) {
  const open = useOpenAwsConsole()
  const [signedIn, setSignedIn] = useState<Omit<AwsConsoleSignIn, 'url'>>()
  const run = async () => {
    setSignedIn(undefined)
    try {
      const { url, ...rest } = await open.mutateAsync({ connectionId })
      window.open(url, '_blank', 'noopener,noreferrer')
      setSignedIn(rest)
    } catch {
      // Shown below from the mutation's error.
    }
  }
  return (
    <>
      <button
        type="button"
        className="button small"
        disabled={open.isPending}
        onClick={() => void run()}
      >
        <ExternalLink aria-hidden="true" />
        {open.isPending ? 'Signing in…' : 'Open console'}
      </button>
      {signedIn && (
        <p role="status" data-testid="aws-console-status">
          Opened the AWS console in your browser as {signedIn.principal} ({signedIn.environmentName}
          ), until {new Date(signedIn.expiresAt).toLocaleTimeString()}.
        </p>
      )}
      {open.isError && <ErrorNotice error={open.error} title="The console was not opened" />}
    </>
  )
}

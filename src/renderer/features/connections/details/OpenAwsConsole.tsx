import { ExternalLink } from 'lucide-react'
import { useState } from 'react'
import type { AwsConsoleOpened } from '../../../../shared/aws-console'
import { useOpenAwsConsole } from '../../../api/connections'
import { ErrorNotice } from '../../../components/ErrorNotice'

/**
 * "Open console": main gets a sign-in link through the runner (a use of the connection, audited)
 * and opens it in the default browser itself, through a one-time loopback address; the page only
 * learns who the console acts as and until when.
 */
export function OpenAwsConsole({ connectionId }: { connectionId: string }) {
  const open = useOpenAwsConsole()
  const [signedIn, setSignedIn] = useState<AwsConsoleOpened>()
  const run = async () => {
    setSignedIn(undefined)
    try {
      setSignedIn(await open.mutateAsync({ connectionId }))
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

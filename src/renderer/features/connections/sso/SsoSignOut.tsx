import { LogOut } from 'lucide-react'
import { useSsoSignOut } from '../../../api/aws-sso'
import { ErrorNotice } from '../../../components/ErrorNotice'
import { useToast } from '../../../components/Toast'

/**
 * "Sign out" of an IAM Identity Center sign-in (start URL and region): IAM Identity Center ends
 * the session and the app forgets its token and the cached role credentials of every connection
 * made from it; those connections then ask to sign in again.
 */
export function SsoSignOut({
  startUrl,
  region,
  onSignedOut,
}: {
  startUrl: string
  region: string
  onSignedOut?: () => void
}) {
  const signOut = useSsoSignOut()
  const notify = useToast()
  const run = async () => {
    const done = await signOut.mutateAsync({ startUrl, region })
    notify(
      done.portal === 'unreachable'
        ? {
            tone: 'error',
            message: `Signed out of ${startUrl} on this computer, but IAM Identity Center could not be reached: the session stays valid there until it expires.`,
          }
        : {
            tone: 'success',
            message: `Signed out of ${startUrl}. Its connections ask you to sign in again.`,
          },
    )
    onSignedOut?.()
  }
  return (
    <>
      <button
        type="button"
        className="button small"
        disabled={signOut.isPending}
        onClick={() => void run().catch(() => undefined)}
      >
        <LogOut aria-hidden="true" />
        {signOut.isPending ? 'Signing out…' : 'Sign out'}
      </button>
      {signOut.error && <ErrorNotice error={signOut.error} title="Sign out" />}
    </>
  )
}

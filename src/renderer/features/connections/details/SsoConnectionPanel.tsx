import type { ConnectionDetail } from '../../../api/connections'
import { SsoSignOut } from '../sso/SsoSignOut'
import page from './ConnectionDetailsPage.module.css'

/**
 * An IAM Identity Center connection's own panel, in place of the AWS setup panel: it has no
 * capabilities, policy or role of Bridgekeep's (its permission set decides them), only the
 * sign-in it gets credentials from, which can be signed out of here.
 */
export function SsoConnectionPanel({
  detail,
  readOnly,
}: {
  detail: ConnectionDetail
  readOnly: boolean
}) {
  const startUrl = detail.config.sso_start_url ?? ''
  const region = detail.config.sso_region ?? ''
  return (
    <section className={page.panel} aria-labelledby="aws-sso-title">
      <div className={page.panelHeader}>
        <h2 id="aws-sso-title" className={page.panelTitle}>
          IAM Identity Center
        </h2>
        {!readOnly && startUrl && region && <SsoSignOut startUrl={startUrl} region={region} />}
      </div>
      <p className={page.panelIntro}>
        {`Tools get the short-lived credentials of permission set ${detail.config.sso_role_name ?? ''} in account ${detail.config.sso_account_id ?? ''}, from the sign-in to ${startUrl} (${region}). What it may do is the permission set's, set in IAM Identity Center. Signing out ends that sign-in for every connection made from it.`}
      </p>
    </section>
  )
}

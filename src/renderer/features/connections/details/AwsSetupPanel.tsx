import { SlidersHorizontal } from 'lucide-react'
import { useState } from 'react'
import { getCapability, storedCapabilities } from '../../../../shared/aws/capabilities'
import type { ConnectionDetail } from '../../../api/connections'
import { AwsRoleFiles } from './AwsRoleFiles'
import styles from './AwsSetup.module.css'
import page from './ConnectionDetailsPage.module.css'
import { ChangeCapabilitiesDialog } from './ChangeCapabilitiesDialog'
import { CrossAccountSetup } from './CrossAccountSetup'
import { OpenAwsConsole } from './OpenAwsConsole'

/**
 * What the AWS connection may be used for and the IAM policy (and, for a role to assume, the
 * CloudFormation template) granting exactly that, generated here from the catalog; changing the
 * capabilities reconnects the same connection.
 */
export function AwsSetupPanel({
  detail,
  readOnly,
}: {
  detail: ConnectionDetail
  readOnly: boolean
}) {
  const [changing, setChanging] = useState(false)
  const capabilities = storedCapabilities(detail.config.capabilities)
  const crossAccount = detail.authMode === 'cross-account'
  return (
    <section className={page.panel} aria-labelledby="aws-setup-title">
      <div className={page.panelHeader}>
        <h2 id="aws-setup-title" className={page.panelTitle}>
          AWS setup
        </h2>
        {!readOnly && (
          <button type="button" className="button small" onClick={() => setChanging(true)}>
            <SlidersHorizontal aria-hidden="true" />
            Change capabilities…
          </button>
        )}
      </div>
      <p className={page.panelIntro}>
        The least-privilege policy for what this connection is used for: attach it to the{' '}
        {crossAccount ? 'role Bridgekeep assumes' : 'user or role whose credentials it holds'}.
      </p>
      <ul className={page.chips} aria-label="Capabilities">
        {capabilities.map((id) => (
          <li key={id} className={page.chip}>
            {getCapability(id).label}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <div className={styles.files}>
          <OpenAwsConsole connectionId={detail.id} />
        </div>
      )}
      <div className={styles.block}>
        <AwsRoleFiles slug={detail.slug} capabilities={capabilities} crossAccount={crossAccount} />
      </div>
      {crossAccount && <CrossAccountSetup detail={detail} />}
      {changing && (
        <ChangeCapabilitiesDialog
          detail={detail}
          current={capabilities}
          open={changing}
          onOpenChange={setChanging}
        />
      )}
    </section>
  )
}

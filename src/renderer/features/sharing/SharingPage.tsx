import { Share2 } from 'lucide-react'
import { useState } from 'react'
import { Page } from '../../components/Page'
import { ContactsPanel } from './ContactsPanel'
import { IdentityPanel } from './IdentityPanel'
import { ImportPanel } from './ImportPanel'
import { ShareDialog } from './ShareDialog'
import { SharesPanel } from './SharesPanel'
import { SharingPolicyPanel } from './SharingPolicyPanel'
import styles from './Sharing.module.css'

/** #/sharing — your identity, contacts, the shares you sent, and importing one you received. */
export function SharingPage() {
  const [sharing, setSharing] = useState(false)
  return (
    <Page
      title="Sharing"
      description="Encrypted, signed shares for teammates: use-only by default, with an expiry."
      actions={
        <button type="button" className="button primary" onClick={() => setSharing(true)}>
          <Share2 aria-hidden="true" />
          Share connections…
        </button>
      }
    >
      <div className={styles.stack}>
        <IdentityPanel />
        <ImportPanel />
        <ContactsPanel />
        <SharesPanel />
        <SharingPolicyPanel />
      </div>
      {sharing && <ShareDialog open={sharing} onOpenChange={setSharing} />}
    </Page>
  )
}

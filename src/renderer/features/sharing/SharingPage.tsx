import { Share2 } from 'lucide-react'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'

export function SharingPage() {
  return (
    <Page
      title="Sharing"
      description="Encrypted exports to teammates, use-only shares and their revocation."
    >
      <EmptyState icon={Share2} title="Nothing shared yet">
        Shares you send and receive will be listed here. A share is an encrypted file for a named
        teammate; a use-only share lets them run tools with a connection without ever seeing its
        secret.
      </EmptyState>
    </Page>
  )
}

import { KeyRound } from 'lucide-react'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'

export function ConnectionsPage() {
  return (
    <Page
      title="Connections"
      description="Credentials for your clouds, Git hosts, registries, clusters and databases."
    >
      <EmptyState icon={KeyRound} title="No connections yet">
        Connections you add will be listed here. Their secrets are encrypted in this vault with a
        key your operating system's keychain holds, and are never shown unless you reveal them on
        purpose.
      </EmptyState>
    </Page>
  )
}

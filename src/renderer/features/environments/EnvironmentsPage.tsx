import { Layers } from 'lucide-react'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'

export function EnvironmentsPage() {
  return (
    <Page
      title="Environments"
      description="Where each connection may be used: development, staging, production and your own."
    >
      <EmptyState icon={Layers} title="No environments yet">
        Environments decide which connection may be used where. Once there are some, the
        authorization matrix shows every connection against every environment, and Bridgekeep
        refuses any use it does not allow.
      </EmptyState>
    </Page>
  )
}

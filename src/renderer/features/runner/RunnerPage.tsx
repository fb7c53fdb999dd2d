import { Server } from 'lucide-react'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'

export function RunnerPage() {
  return (
    <Page
      title="Runner"
      description="The supervised process that verifies connections and issues short-lived credentials."
    >
      <EmptyState icon={Server} title="No runner configured">
        The runner is a separate process that performs cloud operations with your connections, so
        secrets are used in one small, watched place. It talks to Bridgekeep only over mutual TLS,
        with a certificate and an API key.
      </EmptyState>
    </Page>
  )
}

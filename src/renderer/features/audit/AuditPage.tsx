import { ScrollText } from 'lucide-react'
import { EmptyState } from '../../components/EmptyState'
import { Page } from '../../components/Page'

export function AuditPage() {
  return (
    <Page
      title="Audit"
      description="A tamper-evident record of every change, reveal, share and use."
    >
      <EmptyState icon={ScrollText} title="No activity recorded yet">
        Every change, reveal, share and use of a connection will be recorded here in a hash-chained
        log that shows if anyone alters it. No secret value is ever written to it.
      </EmptyState>
    </Page>
  )
}

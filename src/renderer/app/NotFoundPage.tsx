import { Compass } from 'lucide-react'
import { EmptyState } from '../components/EmptyState'
import { Page } from '../components/Page'

export function NotFoundPage() {
  return (
    <Page title="Page not found" description="That address does not lead to a Bridgekeep section.">
      <EmptyState
        icon={Compass}
        title="Nothing here"
        action={
          <a className="button primary" href="#/connections">
            Go to Connections
          </a>
        }
      >
        Pick a section from the sidebar, or press Ctrl+1 to go to Connections.
      </EmptyState>
    </Page>
  )
}

import { Download, KeyRound, Plus, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { Link } from 'react-router'
import { useConnections } from '../../api/connections'
import { useHealthList, useVerifyAll } from '../../api/health'
import { EmptyState } from '../../components/EmptyState'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Page } from '../../components/Page'
import { Spinner } from '../../components/Spinner'
import { VerifyAllButton, VerifyAllPanel } from '../health/VerifyAll'
import { ImportDialog } from '../imports/ImportDialog'
import { ConnectionList } from './list/ConnectionList'
import { ProviderCatalog } from './list/ProviderCatalog'

const CATALOG_HEADING = 'add-connection'

/** Moves to the provider catalog below and puts focus on its heading. */
function goToCatalog(): void {
  const heading = document.getElementById(CATALOG_HEADING)
  heading?.scrollIntoView({ behavior: 'smooth', block: 'start' })
  heading?.focus({ preventScroll: true })
}

export function ConnectionsPage() {
  const connections = useConnections()
  const list = connections.data ?? []
  const [importing, setImporting] = useState(false)
  const health = useHealthList()
  const verifyAll = useVerifyAll()
  const verifying = verifyAll.start.isPending || verifyAll.progress?.state === 'running'
  return (
    <Page
      title="Connections"
      description="Credentials for your clouds, Git hosts, registries, clusters and databases."
      actions={
        <>
          <Link className="button" to="/connections/trash">
            <Trash2 aria-hidden="true" />
            Trash
          </Link>
          <VerifyAllButton
            running={verifying}
            disabled={list.length === 0}
            onStart={() => verifyAll.start.mutate()}
          />
          <button type="button" className="button" onClick={() => setImporting(true)}>
            <Download aria-hidden="true" />
            Import
          </button>
          {list.length > 0 && (
            <button type="button" className="button primary" onClick={goToCatalog}>
              <Plus aria-hidden="true" />
              Add a connection
            </button>
          )}
        </>
      }
    >
      <VerifyAllPanel
        progress={verifyAll.progress}
        error={verifyAll.start.error}
        cancelling={verifyAll.cancelling}
        onCancel={verifyAll.cancel}
        onDismiss={() => {
          verifyAll.start.reset()
          verifyAll.reset()
        }}
      />
      {connections.isPending ? (
        <Spinner label="Loading connections" />
      ) : connections.isError ? (
        <ErrorNotice
          error={connections.error}
          title="The connections could not be loaded"
          action={
            <button type="button" className="button" onClick={() => void connections.refetch()}>
              Try again
            </button>
          }
        />
      ) : list.length === 0 ? (
        <EmptyState
          icon={KeyRound}
          title="No connections yet"
          action={
            <button type="button" className="button primary" onClick={goToCatalog}>
              <Plus aria-hidden="true" />
              Add a connection
            </button>
          }
        >
          Connections you add will be listed here. Their secrets are encrypted in this vault with a
          key your operating system's keychain holds, and are never shown unless you reveal them on
          purpose.
        </EmptyState>
      ) : (
        <ConnectionList connections={list} health={health.data} />
      )}
      <ProviderCatalog headingId={CATALOG_HEADING} />
      {importing && <ImportDialog open={importing} onOpenChange={setImporting} />}
    </Page>
  )
}

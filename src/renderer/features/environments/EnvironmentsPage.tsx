import { Layers } from 'lucide-react'
import { useState, type KeyboardEvent } from 'react'
import { useEnvironments, useMatrix } from '../../api/environments'
import { EmptyState } from '../../components/EmptyState'
import { ErrorNotice } from '../../components/ErrorNotice'
import { Page } from '../../components/Page'
import { Spinner } from '../../components/Spinner'
import { EnvironmentList } from './EnvironmentList'
import styles from './EnvironmentsPage.module.css'
import { MatrixView } from './matrix/MatrixView'

const tabs = [
  { id: 'matrix', label: 'Authorization matrix' },
  { id: 'manage', label: 'Manage environments' },
] as const
type Tab = (typeof tabs)[number]['id']

export function EnvironmentsPage() {
  const [tab, setTab] = useState<Tab>('matrix')
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
    event.preventDefault()
    const next = tab === 'matrix' ? 'manage' : 'matrix'
    setTab(next)
    document.getElementById(`tab-${next}`)?.focus()
  }
  return (
    <Page
      title="Environments"
      description="Where each connection may be used. Bridgekeep refuses any use the matrix does not allow."
    >
      <div role="tablist" aria-label="Environments" className={styles.tabs}>
        {tabs.map(({ id, label }) => (
          <button
            key={id}
            id={`tab-${id}`}
            type="button"
            role="tab"
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            className={styles.tab}
            onClick={() => setTab(id)}
            onKeyDown={onTabKey}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'matrix' ? <MatrixPanel onManage={() => setTab('manage')} /> : <ManagePanel />}
      </div>
    </Page>
  )
}

function MatrixPanel({ onManage }: { onManage: () => void }) {
  const matrix = useMatrix()
  if (matrix.isPending) return <Spinner label="Loading the matrix…" />
  if (matrix.isError) {
    return (
      <ErrorNotice
        error={matrix.error}
        title="The matrix could not be loaded"
        action={
          <button type="button" className="button" onClick={() => void matrix.refetch()}>
            Try again
          </button>
        }
      />
    )
  }
  const { environments, connections } = matrix.data
  if (environments.length === 0) {
    return (
      <EmptyState
        icon={Layers}
        title="No environments yet"
        action={
          <button type="button" className="button primary" onClick={onManage}>
            Create an environment
          </button>
        }
      >
        Environments decide which connection may be used where. Create one, then authorize
        connections for it here.
      </EmptyState>
    )
  }
  if (connections.length === 0) {
    return (
      <EmptyState icon={Layers} title="No connections to authorize">
        The matrix shows every connection against {environments.map((e) => e.name).join(', ')}. Add
        a connection on the Connections page, then authorize it here.
      </EmptyState>
    )
  }
  return <MatrixView matrix={matrix.data} />
}

function ManagePanel() {
  const environments = useEnvironments()
  if (environments.isPending) return <Spinner label="Loading environments…" />
  if (environments.isError) {
    return <ErrorNotice error={environments.error} title="Environments could not be loaded" />
  }
  return <EnvironmentList environments={environments.data} />
}

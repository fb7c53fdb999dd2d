import { Plus, Server } from 'lucide-react'
import { useState } from 'react'
import type { KnownRunner } from '../../api/runner'
import { actionsHeader, columnHelper, DataTable } from '../../components/DataTable'
import { formatDateTime } from '../connections/format'
import { AddRunnerDialog } from './AddRunnerDialog'
import styles from './RunnerPage.module.css'
import { RunnerRowActions } from './RunnerRowActions'
import { formatAgo } from './format'
import { useNow } from './useNow'

const helper = columnHelper<KnownRunner>()

/**
 * Module scope on purpose: a cell is rendered as a component of its column, so columns made
 * anew (say, as the clock ticks) would remount every cell, closing a row's open dialog.
 */
const columns = helper.columns([
  helper.accessor('name', {
    header: 'Name',
    cell: ({ row: { original: runner } }) => (
      <>
        <span className={`${styles.mono} ${styles.nowrap}`}>{runner.name}</span>
        {runner.label !== runner.name && <span className={styles.sub}>{runner.label}</span>}
      </>
    ),
  }),
  helper.display({
    id: 'kind',
    header: 'Kind',
    cell: ({ row }) => (row.original.kind === 'local' ? 'Local' : 'Remote'),
  }),
  helper.display({
    id: 'state',
    header: 'State',
    cell: ({ row }) => <ConnectionPill runner={row.original} />,
  }),
  helper.display({
    id: 'host',
    header: 'Host',
    cell: ({ row }) => (
      <span className={styles.mono}>
        {row.original.lastAddress ?? (row.original.kind === 'local' ? 'This computer' : '—')}
      </span>
    ),
  }),
  helper.display({
    id: 'version',
    header: 'Version',
    cell: ({ row }) => row.original.version ?? '—',
  }),
  helper.display({
    id: 'lastSeen',
    header: 'Last seen',
    cell: ({ row }) => <LastSeen runner={row.original} />,
  }),
  helper.display({
    id: 'operations',
    header: 'Operations/min',
    cell: ({ row }) => row.original.operationsPerMinute ?? '—',
  }),
  helper.display({
    id: 'actions',
    header: actionsHeader,
    cell: ({ row }) =>
      row.original.kind === 'remote' && (
        <div className={styles.rowActions}>
          <RunnerRowActions runner={row.original} />
        </div>
      ),
  }),
])

/**
 * The vault's runners: the local one the app starts, and the remote ones started by hand on
 * other machines, each with its own credentials; adding one, new credentials and deleting.
 */
export function FleetPanel({ runners }: { runners: KnownRunner[] }) {
  const [adding, setAdding] = useState(false)
  const hasRemote = runners.some((runner) => runner.kind === 'remote')
  return (
    <section className={styles.panel} aria-labelledby="runner-fleet-title">
      <div className={styles.panelHeader}>
        <h2 id="runner-fleet-title" className={styles.panelTitle}>
          Runners
        </h2>
        <button type="button" className="button" onClick={() => setAdding(true)}>
          <Plus aria-hidden="true" />
          Add a runner…
        </button>
      </div>
      {runners.length > 0 && (
        <DataTable
          columns={columns}
          data={runners}
          getRowId={(runner) => runner.id}
          label="Runners"
          testId="runner-fleet"
          rowAttributes={(runner) => ({ 'data-runner': runner.name })}
        />
      )}
      {!hasRemote && (
        <div className={styles.fleetEmpty} data-testid="runner-fleet-empty">
          <Server aria-hidden="true" className={styles.fleetEmptyIcon} />
          <p className={styles.explain}>
            No remote runner yet. A runner on another machine (a build server, a cluster) checks
            connections and issues credentials with that machine's identity and network. Add one,
            start it there with its credentials file, and choose it as the Runner of the connections
            it should serve.
          </p>
        </div>
      )}
      <AddRunnerDialog open={adding} onOpenChange={setAdding} />
    </section>
  )
}

/** Relative ("3 min ago"), following the clock; the exact time on hover. */
function LastSeen({ runner }: { runner: KnownRunner }) {
  const now = useNow(5000)
  if (!runner.lastContactAt) return 'Never'
  return (
    <time dateTime={runner.lastContactAt} title={formatDateTime(runner.lastContactAt)}>
      {runner.connected ? 'Now' : formatAgo(runner.lastContactAt, now)}
    </time>
  )
}

function ConnectionPill({ runner }: { runner: KnownRunner }) {
  if (runner.connected)
    return (
      <span className={`${styles.pill} ${styles.pillConnected}`} data-state="connected">
        <span className={styles.pillDot} aria-hidden="true" />
        Connected
      </span>
    )
  if (!runner.active && runner.kind === 'remote')
    return (
      <span className={`${styles.pill} ${styles.pillRevoked}`} data-state="revoked">
        Revoked
      </span>
    )
  return (
    <span className={styles.pill} data-state="not-connected">
      <span className={`${styles.pillDot} ${styles.pillDotHollow}`} aria-hidden="true" />
      Not connected
    </span>
  )
}

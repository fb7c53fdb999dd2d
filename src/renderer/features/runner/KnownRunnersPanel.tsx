import { useMemo } from 'react'
import type { KnownRunner } from '../../api/runner'
import { columnHelper, DataTable } from '../../components/DataTable'
import styles from './RunnerPage.module.css'
import { formatAgo } from './format'
import { useNow } from './useNow'

const helper = columnHelper<KnownRunner>()

function runnerColumns(now: number) {
  return helper.columns([
    helper.display({
      id: 'runner',
      header: 'Runner',
      cell: ({ row: { original: runner } }) => (
        <>
          {runner.label}
          <span className={styles.sub}>
            {runner.kind === 'local' ? 'started by the app' : runner.id}
          </span>
        </>
      ),
    }),
    helper.display({
      id: 'where',
      header: 'Where',
      cell: ({ row: { original: runner } }) => (
        <>
          {runner.kind === 'local' ? 'This computer' : 'Remote'}
          {runner.lastAddress && <span className={styles.sub}>{runner.lastAddress}</span>}
        </>
      ),
    }),
    helper.display({
      id: 'status',
      header: 'Status',
      cell: ({ row }) => <RunnerPill runner={row.original} />,
    }),
    helper.display({
      id: 'lastContact',
      header: 'Last contact',
      cell: ({ row: { original: runner } }) =>
        runner.connected ? 'Now' : formatAgo(runner.lastContactAt, now),
    }),
    helper.display({
      id: 'version',
      header: 'Version',
      cell: ({ row }) => row.original.version ?? '—',
    }),
  ])
}

/** Every runner this vault has issued credentials to, local and remote, with its last contact. */
export function KnownRunnersPanel({ runners }: { runners: KnownRunner[] }) {
  const now = useNow(5000)
  // "Last contact" reads the clock, so the columns follow it.
  const columns = useMemo(() => runnerColumns(now), [now])
  return (
    <section className={styles.panel} aria-labelledby="runner-known-title">
      <div className={styles.panelHeader}>
        <h2 id="runner-known-title" className={styles.panelTitle}>
          Runners known to this vault
        </h2>
      </div>
      {runners.length === 0 ? (
        <p className={styles.muted}>None yet: start the local runner or generate credentials.</p>
      ) : (
        <DataTable
          columns={columns}
          data={runners}
          getRowId={(runner) => runner.id}
          label="Runners known to this vault"
          testId="known-runners"
          rowAttributes={(runner) => ({ 'data-runner': runner.id })}
        />
      )}
    </section>
  )
}

function RunnerPill({ runner }: { runner: KnownRunner }) {
  if (runner.connected)
    return <span className={`${styles.pill} ${styles.pillConnected}`}>Connected</span>
  if (!runner.active) return <span className={`${styles.pill} ${styles.pillRevoked}`}>Revoked</span>
  return <span className={styles.pill}>Not connected</span>
}

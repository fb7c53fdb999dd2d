import { useEffect } from 'react'
import { useRunnerMetrics, type RunnerStatus } from '../../api/runner'
import { ErrorNotice } from '../../components/ErrorNotice'
import styles from './RunnerPage.module.css'
import { Sparkline } from './Sparkline'
import { formatBytes, formatDuration, formatMs } from './format'

/**
 * Uptime, restarts, operations, latency, memory and CPU, with small charts over time. Shown only
 * while the local runner runs: a stopped runner has nothing to measure.
 */
export function MetricsPanel({ state }: { state: RunnerStatus['state'] }) {
  const { data: metrics, error, refetch } = useRunnerMetrics()
  // The status arrives as an event, the metrics by polling: without this, a runner just restarted
  // shows the crashed process's empty figures until the next poll.
  useEffect(() => {
    void refetch()
  }, [state, refetch])
  // Between a (re)start and the process's first heartbeat there is no figure yet, not a missing one.
  const pending = 'Measuring…'
  return (
    <section className={styles.panel} aria-labelledby="runner-metrics-title">
      <div className={styles.panelHeader}>
        <h2 id="runner-metrics-title" className={styles.panelTitle}>
          Metrics
        </h2>
      </div>
      {error && <ErrorNotice error={error} title="The metrics could not be loaded" />}
      {metrics && (
        <>
          <dl className={styles.stats} data-testid="runner-metrics">
            <Stat
              label="Uptime"
              value={metrics.uptimeMs === null ? pending : formatDuration(metrics.uptimeMs)}
            />
            <Stat label="Restarts" value={String(metrics.restarts)} />
            <Stat label="Operations" value={metrics.operations.total.toLocaleString()} />
            <Stat label="Failed" value={metrics.operations.failed.toLocaleString()} />
            <Stat
              label="Latency p50"
              value={metrics.latencyMs ? formatMs(metrics.latencyMs.p50) : '—'}
            />
            <Stat
              label="p95 / p99"
              value={
                metrics.latencyMs
                  ? `${formatMs(metrics.latencyMs.p95)} / ${formatMs(metrics.latencyMs.p99)}`
                  : '—'
              }
            />
            <Stat
              label="Memory (RSS)"
              value={metrics.process ? formatBytes(metrics.process.rssBytes) : pending}
            />
            <Stat
              label="CPU"
              value={metrics.process ? `${metrics.process.cpuPercent.toFixed(1)} %` : pending}
            />
          </dl>
          <div className={styles.charts}>
            <Sparkline
              title="Operations per minute"
              span="last 30 minutes"
              kind="bars"
              values={metrics.perMinute.map((point) => point.operations)}
              format={(value) => value.toLocaleString()}
            />
            <Sparkline
              title="p95 latency"
              span="per minute, last 30 minutes"
              values={metrics.perMinute.map((point) => point.p95Ms)}
              format={formatMs}
            />
            <Sparkline
              title="Memory (RSS)"
              span="sampled every 5 seconds"
              values={metrics.memory.map((point) => point.rssBytes)}
              format={formatBytes}
            />
          </div>
        </>
      )}
    </section>
  )
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className={styles.stat}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}

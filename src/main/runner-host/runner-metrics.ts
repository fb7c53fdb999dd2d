import type { RunnerMetrics } from '../../shared/runner-protocol/status'
import type { Heartbeat } from './runner-session'

const LATENCY_SAMPLES = 2048
const MINUTES = 30
const MINUTE_SAMPLES = 512
const MEMORY_POINTS = 60
const MEMORY_EVERY_MS = 5000

interface Minute {
  start: number
  operations: number
  failed: number
  /** A uniform sample of the minute's latencies (reservoir), for its p95. */
  samples: number[]
}

/**
 * Counters and recent distributions for the Runner page and the bench: operations and failures,
 * latency percentiles over the last 2,048 operations, per-minute series, and the runner
 * process's own memory and CPU from its heartbeats.
 */
export class RunnerMetricsRecorder {
  private total = 0
  private failed = 0
  private readonly latencies = new Float64Array(LATENCY_SAMPLES)
  private latencyCount = 0
  private minutes: Minute[] = []
  private memory: { at: number; rssBytes: number }[] = []
  private beat: { at: number; beat: Heartbeat; pid: number; cpuPercent: number } | undefined

  constructor(private readonly now: () => number = Date.now) {}

  recordOperation(ms: number, ok: boolean): void {
    this.total++
    if (!ok) this.failed++
    this.latencies[this.latencyCount++ % LATENCY_SAMPLES] = ms
    const minute = this.minute(this.now())
    minute.operations++
    if (!ok) minute.failed++
    if (minute.samples.length < MINUTE_SAMPLES) minute.samples.push(ms)
    else {
      const slot = Math.floor(Math.random() * minute.operations)
      if (slot < MINUTE_SAMPLES) minute.samples[slot] = ms
    }
  }

  recordHeartbeat(pid: number, beat: Heartbeat): void {
    const at = this.now()
    let cpuPercent = this.beat?.cpuPercent ?? 0
    if (this.beat && this.beat.pid === pid && at > this.beat.at) {
      const cpu =
        beat.cpuUserMicros +
        beat.cpuSystemMicros -
        this.beat.beat.cpuUserMicros -
        this.beat.beat.cpuSystemMicros
      cpuPercent = Math.max(0, (cpu / 1000 / (at - this.beat.at)) * 100)
    } else if (!this.beat || this.beat.pid !== pid) {
      cpuPercent = 0
    }
    this.beat = { at, beat, pid, cpuPercent }
    const last = this.memory.at(-1)
    if (!last || at - last.at >= MEMORY_EVERY_MS) {
      this.memory.push({ at, rssBytes: beat.rssBytes })
      if (this.memory.length > MEMORY_POINTS) this.memory.shift()
    }
  }

  /** The process went away: its figures no longer describe anything running. */
  clearProcess(): void {
    this.beat = undefined
  }

  snapshot(extra: { uptimeMs: number | null; restarts: number }): RunnerMetrics {
    const count = Math.min(this.latencyCount, LATENCY_SAMPLES)
    const sorted = Array.from(this.latencies.subarray(0, count)).sort((a, b) => a - b)
    const now = this.now()
    const current = Math.floor(now / 60_000) * 60_000
    const perMinute: RunnerMetrics['perMinute'] = []
    for (let index = MINUTES - 1; index >= 0; index--) {
      const start = current - index * 60_000
      const minute = this.minutes.find((m) => m.start === start)
      const samples = minute ? [...minute.samples].sort((a, b) => a - b) : []
      perMinute.push({
        at: new Date(start).toISOString(),
        operations: minute?.operations ?? 0,
        failed: minute?.failed ?? 0,
        p95Ms: samples.length ? round(quantile(samples, 0.95)) : null,
      })
    }
    return {
      uptimeMs: extra.uptimeMs,
      restarts: extra.restarts,
      operations: { total: this.total, failed: this.failed },
      latencyMs: count
        ? {
            p50: round(quantile(sorted, 0.5)),
            p95: round(quantile(sorted, 0.95)),
            p99: round(quantile(sorted, 0.99)),
          }
        : null,
      process: this.beat
        ? {
            pid: this.beat.pid,
            rssBytes: this.beat.beat.rssBytes,
            heapUsedBytes: this.beat.beat.heapUsedBytes,
            cpuPercent: round(this.beat.cpuPercent, 1),
          }
        : null,
      perMinute,
      memory: this.memory.map((point) => ({
        at: new Date(point.at).toISOString(),
        rssBytes: point.rssBytes,
      })),
    }
  }

  private minute(at: number): Minute {
    const start = Math.floor(at / 60_000) * 60_000
    let minute = this.minutes.at(-1)
    if (!minute || minute.start !== start) {
      minute = { start, operations: 0, failed: 0, samples: [] }
      this.minutes.push(minute)
      this.minutes = this.minutes.filter((m) => at - m.start < MINUTES * 60_000)
    }
    return minute
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits))

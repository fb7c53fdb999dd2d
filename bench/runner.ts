// Runner figures, over the real mutual-TLS channel to a real runner process:
// ping round trip p50/p99, operations per second at concurrency 32, time from a SIGKILL to ready
// again (restart backoff set to zero, so excluded), and the idle runner's RSS. Uses the built
// runner (out/main/runner.js, `npm run build`) when present, as the app does; else the source
// through tsx (slower to start, larger RSS), and says which in `runner_entry`.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { memoryLogger } from '../src/main/log'
import { ChildProcessLauncher } from '../src/main/runner-host/process-launcher'
import { MemoryKeyStore } from '../src/main/security/keystore'
import { createServices } from '../src/main/services'
import type { RunnerStatus } from '../src/shared/runner-protocol/status'
import { report, round, summarize } from './lib/measure'

const ROOT = resolve(__dirname, '..')
const BUILT = join(ROOT, 'out', 'main', 'runner.js')
const PINGS = 5000
const OPS_C32 = 50_000
const RESTARTS = 7

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bk-bench-runner-'))
  const built = existsSync(BUILT)
  const launcher = built
    ? new ChildProcessLauncher({ entry: BUILT })
    : new ChildProcessLauncher({
        entry: join(ROOT, 'src', 'runner', 'index.ts'),
        execArgv: ['--import', 'tsx'],
        cwd: ROOT,
      })
  const services = createServices({
    dataDir,
    appInfo: { name: 'Bridgekeep', version: 'bench', platform: process.platform, host: 'electron' },
    log: memoryLogger(),
    keyStore: new MemoryKeyStore(),
    env: {},
    runner: { launcher, timings: { backoffInitialMs: 0, crashLimit: 1000 } },
  })
  const { runner } = services
  const ready = (notPid?: number) =>
    new Promise<void>((done) => {
      const check = (status: RunnerStatus) => {
        if (status.state === 'ready' && status.pid !== notPid) {
          stop()
          done()
        }
      }
      const stop = services.events.connect((channel, payload) => {
        if (channel === 'runner:status') check(payload as RunnerStatus)
      })
      check(runner.status())
    })
  try {
    await services.vault.create({ mode: 'keychain' })
    await runner.start()
    await ready()

    // Idle RSS: a fresh runner left alone, from its own heartbeats.
    await new Promise((r) => setTimeout(r, 4000))
    const idleRss = runner.metrics().process?.rssBytes ?? Number.NaN

    // Ping round trips, one at a time.
    for (let i = 0; i < 500; i++) await runner.request({ type: 'ping' })
    const pings: number[] = []
    for (let i = 0; i < PINGS; i++) {
      const start = performance.now()
      await runner.request({ type: 'ping' })
      pings.push(performance.now() - start)
    }
    pings.sort((a, b) => a - b)
    const at = (q: number) => pings[Math.min(pings.length - 1, Math.floor(q * pings.length))]!

    // Throughput: 32 requests in flight at all times.
    let issued = 0
    const worker = async () => {
      while (issued < OPS_C32) {
        issued++
        await runner.request({ type: 'ping' })
      }
    }
    const started = performance.now()
    await Promise.all(Array.from({ length: 32 }, worker))
    const opsPerSecond = OPS_C32 / ((performance.now() - started) / 1000)

    // SIGKILL to ready again.
    const restarts: number[] = []
    for (let i = 0; i < RESTARTS; i++) {
      const pid = runner.status().pid!
      const killedAt = performance.now()
      process.kill(pid, 'SIGKILL')
      await ready(pid)
      restarts.push(performance.now() - killedAt)
    }

    report({
      bench: 'runner',
      runner_entry: built ? 'built' : 'source',
      ping_p50_ms: round(at(0.5)),
      ping_p99_ms: round(at(0.99)),
      ops_per_s_c32: Math.round(opsPerSecond),
      restart_ready_ms: round(summarize(restarts).median, 1),
      idle_rss_mb: round(idleRss / 1024 / 1024, 1),
    })
  } finally {
    await runner.shutdown()
    services.vault.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

void main()

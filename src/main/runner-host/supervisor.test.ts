import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunnerStatus } from '../../shared/runner-protocol/status'
import { ROOT } from '../../../test/run-node'
import { fastTimings, processAlive, sourceRunnerLauncher, waitFor } from '../../../test/runner'
import { unlockedServices } from '../../../test/services'
import { ChildProcessLauncher } from './process-launcher'
import type { SupervisorTimings } from './supervisor'

type Fresh = Awaited<ReturnType<typeof unlockedServices>>
const opened: Fresh[] = []

afterEach(async () => {
  for (const fresh of opened.splice(0)) await fresh.services.runner.shutdown()
})

async function supervised(
  options: { fixture?: string; timings?: Partial<SupervisorTimings> } = {},
) {
  const launcher = options.fixture
    ? new ChildProcessLauncher({ entry: resolve(ROOT, 'test/fixtures', options.fixture) })
    : sourceRunnerLauncher()
  const fresh = await unlockedServices({
    runner: { launcher, timings: { ...fastTimings, ...options.timings } },
  })
  opened.push(fresh)
  const { runner } = fresh.services
  const states = () =>
    fresh.pushes
      .filter((push) => push.channel === 'runner:status')
      .map((push) => (push.payload as RunnerStatus).state)
      .filter((state, index, all) => state !== all[index - 1])
  const ready = async () => {
    await waitFor(() => runner.status().state === 'ready', 'the runner to be ready', 30_000)
    return runner.status().pid!
  }
  const audit = () =>
    fresh.services.audit
      .query({ filter: { actions: ['runner.start', 'runner.stop', 'runner.crash'] } })
      .entries.map((entry) => `${entry.action} ${entry.outcome}: ${entry.detail}`)
      .reverse()
  return { ...fresh, runner, states, ready, audit }
}

// Each test starts one or two runners through tsx: seconds each on a loaded two-core machine.
describe('supervision of the local runner (real processes)', { timeout: 60_000 }, () => {
  it('restarts a runner killed with SIGKILL, and it is ready again', async () => {
    const { runner, ready, states, audit } = await supervised()
    await runner.start()
    const first = await ready()
    expect(await runner.request({ type: 'ping' })).toEqual({ pong: true })

    process.kill(first, 'SIGKILL')
    await waitFor(
      () => runner.status().pid !== first && runner.status().state === 'ready',
      'a new runner',
    )
    const second = runner.status().pid!
    expect(second).not.toBe(first)
    expect(processAlive(first)).toBe(false)
    expect(runner.status()).toMatchObject({ restarts: 1, recentCrashes: 1, lastError: null })
    // (degraded may flash between the connection dropping and the exit being seen)
    expect(states().filter((state) => state !== 'degraded')).toEqual([
      'starting',
      'ready',
      'crashed',
      'restarting',
      'starting',
      'ready',
    ])
    expect(await runner.request({ type: 'ping' })).toEqual({ pong: true })
    expect(audit()).toEqual([
      'runner.start success: Started',
      'runner.crash failure: The runner was killed by SIGKILL.',
    ])
    expect(runner.metrics()).toMatchObject({ restarts: 1, operations: { total: 2, failed: 0 } })
  })

  it('kills and restarts a runner that stops sending heartbeats (SIGSTOP)', async () => {
    const { runner, ready, states } = await supervised()
    await runner.start()
    const frozen = await ready()
    process.kill(frozen, 'SIGSTOP')
    await waitFor(() => runner.status().state === 'degraded', 'degraded')
    await waitFor(
      () => runner.status().pid !== frozen && runner.status().state === 'ready',
      'a new runner',
    )
    await waitFor(() => !processAlive(frozen), 'the frozen runner to be gone')
    expect(states()).toEqual(
      expect.arrayContaining(['ready', 'degraded', 'crashed', 'restarting', 'starting', 'ready']),
    )
    expect(runner.logs({ search: 'heartbeat-missed' }).length).toBeGreaterThanOrEqual(1)
    const crash = runner.logs({ search: 'runner.crashed' })[0]
    expect(crash?.fields.reason).toMatch(/sent no heartbeat for \d+ ms and was killed/)
  })

  it('stops as failed after five crashes within the window, with the last error, backing off', async () => {
    const { runner, audit, pushes } = await supervised({ fixture: 'runner-crashes.cjs' })
    await runner.start()
    await waitFor(() => runner.status().state === 'failed', 'failed', 20_000)
    const status = runner.status()
    expect(status).toMatchObject({
      recentCrashes: 5,
      pid: null,
      lastError: {
        message: 'The runner exited with code 2: bridgekeep-runner: boom, cannot start (fixture)',
      },
    })
    const crashes = audit().filter((line) => line.startsWith('runner.crash'))
    expect(crashes).toHaveLength(5)
    expect(crashes.at(-1)).toMatch(
      /Stopped as failed after repeated crashes: The runner exited with code 2/,
    )
    // Exponential backoff: the wait after each crash doubles, as the status announced it (the
    // gaps between launches would add the time each runner took to start and crash, which varies
    // on a loaded machine by more than the waits themselves).
    const waits = new Set(
      pushes
        .filter((push) => push.channel === 'runner:status')
        .map((push) => push.payload as RunnerStatus)
        .filter((status) => status.state === 'restarting' && status.nextRestartAt !== null)
        .map((status) => Date.parse(status.nextRestartAt!) - Date.parse(status.lastError!.at)),
    )
    expect([...waits]).toEqual([50, 100, 200, 400])
    expect(runner.logs({ search: 'runner.launched' })).toHaveLength(5)
    // It stays failed until started again.
    await new Promise((r) => setTimeout(r, 600))
    expect(runner.status().state).toBe('failed')
  })

  it('stops gracefully: SIGTERM, and the runner exits by itself', async () => {
    const { runner, ready, audit } = await supervised()
    await runner.start()
    const pid = await ready()
    await runner.stop()
    expect(runner.status()).toMatchObject({ state: 'stopped', pid: null })
    expect(processAlive(pid)).toBe(false)
    expect(runner.logs({ search: 'stop-forced' })).toEqual([])
    expect(runner.logs({ search: 'runner.stopped' }).at(-1)?.fields).toMatchObject({ code: 0 })
    expect(audit()).toEqual(['runner.start success: Started', 'runner.stop success: Stopped'])
  })

  it('sends SIGKILL when a runner ignores SIGTERM for the grace period', async () => {
    const { runner } = await supervised({ fixture: 'runner-ignores-sigterm.cjs' })
    await runner.start()
    const pid = runner.status().pid!
    // Once its SIGTERM handler is in place (before that, SIGTERM simply ends it).
    await waitFor(() => runner.logs({ search: 'listening for nothing' }).length > 0, 'the fixture')
    const started = Date.now()
    await runner.stop()
    expect(Date.now() - started).toBeGreaterThanOrEqual(fastTimings.stopGraceMs! - 50)
    expect(processAlive(pid)).toBe(false)
    expect(runner.logs({ search: 'stop-forced' })).toHaveLength(1)
    expect(runner.status().state).toBe('stopped')
  })

  it('kills a runner that never connects, as a crash', async () => {
    const { runner } = await supervised({
      fixture: 'runner-ignores-sigterm.cjs',
      timings: { startTimeoutMs: 300, crashLimit: 1 },
    })
    await runner.start()
    await waitFor(() => runner.status().state === 'failed', 'failed')
    expect(runner.status().lastError?.message).toBe(
      'The runner did not connect within 300 ms of starting.',
    )
  })

  it('refuses to start while the vault is locked, saying so', async () => {
    const { runner, services } = await supervised()
    services.vault.lock()
    await expect(runner.start()).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
    expect(runner.status()).toMatchObject({
      state: 'stopped',
      lastError: { message: 'The vault is locked.' },
    })
  })

  it('a local runner exits by itself when the app process is killed', async () => {
    const app = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(ROOT, 'test/fixtures/runner-app.ts')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let output = ''
    app.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const { runnerPid } = await waitFor(
      () =>
        output.includes('\n')
          ? (JSON.parse(output.split('\n')[0]!) as { runnerPid: number })
          : undefined,
      'the app to report its runner',
      30_000,
    )
    expect(processAlive(runnerPid)).toBe(true)
    app.kill('SIGKILL')
    // Its stdin closing, its parent's pid gone and the control connection lost each tell it; a
    // runner left waiting (to reconnect, say) is still running at this deadline, generous on a
    // loaded machine where the 2 s once asserted here is no measure.
    await waitFor(() => !processAlive(runnerPid), 'the runner to exit', 10_000)
  }, 60_000)
})

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ChildProcessLauncher } from '../src/main/runner-host/process-launcher'
import type { SupervisorTimings } from '../src/main/runner-host/supervisor'
import { ROOT } from './run-node'

/** The runner program from source, as a real Node child process (through tsx). */
export function sourceRunnerLauncher(entry = 'src/runner/index.ts'): ChildProcessLauncher {
  return new ChildProcessLauncher({
    entry: resolve(ROOT, entry),
    execArgv: ['--import', 'tsx'],
    cwd: ROOT,
  })
}

/** Supervision timings for tests: heartbeats every 100 ms, short backoff, quick kills. */
export const fastTimings: Partial<SupervisorTimings> = {
  heartbeatMs: 100,
  // Generous against a busy two-core machine, where a healthy runner can stall for a moment.
  degradedAfterMs: 500,
  killAfterMs: 2000,
  startTimeoutMs: 15_000,
  backoffInitialMs: 50,
  backoffMaxMs: 400,
  crashWindowMs: 60_000,
  crashLimit: 5,
  stopGraceMs: 1500,
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Whether a process with this pid is running (an exited, unreaped zombie is not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    // "pid (name) S ...": the state letter follows the parenthesised name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return process.platform !== 'linux'
  }
}

export interface RunnerChild {
  pid: number
  stdout: () => string
  stderr: () => string
  /** Resolves with the exit code (or the signal's name). */
  exit: Promise<number | string>
  kill(signal?: NodeJS.Signals): void
}

/** The runner program started by hand, as a user would: `bridgekeep-runner --credentials <file>`. */
export function startRunnerByHand(args: string[], env: Record<string, string> = {}): RunnerChild {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'src/runner/index.ts'), ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exit = new Promise<number | string>((done) =>
    child.on('close', (code, signal) => done(code ?? signal ?? -1)),
  )
  return {
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  }
}

/** Writes a credentials file (mode 0600, as the user would save it) and returns its path. */
export function writeEnrollmentFile(content: string | object): string {
  const dir = mkdtempSync(join(tmpdir(), 'bk-runner-cred-'))
  const path = join(dir, 'runner.json')
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content), {
    mode: 0o600,
  })
  return path
}

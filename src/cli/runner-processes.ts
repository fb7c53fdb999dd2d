import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { RUNNER_PROGRAM_ARGUMENT } from './runner-program'

/**
 * Runners started with `bridgekeep runner start --detach`, remembered by a small JSON file each
 * in <data>/run/, so `runner stop` and `runner status` find them from any later shell. The files
 * hold no secret: the pid, which runner, and where its credentials file and log are.
 */
const detachedSchema = z.object({
  pid: z.number().int().positive(),
  runnerId: z.string(),
  label: z.string(),
  credentials: z.string(),
  log: z.string(),
  startedAt: z.string(),
})
export type DetachedRunner = z.infer<typeof detachedSchema>

function runDir(dataDir: string): string {
  return join(dataDir, 'run')
}

function recordFile(dataDir: string, runnerId: string): string {
  return join(runDir(dataDir), `runner-${runnerId.replace(/[^a-zA-Z0-9-]/g, '')}.json`)
}

export function rememberDetached(dataDir: string, runner: DetachedRunner): void {
  mkdirSync(runDir(dataDir), { recursive: true, mode: 0o700 })
  writeFileSync(recordFile(dataDir, runner.runnerId), `${JSON.stringify(runner)}\n`, {
    mode: 0o600,
  })
}

export function forgetDetached(dataDir: string, runnerId: string): void {
  rmSync(recordFile(dataDir, runnerId), { force: true })
}

/**
 * The detached runners still running. Records of runners that are gone (they exited, the machine
 * restarted, or the pid now belongs to another program) are removed on the way.
 */
export function detachedRunners(dataDir: string): DetachedRunner[] {
  const dir = runDir(dataDir)
  if (!existsSync(dir)) return []
  const alive: DetachedRunner[] = []
  for (const name of readdirSync(dir)) {
    if (!/^runner-.*\.json$/.test(name)) continue
    const path = join(dir, name)
    let record: DetachedRunner | undefined
    try {
      record = detachedSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
    } catch {
      record = undefined
    }
    if (record && isRunnerProcess(record.pid)) alive.push(record)
    else rmSync(path, { force: true })
  }
  return alive.sort((a, b) => a.startedAt.localeCompare(b.startedAt))
}

/** The pid is alive and, where /proc tells, is a Bridgekeep runner (pids get reused). */
export function isRunnerProcess(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const cmdline = `/proc/${pid}/cmdline`
  if (!existsSync('/proc/self/cmdline')) return true
  try {
    const args = readFileSync(cmdline, 'utf8').split('\0')
    return args.some(
      (arg) => arg === RUNNER_PROGRAM_ARGUMENT || /runner(\.js|[/\\]index\.ts)$/.test(arg),
    )
  } catch {
    return false
  }
}

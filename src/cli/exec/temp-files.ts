import { lstatSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { BridgekeepError } from '../../shared/errors'
import { resolveTempPaths, type EnvPlan } from './env-plan'

const PREFIX = 'exec-'

/**
 * The folder exec's credential files go under: $XDG_RUNTIME_DIR/bridgekeep (a per-user tmpfs,
 * never written to disk) when there is one, else <tmp>/bridgekeep-<uid>. Created 0700; refused if
 * it is a symlink, someone else's, or open to others (another user could read or swap files).
 */
export function privateTempRoot(env: Record<string, string | undefined>): string {
  const runtime = env.XDG_RUNTIME_DIR
  const uid = process.getuid?.()
  let root = join(tmpdir(), `bridgekeep-${uid ?? 'user'}`)
  if (runtime) {
    try {
      if (statSync(runtime).isDirectory()) root = join(runtime, 'bridgekeep')
    } catch {
      // no usable runtime dir: the temp dir it is
    }
  }
  mkdirSync(root, { recursive: true, mode: 0o700 })
  const stat = lstatSync(root)
  const unsafe =
    !stat.isDirectory() ||
    (uid !== undefined && stat.uid !== uid) ||
    (process.platform !== 'win32' && (stat.mode & 0o077) !== 0)
  if (unsafe)
    throw new BridgekeepError(
      'FORBIDDEN',
      `${root} is not a private folder (it must be a directory of yours with mode 0700).`,
      'Remove it, or set XDG_RUNTIME_DIR to a private folder, and try again.',
    )
  return root
}

/**
 * Removes folders left by exec runs that were killed outright (SIGKILL leaves no chance to
 * clean up): those whose process is gone.
 */
export function sweepStale(root: string): void {
  let names: string[]
  try {
    names = readdirSync(root)
  } catch {
    return
  }
  for (const name of names) {
    const pid = Number(/^exec-(\d+)-/.exec(name)?.[1])
    if (!pid || pid === process.pid || alive(pid)) continue
    rmSync(join(root, name), { recursive: true, force: true })
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface Materialized {
  /** The variables to set, with real paths. */
  set: Record<string, string>
  /** The private folder holding the files, when there are any. */
  dir?: string
  /** Removes the folder; safe to call more than once. */
  cleanup(): void
}

/**
 * Writes a plan's files (0600, in a fresh 0700 folder under `root`, named after this process so
 * a later run can sweep it if this one is killed) and resolves the path markers in its values.
 */
export function materialize(plan: EnvPlan, root: () => string): Materialized {
  if (plan.files.length === 0)
    return { set: resolveAll(plan.set, () => ''), cleanup: () => undefined }
  const base = root()
  sweepStale(base)
  // node:crypto only when there are files to write: most connections need none, and loading it
  // is a noticeable part of an exec the agent answers.
  const { randomBytes } = process.getBuiltinModule('node:crypto')
  const dir = join(base, `${PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`)
  mkdirSync(dir, { mode: 0o700 })
  let cleaned = false
  const cleanup = () => {
    if (cleaned) return
    cleaned = true
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    for (const file of plan.files) {
      const path = join(dir, file.path)
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
      writeFileSync(path, file.content, { mode: 0o600, flag: 'wx' })
    }
  } catch (error) {
    cleanup()
    throw error
  }
  return { set: resolveAll(plan.set, (relative) => join(dir, relative)), dir, cleanup }
}

function resolveAll(
  values: Record<string, string>,
  join: (relative: string) => string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, resolveTempPaths(value, join)]),
  )
}

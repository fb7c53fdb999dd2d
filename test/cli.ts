import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { memoryLogger } from '../src/main/log'
import { createOsKeyStore } from '../src/main/security/keystore'
import { createServices, type Services } from '../src/main/services'
import { ROOT } from './run-node'

/** Tests that need the real Secret Service run inside scripts/with-secret-service.sh. */
export const privateKeyring = process.env.BRIDGEKEEP_SECRET_SERVICE === 'private'

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliRun {
  env?: Record<string, string | undefined>
  /** Written to the command's stdin, which is then closed. */
  input?: string
  /** Called once the process exists (e.g. to signal it). */
  started?: (child: ChildProcess) => void
  timeoutMs?: number
}

/**
 * Runs the real `bridgekeep` (src/cli/index.ts through tsx, so it is always the current source)
 * as a child process, as a user would, and collects its output.
 */
export function runCli(args: string[], run: CliRun = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env, ...run.env }
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(ROOT, 'src/cli/index.ts'), ...args],
      { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`bridgekeep ${args.join(' ')} timed out; stderr: ${stderr}`))
    }, run.timeoutMs ?? 30_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ code, signal, stdout, stderr })
    })
    child.stdin.end(run.input ?? '')
    run.started?.(child)
  })
}

/**
 * A temporary data folder with a keychain vault (the real OS keystore: the private Secret Service)
 * and the services over it, standing for the open app. `cli` runs the command against it.
 */
export async function cliVault(
  options: { passphrase?: string; home?: string; windowShown?: () => boolean } = {},
) {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'bk-cli-'))
  const log = memoryLogger()
  const services: Services = createServices({
    dataDir: home,
    appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
    log,
    keyStore: createOsKeyStore(),
    env: {},
    ...(options.windowShown ? { windowShown: options.windowShown } : {}),
  })
  const { recoveryKey } = await services.vault.create(
    options.passphrase
      ? { mode: 'passphrase', passphrase: options.passphrase }
      : { mode: 'keychain' },
  )
  const cli = (args: string[], run: CliRun = {}) =>
    runCli(args, { ...run, env: { BRIDGEKEEP_HOME: home, ...run.env } })
  return { home, services, log, recoveryKey, cli }
}

/** Options for suites that start many processes: a busy two-core machine needs room. */
export const SLOW = { timeout: 90_000 }

/**
 * Puts `bridgekeep` (the current source through tsx) in `dir`, for tools that start it by name
 * from PATH (git's and kubectl's credential helpers).
 */
export function bridgekeepOnPath(dir: string): void {
  const cli = resolve(ROOT, 'src/cli/index.ts')
  writeFileSync(
    join(dir, 'bridgekeep'),
    `#!/bin/sh\ncd ${JSON.stringify(ROOT)} && exec ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(cli)} "$@"\n`,
  )
  chmodSync(join(dir, 'bridgekeep'), 0o755)
}

/** Runs a real program (git, kubectl) and collects what it printed. */
export function runProgram(
  command: string,
  args: string[],
  options: { env: Record<string, string>; input?: string; cwd?: string },
): Promise<CliResult> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      done({ code, signal, stdout, stderr })
    })
    child.stdin.end(options.input ?? '')
  })
}

/**
 * `bridgekeep` in this process (the same code path as the command: src/cli/index.ts's runCli)
 * with its output collected: for tables of many cases, where a process each would take minutes.
 */
export async function inProcessCli(
  argv: string[],
  run: { env: Record<string, string | undefined>; input?: string; cwd?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [{ Readable }, { runCli: runInProcess }] = await Promise.all([
    import('node:stream'),
    import('../src/cli/index'),
  ])
  let stdout = ''
  let stderr = ''
  const stdin = Readable.from(run.input === undefined ? [] : [Buffer.from(run.input)])
  const code = await runInProcess(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: stdin as unknown as NodeJS.ReadableStream,
    env: run.env,
    cwd: run.cwd ?? process.cwd(),
  })
  return { code, stdout, stderr }
}

/** The SHA-256 of a vault's database file and its write-ahead log: equal means byte-for-byte. */
export function vaultFingerprint(home: string): string {
  const hash = createHash('sha256')
  for (const name of ['vault.db', 'vault.db-wal'])
    if (existsSync(join(home, name))) hash.update(readFileSync(join(home, name)))
  return hash.digest('hex')
}

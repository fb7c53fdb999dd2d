import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { SecretReference } from '../../../shared/secret-reference'

/** The most a file or a command's output may hold: secrets are small, logs are not. */
export const REFERENCE_MAX_BYTES = 64 * 1024
/** How long a command may take (a password manager asking its agent, `vault kv get`). */
export const REFERENCE_COMMAND_TIMEOUT_MS = 30_000
/** The most of a failing command's stderr a message repeats (its first line). */
const STDERR_SHOWN = 200

/**
 * Why a lookup failed, in words that name no value ("the variable DB_PASSWORD is not set").
 * `said`: what a failing command wrote first on stderr, for the user's message only (the audit
 * trail keeps the reason without it).
 */
export class ReferenceFailure extends Error {
  constructor(
    message: string,
    readonly said?: string,
  ) {
    super(message)
  }
}

/** Where a use happens: whose environment `env:` reads, and the home `~/` means. */
export interface LocalReferenceContext {
  /** The caller's environment (the CLI's own, or the one it sent the agent). */
  env: Readonly<Record<string, string | undefined>>
  /** `~/` in a file path; the user's home by default. */
  home?: string
  /** Tests shorten it; 30 s otherwise. */
  commandTimeoutMs?: number
}

/**
 * Reads an env, file or command reference in this process. The text returned still has what the
 * source gave, but one trailing newline (files and commands end with one); the caller validates
 * it against the field. Throws ReferenceFailure with the reason.
 */
export async function readLocalReference(
  ref: SecretReference,
  context: LocalReferenceContext,
): Promise<string> {
  if (ref.env) return readEnv(ref.env.name, context.env)
  if (ref.file) return readFile(ref.file.path, context.home ?? homedir())
  if (ref.command)
    return runCommand(
      ref.command.argv,
      context,
      context.commandTimeoutMs ?? REFERENCE_COMMAND_TIMEOUT_MS,
    )
  throw new Error('readLocalReference: a Kubernetes reference is read through its connection')
}

function readEnv(name: string, env: LocalReferenceContext['env']): string {
  const value = env[name]
  if (value === undefined) throw new ReferenceFailure(`the variable ${name} is not set`)
  if (value === '') throw new ReferenceFailure(`the variable ${name} is empty`)
  return value
}

async function readFile(path: string, home: string): Promise<string> {
  const full = path.startsWith('~/') ? join(home, path.slice(2)) : path
  let handle
  try {
    // Non-blocking: a FIFO would otherwise wait for a writer (it is then refused as not a file).
    handle = await open(full, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw new ReferenceFailure(fileProblem(full, error))
  }
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) throw new ReferenceFailure(`${full} is a directory, not a file`)
    if (!stat.isFile()) throw new ReferenceFailure(`${full} is not a regular file`)
    if (stat.size > REFERENCE_MAX_BYTES)
      throw new ReferenceFailure(`the file ${full} is bigger than 64 KiB`)
    // Read at most one byte past the limit: a file that grew since stat is refused too.
    const buffer = Buffer.alloc(REFERENCE_MAX_BYTES + 1)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    if (bytesRead > REFERENCE_MAX_BYTES)
      throw new ReferenceFailure(`the file ${full} is bigger than 64 KiB`)
    const text = dropOneNewline(buffer.subarray(0, bytesRead).toString('utf8'))
    buffer.fill(0)
    if (text === '') throw new ReferenceFailure(`the file ${full} is empty`)
    return text
  } catch (error) {
    if (error instanceof ReferenceFailure) throw error
    throw new ReferenceFailure(fileProblem(full, error))
  } finally {
    await handle.close()
  }
}

function fileProblem(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return `the file ${path} does not exist`
  if (code === 'EISDIR') return `${path} is a directory, not a file`
  if (code === 'EACCES' || code === 'EPERM')
    return `the file ${path} is not readable (permission denied)`
  return `the file ${path} could not be read (${code ?? 'error'})`
}

/** Runs argv with no shell; its stdout is the value. */
function runCommand(
  argv: readonly string[],
  context: LocalReferenceContext,
  timeoutMs: number,
): Promise<string> {
  const [program, ...args] = argv as [string, ...string[]]
  return new Promise((resolve, reject) => {
    // Its own process group (POSIX), so that stopping it stops what it started too (a password
    // manager's helper that would otherwise hold the output open).
    const group = process.platform !== 'win32'
    const child = spawn(program, args, {
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...context.env },
      cwd: context.home ?? homedir(),
      windowsHide: true,
      detached: group,
    })
    const stdout: Buffer[] = []
    let stdoutBytes = 0
    let stderr = ''
    let settled = false
    const settle = (outcome: { value: string } | { reason: string; said?: string }) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      const output = Buffer.concat(stdout)
      output.fill(0)
      stdout.length = 0
      if ('value' in outcome) resolve(outcome.value)
      else reject(new ReferenceFailure(outcome.reason, outcome.said))
    }
    const stop = (reason: string) => {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
        else child.kill('SIGKILL')
      } catch {
        // Already gone.
      }
      child.stdout.destroy()
      child.stderr.destroy()
      settle({ reason })
    }
    const timer = setTimeout(
      () => stop(`the command ${program} timed out after ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    )
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length
      if (stdoutBytes > REFERENCE_MAX_BYTES) stop(`the command ${program} printed more than 64 KiB`)
      else stdout.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8')
    })
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') settle({ reason: `the command ${program} was not found` })
      else if (error.code === 'EACCES')
        settle({ reason: `the command ${program} is not executable` })
      else settle({ reason: `the command ${program} could not start (${error.code ?? 'error'})` })
    })
    child.on('close', (code, signal) => {
      if (settled) return
      const text = dropOneNewline(Buffer.concat(stdout).toString('utf8'))
      if (code !== 0)
        return settle({
          reason: `the command ${program} ${code === null ? `was stopped by ${signal}` : `exited with status ${code}`}`,
          ...(firstLine(stderr) ? { said: firstLine(stderr) } : {}),
        })
      if (text === '') return settle({ reason: `the command ${program} printed nothing` })
      settle({ value: text })
    })
  })
}

/** The first line of stderr, printable and cut to 200 characters. */
function firstLine(stderr: string): string {
  const line = (stderr.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim()
  const printable = line.replace(/\p{Cc}/gu, '?')
  return printable.length > STDERR_SHOWN ? `${printable.slice(0, STDERR_SHOWN - 1)}…` : printable
}

function dropOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2)
  if (text.endsWith('\n')) return text.slice(0, -1)
  return text
}

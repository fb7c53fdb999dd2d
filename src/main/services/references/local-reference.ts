import { constants } from 'node:fs'
import { open, realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { SecretReference } from '../../../shared/secret-reference'
import { utf8Text } from '../../../shared/text'
import { runCommand, type CommandMode } from './command-reference'
import { dropOneNewline, REFERENCE_MAX_BYTES, ReferenceFailure } from './reference-failure'

export { REFERENCE_MAX_BYTES, ReferenceFailure }

/** Where a use happens: whose environment `env:` reads, and the home `~/` means. */
export interface LocalReferenceContext {
  /** The caller's environment (the CLI's own, or the one it sent the agent). */
  env: Readonly<Record<string, string | undefined>>
  /** `~/` in a file path; the user's home by default. */
  home?: string
  /** Where a `command:` reference runs: detached unless the CLI has a person at its terminal. */
  commandMode?: CommandMode
  /** Tests shorten it; 30 s detached, 5 minutes on the terminal otherwise. */
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
    return runCommand(ref.command.argv, {
      env: context.env,
      cwd: context.home ?? homedir(),
      mode: context.commandMode ?? 'detached',
      ...(context.commandTimeoutMs === undefined ? {} : { timeoutMs: context.commandTimeoutMs }),
    })
  throw new Error('readLocalReference: a Kubernetes reference is read through its connection')
}

function readEnv(name: string, env: LocalReferenceContext['env']): string {
  // Own variables only: `constructor` or `__proto__` is a name like any other, not a property
  // every object inherits (which would then pass for a value).
  const value = Object.hasOwn(env, name) ? env[name] : undefined
  if (typeof value !== 'string') throw new ReferenceFailure(`the variable ${name} is not set`)
  if (value === '') throw new ReferenceFailure(`the variable ${name} is empty`)
  return value
}

async function readFile(path: string, home: string): Promise<string> {
  const full = path.startsWith('~/') ? join(home, path.slice(2)) : path
  let handle
  try {
    // Where it really is, symlinks followed: that is what is checked, and what is opened.
    const real = await realpath(full)
    refuseProcessState(full, real)
    // Non-blocking: a FIFO would otherwise wait for a writer (it is then refused as not a file).
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if (error instanceof ReferenceFailure) throw error
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
    const decoded = utf8Text(buffer.subarray(0, bytesRead))
    buffer.fill(0)
    if (decoded === undefined) throw new ReferenceFailure(`the file ${full} is not UTF-8 text`)
    const text = dropOneNewline(decoded)
    if (text === '') throw new ReferenceFailure(`the file ${full} is empty`)
    return text
  } catch (error) {
    if (error instanceof ReferenceFailure) throw error
    throw new ReferenceFailure(fileProblem(full, error))
  } finally {
    await handle.close()
  }
}

/**
 * /proc and /sys describe the running system, not secrets: /proc/self is whoever reads, and the
 * agent's environment (/proc/self/environ) may hold the vault's passphrase, which no use may read.
 */
const SYSTEM_STATE: [string, string][] = [
  ['/proc', 'describes running processes (the one reading it included)'],
  ['/sys', 'describes the kernel and devices'],
]

function refuseProcessState(full: string, real: string): void {
  for (const [root, what] of SYSTEM_STATE)
    if ([full, real].some((path) => path === root || path.startsWith(`${root}/`)))
      throw new ReferenceFailure(`the file ${full} is in ${root}, which ${what}, not a secret`)
}

function fileProblem(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return `the file ${path} does not exist`
  if (code === 'EISDIR') return `${path} is a directory, not a file`
  if (code === 'EACCES' || code === 'EPERM')
    return `the file ${path} is not readable (permission denied)`
  return `the file ${path} could not be read (${code ?? 'error'})`
}

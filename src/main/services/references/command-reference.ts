import { spawn } from 'node:child_process'
import { utf8Text } from '../../../shared/text'
import { foregroundStop, groupStop, type CommandStop } from './command-stop'
import { dropOneNewline, REFERENCE_MAX_BYTES, ReferenceFailure } from './reference-failure'

/**
 * Where a `command:` reference runs. `detached` (the app, the agent, a script): in a process group
 * of its own, with no input; no one could answer a prompt. `terminal` (the CLI with a person at
 * its terminal): in the CLI's process group, with the terminal as its stdin and stderr, so that a
 * password manager can ask for its passphrase, PIN or touch on /dev/tty.
 */
export type CommandMode = 'detached' | 'terminal'

/**
 * Through the agent, for a caller with a person at its terminal: the caller runs the command
 * there (as `terminal` above, in its own process) and gives back what it printed, or throws
 * ReferenceFailure with why not (main/agent/caller-terminal.ts).
 */
export interface CallerTerminal {
  run(argv: readonly string[]): Promise<string>
}

/** How long a detached command may take (a password manager asking its agent, `vault kv get`). */
export const REFERENCE_COMMAND_TIMEOUT_MS = 30_000
/**
 * How long a command on the terminal may take: it may be waiting for a person to find a hardware
 * key or read a passphrase from elsewhere, which 30 s would cut short; five minutes (sudo's wait
 * for a password) is that, and a prompt left in a forgotten terminal still ends.
 */
export const TERMINAL_COMMAND_TIMEOUT_MS = 5 * 60_000
/**
 * How long output may stay open once the command exited: something it left running in the
 * background (holding its stdout) is then stopped, and what the command printed is its value.
 */
const EXIT_GRACE_MS = 500
/** The most of a failing command's stderr a message repeats (its first line). */
const STDERR_SHOWN = 200

export interface CommandRun {
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  mode: CommandMode
  /** Tests shorten it; by the mode otherwise. */
  timeoutMs?: number
}

/** Runs argv with no shell; its stdout is the value, never shown. */
export function runCommand(argv: readonly string[], run: CommandRun): Promise<string> {
  const [program, ...args] = argv as [string, ...string[]]
  const terminal = run.mode === 'terminal'
  const timeoutMs =
    run.timeoutMs ?? (terminal ? TERMINAL_COMMAND_TIMEOUT_MS : REFERENCE_COMMAND_TIMEOUT_MS)
  return new Promise((resolve, reject) => {
    const group = !terminal && process.platform !== 'win32'
    const child = spawn(program, args, {
      shell: false,
      // On the terminal its prompt and its complaints are the user's to see; stdout is the value.
      stdio: terminal ? ['inherit', 'pipe', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      env: { ...run.env },
      cwd: run.cwd,
      windowsHide: true,
      detached: group,
    })
    const pid = child.pid
    const stopping: CommandStop =
      terminal && pid !== undefined
        ? foregroundStop(Object.assign(child, { pid }))
        : groupStop(child, group)
    const stdout: Buffer[] = []
    let stdoutBytes = 0
    let stderr = ''
    let settled = false
    let grace: NodeJS.Timeout | undefined
    const settle = (outcome: { value: string } | { reason: string; said?: string }) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(grace)
      stopping.release()
      // The chunks themselves: a Buffer.concat of them would be a copy.
      for (const chunk of stdout) chunk.fill(0)
      stdout.length = 0
      if ('value' in outcome) resolve(outcome.value)
      else reject(new ReferenceFailure(outcome.reason, outcome.said))
    }
    const closeOutput = () => {
      child.stdout?.destroy()
      child.stderr?.destroy()
    }
    const stop = (reason: string) => {
      closeOutput()
      // Unless the CLI was interrupted meanwhile: it dies of that, with nothing to report.
      stopping.stop(() => !stopping.interrupted && settle({ reason }))
    }
    const timer = setTimeout(
      () => stop(`the command ${program} timed out after ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    )
    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length
      if (stdoutBytes > REFERENCE_MAX_BYTES) stop(`the command ${program} printed more than 64 KiB`)
      else stdout.push(chunk)
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8')
    })
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') settle({ reason: `the command ${program} was not found` })
      else if (error.code === 'EACCES')
        settle({ reason: `the command ${program} is not executable` })
      else settle({ reason: `the command ${program} could not start (${error.code ?? 'error'})` })
    })
    // The command exited but its output is still open (held by something it started): stop that
    // shortly after, and take what the command printed.
    child.on('exit', (code, signal) => {
      grace = setTimeout(() => {
        stopping.kill()
        closeOutput()
        finish(code, signal)
      }, EXIT_GRACE_MS)
    })
    child.on('close', (code, signal) => finish(code, signal))
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      // The CLI was interrupted and dies of it: nothing is to be reported.
      if (settled || stopping.interrupted) return
      const output = Buffer.concat(stdout)
      const decoded = utf8Text(output)
      output.fill(0)
      if (code !== 0)
        return settle({
          reason: `the command ${program} ${code === null ? `was stopped by ${signal}` : `exited with status ${code}`}`,
          ...(firstLine(stderr) ? { said: firstLine(stderr) } : {}),
        })
      if (decoded === undefined)
        return settle({
          reason: `the command ${program} printed something that is not UTF-8 text`,
        })
      const text = dropOneNewline(decoded)
      if (text === '') return settle({ reason: `the command ${program} printed nothing` })
      settle({ value: text })
    }
  })
}

/** The first line of stderr, printable and cut to 200 characters. */
function firstLine(stderr: string): string {
  const line = (stderr.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim()
  const printable = line.replace(/\p{Cc}/gu, '?')
  return printable.length > STDERR_SHOWN ? `${printable.slice(0, STDERR_SHOWN - 1)}…` : printable
}

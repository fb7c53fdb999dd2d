import { BridgekeepError, isBridgekeepError } from '../../shared/errors'
import type { OutStream } from './io'
import { printable } from './output'

/** A provider field's key (named so `--field key=...` can be fixed), not an id. */
const FIELD_KEY = /^[a-z][a-z0-9_]*$/

/** Exit codes: 0 ok, 1 the operation failed, 2 the command line was wrong. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2
/** Ctrl-C at a prompt: what a shell reports for a command ended by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130

/**
 * The user pressed Ctrl-C where the CLI reads the keyboard itself (a secret prompt in raw mode,
 * where the terminal sends the key instead of SIGINT): exit 130 without a message, the terminal
 * restored first by whoever threw it.
 */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError'
  constructor() {
    super('Interrupted.')
  }
}

/** The command line is wrong (unknown option, missing argument): exit 2 with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  constructor(
    message: string,
    /** The command whose help explains it ('' for the top level). */
    readonly command = '',
  ) {
    super(message)
  }
}

/**
 * A change the app confirms in a dialog, asked for without `--yes`: nothing was changed, and the
 * hint is the command to run again (`rerun`, without `bridgekeep` and `--yes`).
 */
export function confirmationRequired(message: string, rerun: string): BridgekeepError {
  return new BridgekeepError(
    'CONFIRMATION_REQUIRED',
    message,
    `Nothing was changed. Run: bridgekeep ${rerun} --yes`,
  )
}

/**
 * Writes an error to stderr the way every command does and returns the exit code: usage errors
 * point at the command's help; BridgekeepErrors give their message, each field issue and the hint
 * (none of which ever holds a secret); anything else is a bug, reported without its stack.
 * Messages quote names, arguments and what a share or a service said: all of it is `printable`
 * (a hint may span lines, as when it quotes a log). Ctrl-C at a prompt prints nothing: exit 130.
 */
export function reportError(stderr: OutStream, error: unknown): number {
  if (error instanceof InterruptedError) return EXIT_INTERRUPTED
  if (error instanceof UsageError) {
    const help = error.command ? `bridgekeep ${error.command} --help` : 'bridgekeep --help'
    stderr.write(`bridgekeep: ${printable(error.message)}\nRun '${help}' for usage.\n`)
    return EXIT_USAGE
  }
  if (isBridgekeepError(error)) {
    const lines = [`bridgekeep: ${printable(error.message)}`]
    const issues = (error.issues ?? []).filter((issue) => issue.message !== error.message)
    for (const issue of issues)
      lines.push(
        `  - ${printable(issue.message)}${FIELD_KEY.test(issue.field) ? ` [${issue.field}]` : ''}`,
      )
    if (error.hint) lines.push(printable(error.hint, { multiline: true }))
    stderr.write(`${lines.join('\n')}\n`)
    return EXIT_FAILURE
  }
  const message = error instanceof Error ? error.message : String(error)
  stderr.write(`bridgekeep: unexpected error: ${printable(message, { multiline: true })}\n`)
  return EXIT_FAILURE
}

/** A stream the CLI writes to: process.stdout/stderr, or a collector in tests. */
export interface OutStream {
  write(text: string): unknown
  /** True when a person is looking at it (progress, colours and prompts only then). */
  isTTY?: boolean
}

/** The input side: process.stdin (a TTY for prompts, or a pipe for `--field key=@-`). */
export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean
  setRawMode?(mode: boolean): unknown
}

/**
 * Everything the CLI touches outside itself. Commands never reach for `process` directly, so the
 * same code runs as the real command and in tests with collected output.
 */
export interface CliIO {
  stdout: OutStream
  stderr: OutStream
  stdin: InStream
  /** Whether stdin is a terminal, when it is known without touching `stdin` (see inputIsTerminal). */
  stdinIsTTY?: boolean
  env: Record<string, string | undefined>
  cwd: string
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Read on first use: Node builds process.stdin (a TTY or pipe stream) when it is first
    // touched, a cost credential_process and most commands never need.
    get stdin() {
      return process.stdin
    },
    // Asked of the OS: building process.stdin only to read isTTY costs the most when it is a file
    // (</dev/null in scripts, cron, CI), for which Node loads its file streams.
    get stdinIsTTY() {
      return process.getBuiltinModule('node:tty').isatty(0)
    },
    env: process.env,
    cwd: process.cwd(),
  }
}

/** Whether the input is a terminal (then Ctrl-C reaches the commands we start directly, too). */
export function inputIsTerminal(io: CliIO): boolean {
  return io.stdinIsTTY ?? io.stdin.isTTY === true
}

/** Whether a person can answer a prompt: input and the prompt's stream are both terminals. */
export function interactive(io: CliIO): boolean {
  return inputIsTerminal(io) && io.stderr.isTTY === true
}

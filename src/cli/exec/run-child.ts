import { spawn } from 'node:child_process'
import { constants } from 'node:os'

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
type Forwarded = (typeof FORWARDED_SIGNALS)[number]

export interface ChildOptions {
  env: Record<string, string | undefined>
  /** Reports why the command could not start (not found, not executable). */
  onSpawnError(message: string): void
}

/** The exit code of a process killed by a signal, as shells report it. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0)
}

/**
 * Signal forwarding that starts before the child exists: a signal that arrives while exec is
 * still preparing (writing credential files) is remembered, the child is then never started, and
 * the caller cleans up and exits as if killed by it.
 */
export class SignalRelay {
  private child: { kill(signal: NodeJS.Signals): boolean } | undefined
  private pending: NodeJS.Signals | undefined
  private readonly handlers = new Map<Forwarded, () => void>()

  /**
   * `terminalDeliversSigint`: Ctrl-C in a terminal already reaches the child (it shares our
   * foreground process group), so SIGINT is not forwarded then: a second one would make tools
   * like Terraform stop at once instead of shutting down gracefully.
   */
  constructor(private readonly terminalDeliversSigint: boolean) {
    for (const signal of FORWARDED_SIGNALS) {
      const handler = () => this.receive(signal)
      this.handlers.set(signal, handler)
      process.on(signal, handler)
    }
  }

  /** The signal that arrived before the child started, if any. */
  get received(): NodeJS.Signals | undefined {
    return this.pending
  }

  attach(child: { kill(signal: NodeJS.Signals): boolean }): void {
    this.child = child
  }

  stop(): void {
    for (const [signal, handler] of this.handlers) process.removeListener(signal, handler)
    this.handlers.clear()
  }

  private receive(signal: Forwarded): void {
    if (!this.child) {
      this.pending ??= signal
      return
    }
    if (signal === 'SIGINT' && this.terminalDeliversSigint) return
    this.child.kill(signal)
  }
}

/**
 * Runs `command` with inherited stdio, forwards SIGINT/SIGTERM/SIGHUP to it, and resolves to its
 * exit code: its own, 128 + the signal number when a signal killed it, 127 when the command is
 * not found and 126 when it cannot be executed (as shells do).
 */
export function runChild(
  command: string[],
  relay: SignalRelay,
  options: ChildOptions,
): Promise<number> {
  return new Promise((resolve) => {
    const [file, ...args] = command
    // Node refuses such a variable by quoting its whole value: a secret, here. Named instead.
    const withNul = Object.entries(options.env).find(([, value]) => value?.includes('\u0000'))
    if (withNul) {
      options.onSpawnError(
        `${file}: cannot run it: the variable ${withNul[0]} holds a NUL character, which no environment can (give the connection's field a value without one).`,
      )
      return resolve(126)
    }
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(file!, args, { stdio: 'inherit', env: options.env })
    } catch (error) {
      // Its message may quote an argument or a variable: only the code is repeated.
      options.onSpawnError(
        `${file}: cannot run it (${(error as NodeJS.ErrnoException).code ?? 'refused'}).`,
      )
      return resolve(126)
    }
    relay.attach(child)
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        options.onSpawnError(`${file}: command not found.`)
        resolve(127)
      } else {
        options.onSpawnError(`${file}: cannot run it (${error.code ?? error.message}).`)
        resolve(126)
      }
    })
    child.once('exit', (code, signal) => {
      resolve(signal ? signalExitCode(signal) : (code ?? 1))
    })
  })
}

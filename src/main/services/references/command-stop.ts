import type { ChildProcess } from 'node:child_process'
import { constants } from 'node:os'
import { WatchedProcessTree } from './process-tree'

/** How long a command asked to stop may take to put the terminal back before it is killed. */
const STOP_GRACE_MS = 1_000
/** The signals that end the CLI: the command ends with it. */
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/** How a running `command:` reference is stopped, by where it runs. */
export interface CommandStop {
  /** Kills it at once, with what it started where that can be found. */
  kill(): void
  /** Stops it for a reason of ours (timed out, too much output); `then` once it is over. */
  stop(then: () => void): void
  /** The CLI itself was interrupted: it dies of that signal, and the lookup has no outcome. */
  readonly interrupted: boolean
  /** The lookup is over: the CLI's signals are its own again. */
  release(): void
}

/**
 * In the app or the agent: the command has its own process group (POSIX), so that stopping it
 * stops what it started too (a password manager's helper that would otherwise hold the output
 * open). No one is at a terminal to be asked anything: it is killed outright.
 */
export function groupStop(child: ChildProcess, group: boolean): CommandStop {
  const kill = () => {
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      else child.kill('SIGKILL')
    } catch {
      // Already gone.
    }
  }
  return {
    kill,
    stop: (then) => {
      kill()
      then()
    },
    interrupted: false,
    release: () => {},
  }
}

/**
 * On the CLI's terminal: the command is in the CLI's process group, the terminal's foreground
 * one, so it may prompt on /dev/tty, and Ctrl-C reaches it as it reaches the CLI. It ends with
 * the CLI: on SIGINT, SIGTERM or SIGHUP the signal is passed on to it and what it started, what
 * is left a second later is killed, and the CLI then dies of the signal as it would have without
 * us (no message: the user pressed Ctrl-C); when the CLI exits any other way, it is killed.
 * Stopped for a reason of ours it gets SIGTERM first, so that a prompt can put the terminal back
 * (echo on) before it is killed.
 */
export function foregroundStop(child: ChildProcess & { pid: number }): CommandStop {
  const tree = new WatchedProcessTree(child.pid)
  let interrupted: NodeJS.Signals | undefined
  let released = false
  const running = () => child.exitCode === null && child.signalCode === null
  const signalAll = (signal: NodeJS.Signals) => {
    tree.signal(signal)
    if (running()) child.kill(signal)
  }
  const kill = () => signalAll('SIGKILL')
  /** Sends `signal`, then kills what is left once the command ended or after the grace. */
  const ending = (signal: NodeJS.Signals, then: () => void) => {
    signalAll(signal)
    let over = false
    const finish = () => {
      if (over) return
      over = true
      clearTimeout(grace)
      kill()
      then()
    }
    const grace = setTimeout(finish, STOP_GRACE_MS)
    if (running()) child.once('exit', finish)
    else finish()
  }
  const release = () => {
    if (released) return
    released = true
    tree.stop()
    for (const signal of ENDING_SIGNALS) process.removeListener(signal, onSignal)
    process.removeListener('exit', kill)
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return
    interrupted = signal
    ending(signal, () => {
      release()
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
      else process.exit(128 + (constants.signals[signal] ?? 0))
    })
  }
  for (const signal of ENDING_SIGNALS) process.on(signal, onSignal)
  process.on('exit', kill)
  return {
    kill,
    stop: (then) => ending('SIGTERM', then),
    get interrupted() {
      return interrupted !== undefined
    },
    release,
  }
}

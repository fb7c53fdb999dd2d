import { readdirSync, readFileSync } from 'node:fs'

/** How often the processes a foreground command started are looked for while it runs. */
const WATCH_EVERY_MS = 250

/** A process's parent and its start time (in clock ticks since boot: a reused pid starts later). */
function statOf(pid: number): { ppid: number; started: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The name (field 2) may hold spaces and parentheses: the other fields follow its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), started: fields[19] ?? '' }
  } catch {
    return undefined
  }
}

/** The processes `root` started and theirs, as /proc shows them now (Linux; none elsewhere). */
function descendantsOf(root: number): Map<number, string> {
  const found = new Map<number, string>()
  if (process.platform !== 'linux') return found
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return found
  }
  const children = new Map<number, { pid: number; started: string }[]>()
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const stat = statOf(Number(name))
    if (!stat) continue
    const siblings = children.get(stat.ppid) ?? []
    siblings.push({ pid: Number(name), started: stat.started })
    children.set(stat.ppid, siblings)
  }
  const queue = [root]
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift())
    for (const child of children.get(parent) ?? []) {
      found.set(child.pid, child.started)
      queue.push(child.pid)
    }
  return found
}

/**
 * What a command running in our own process group started (a helper, a background job), so it
 * can be stopped with the command. A process group would say it at once, but a command that
 * prompts on the terminal must stay in the CLI's (the terminal's foreground one). So the tree is
 * watched while the command runs: when Ctrl-C ends the command, what it started is an orphan
 * that no parent links to any more, and only a pid seen before (with the same start time, so a
 * reused pid is left alone) still names it. Something started in the last quarter second before
 * a stop, or that left for a session of its own (a daemon), is not found.
 */
export class WatchedProcessTree {
  private readonly seen = new Map<number, string>()
  private readonly timer: NodeJS.Timeout

  constructor(private readonly root: number) {
    this.look()
    this.timer = setInterval(() => this.look(), WATCH_EVERY_MS)
    this.timer.unref()
  }

  /** Sends `signal` to every process seen that still runs (never the root: its owner does). */
  signal(signal: NodeJS.Signals): void {
    this.look()
    for (const [pid, started] of this.seen) {
      if (statOf(pid)?.started !== started) {
        this.seen.delete(pid)
        continue
      }
      try {
        process.kill(pid, signal)
      } catch {
        // Gone meanwhile.
      }
    }
  }

  stop(): void {
    clearInterval(this.timer)
  }

  private look(): void {
    for (const [pid, started] of descendantsOf(this.root)) this.seen.set(pid, started)
  }
}

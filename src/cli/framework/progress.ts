import type { OutStream } from './io'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export interface ProgressOptions {
  /** Nothing is drawn for work that ends sooner: a flash of a spinner is noise. */
  delayMs?: number
  intervalMs?: number
}

/**
 * Runs `work` with a spinner and `label` on stderr, but only when stderr is a terminal (scripts and
 * pipes get clean output) and only once the work has taken longer than `delayMs` (at once with 0,
 * for synchronous work that would block the timer). The line is erased when the work ends,
 * however it ends.
 */
export async function withProgress<T>(
  stderr: OutStream,
  label: string,
  work: () => Promise<T> | T,
  options: ProgressOptions = {},
): Promise<T> {
  if (stderr.isTTY !== true) return await work()
  const { delayMs = 150, intervalMs = 80 } = options
  let frame = 0
  let drawn = false
  let ticker: NodeJS.Timeout | undefined
  const draw = () => {
    stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`)
    drawn = true
  }
  // Synchronous work (SQLite) blocks the timers: with no delay the label is drawn at once.
  if (delayMs <= 0) draw()
  const starter = setTimeout(
    () => {
      draw()
      ticker = setInterval(draw, intervalMs)
    },
    Math.max(delayMs, 0),
  )
  try {
    return await work()
  } finally {
    clearTimeout(starter)
    if (ticker) clearInterval(ticker)
    // Erase the line: carriage return, then clear to the end of the line.
    if (drawn) stderr.write('\r\u001b[2K')
  }
}

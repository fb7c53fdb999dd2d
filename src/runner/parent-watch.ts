export interface ParentWatchOptions {
  /** Exit when this process no longer exists. */
  parentPid?: number
  /** The parent is our direct parent: being re-parented means it died (even as a zombie). */
  direct?: boolean
  /** Exit when this stream ends (the app holds its other end). */
  stdin?: NodeJS.ReadableStream
  onGone(why: 'parent-exited' | 'stdin-closed'): void
  intervalMs?: number
}

/**
 * A local runner outlives its app by at most one interval: it checks the parent's pid twice a
 * second, and the end of stdin tells it at once. (The lost control connection is the third
 * signal, handled by the caller.) Returns the function that stops watching.
 */
export function watchParent(options: ParentWatchOptions): () => void {
  let gone = false
  const report = (why: 'parent-exited' | 'stdin-closed') => {
    if (gone) return
    gone = true
    options.onGone(why)
  }
  let timer: NodeJS.Timeout | undefined
  const { parentPid } = options
  if (parentPid !== undefined && Number.isInteger(parentPid) && parentPid > 1) {
    timer = setInterval(() => {
      // Re-parented to init (or a subreaper): the app is gone, even if it lingers as a zombie.
      if ((options.direct && process.ppid !== parentPid) || !alive(parentPid))
        report('parent-exited')
    }, options.intervalMs ?? 500)
    timer.unref()
  }
  const onEnd = () => report('stdin-closed')
  if (options.stdin) {
    options.stdin.on('end', onEnd)
    options.stdin.on('close', onEnd)
    options.stdin.resume()
  }
  return () => {
    clearInterval(timer)
    options.stdin?.off('end', onEnd)
    options.stdin?.off('close', onEnd)
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

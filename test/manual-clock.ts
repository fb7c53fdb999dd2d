import type { Clock } from '../src/main/desktop/auto-lock'

/** A clock that moves only when told to, firing the timers that fall due on the way. */
export class ManualClock implements Clock {
  private current = Date.now()
  private nextHandle = 1
  private readonly timers = new Map<number, { due: number; callback: () => void }>()

  now(): number {
    return this.current
  }

  setTimeout(callback: () => void, ms: number): number {
    const handle = this.nextHandle++
    this.timers.set(handle, { due: this.current + ms, callback })
    return handle
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  /** Moves on by `ms`, running each timer due by then in order, at its own time. */
  advance(ms: number): void {
    const end = this.current + ms
    for (;;) {
      const next = [...this.timers.entries()]
        .filter(([, timer]) => timer.due <= end)
        .sort(([, a], [, b]) => a.due - b.due)[0]
      if (!next) break
      this.timers.delete(next[0])
      this.current = next[1].due
      next[1].callback()
    }
    this.current = end
  }
}

/** Why a wait ended: a notification, the poll interval, the connection lost, or a stop asked. */
export type WakeReason = 'notify' | 'poll' | 'lost' | 'stop'

/**
 * Waiting on a team database: a LISTEN notification wakes the waiter at once; the fallback poll
 * wakes it anyway after the interval (a notification can be missed across a reconnection); a
 * lost connection ends every wait from then on. A notification that arrives while nobody waits
 * is kept for the next wait, so none is lost between two waits.
 */
export class Wakeup {
  private pending: WakeReason | undefined
  private waiter: ((why: WakeReason) => void) | undefined

  notify(): void {
    this.fire('notify')
  }

  lost(): void {
    this.fire('lost')
  }

  wait(ms: number, signal?: AbortSignal): Promise<WakeReason> {
    if (signal?.aborted) return Promise.resolve('stop')
    if (this.pending) {
      const why = this.pending
      if (why !== 'lost') this.pending = undefined
      return Promise.resolve(why)
    }
    return new Promise((resolve) => {
      const done = (why: WakeReason) => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', stop)
        this.waiter = undefined
        resolve(why)
      }
      const timer = setTimeout(() => done('poll'), Math.max(0, ms))
      const stop = () => done('stop')
      signal?.addEventListener('abort', stop, { once: true })
      this.waiter = done
    })
  }

  private fire(why: WakeReason): void {
    if (this.waiter) this.waiter(why)
    else if (this.pending !== 'lost') this.pending = why
    if (why === 'lost') this.pending = 'lost'
  }
}

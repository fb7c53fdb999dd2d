import { spawn } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { watchParent } from './parent-watch'

describe('watching for the app to go away', () => {
  it('notices the parent pid is gone within an interval', async () => {
    // The interval is counted, not timed: a loaded machine delays real timers by any amount.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    try {
      const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
      const seen: string[] = []
      watchParent({ parentPid: parent.pid!, onGone: (why) => seen.push(why), intervalMs: 50 })
      vi.advanceTimersByTime(100)
      expect(seen).toEqual([]) // it runs
      const exited = new Promise((resolve) => parent.once('exit', resolve))
      parent.kill('SIGKILL')
      await exited // and is reaped: its pid is gone
      vi.advanceTimersByTime(50)
      expect(seen).toEqual(['parent-exited'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('notices the end of stdin at once', async () => {
    const stdin = new PassThrough()
    const gone = new Promise<string>((resolve) => watchParent({ stdin, onGone: resolve }))
    stdin.end()
    expect(await gone).toBe('stdin-closed')
  })
})

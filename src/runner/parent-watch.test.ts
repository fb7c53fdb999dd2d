import { spawn } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { watchParent } from './parent-watch'

describe('watching for the app to go away', () => {
  it('notices the parent pid is gone within an interval', async () => {
    const parent = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    const gone = new Promise<string>((resolve) => {
      watchParent({ parentPid: parent.pid!, onGone: resolve, intervalMs: 50 })
    })
    await new Promise((r) => setTimeout(r, 150))
    const killedAt = Date.now()
    parent.kill('SIGKILL')
    expect(await gone).toBe('parent-exited')
    expect(Date.now() - killedAt).toBeLessThan(1000)
  })

  it('notices the end of stdin at once', async () => {
    const stdin = new PassThrough()
    const gone = new Promise<string>((resolve) => watchParent({ stdin, onGone: resolve }))
    stdin.end()
    expect(await gone).toBe('stdin-closed')
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemoryClipboard, SecretClipboard } from './secret-clipboard'

describe('SecretClipboard', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('clears the secret after 30 seconds', async () => {
    const port = new MemoryClipboard()
    const clipboard = new SecretClipboard(port)
    expect(clipboard.copy('s3cret')).toBe(30)
    expect(port.text).toBe('s3cret')
    await vi.advanceTimersByTimeAsync(29_000)
    expect(port.text).toBe('s3cret')
    await vi.advanceTimersByTimeAsync(1_000)
    expect(port.text).toBe('')
  })

  it('leaves alone what the user copied since', async () => {
    const port = new MemoryClipboard()
    const clipboard = new SecretClipboard(port)
    clipboard.copy('s3cret')
    port.writeText('a note of mine')
    await vi.advanceTimersByTimeAsync(30_000)
    expect(port.text).toBe('a note of mine')
  })

  it('restarts the countdown for a second copy and clears at once on lock', async () => {
    const port = new MemoryClipboard()
    const clipboard = new SecretClipboard(port)
    clipboard.copy('first')
    await vi.advanceTimersByTimeAsync(20_000)
    clipboard.copy('second')
    await vi.advanceTimersByTimeAsync(20_000)
    expect(port.text).toBe('second')
    clipboard.clearNow()
    expect(port.text).toBe('')
  })

  it('works with an asynchronous clipboard (Electron 45)', async () => {
    let text = ''
    const clipboard = new SecretClipboard({
      readText: async () => text,
      writeText: async (value) => {
        text = value
      },
    })
    clipboard.copy('s3cret')
    await vi.advanceTimersByTimeAsync(30_000)
    expect(text).toBe('')
  })
})

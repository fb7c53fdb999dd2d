import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { recordingOpener } from '../../test/fixtures/recording-opener'
import { waitFor } from '../../test/runner'
import { openInBrowser } from './open-in-browser'

describe.skipIf(process.platform !== 'linux')('openInBrowser', () => {
  it('starts xdg-open with the address as its one argument, without the secret variables', async () => {
    const opener = recordingOpener()
    const started = await openInBrowser('https://127.0.0.1:9/device?user_code=ABCD-EFGH', {
      PATH: opener.bin,
      DISPLAY: ':99',
      BRIDGEKEEP_PASSPHRASE: 'never-for-the-browser',
    })
    expect(started).toBe(true)
    const record = await waitFor(opener.started, 'the opener ran')
    expect(record.argv).toEqual(['https://127.0.0.1:9/device?user_code=ABCD-EFGH'])
    expect(record.env.BRIDGEKEEP_PASSPHRASE).toBeUndefined()
  })

  it('without a display it starts nothing and says so', async () => {
    const opener = recordingOpener()
    expect(await openInBrowser('https://127.0.0.1:9/', { PATH: opener.bin })).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(opener.started()).toBe(false)
  })

  it('a missing opener is a false, not a crash', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bk-no-xdg-'))
    expect(await openInBrowser('https://127.0.0.1:9/', { PATH: empty, DISPLAY: ':99' })).toBe(false)
  })

  it('never hands an opener anything but https, or http on this computer', async () => {
    const opener = recordingOpener()
    const env = { PATH: opener.bin, DISPLAY: ':99' }
    for (const address of ['file:///etc/passwd', 'http://example.com/', '--help', 'javascript:1'])
      expect(await openInBrowser(address, env), address).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(opener.started()).toBe(false)
  })
})

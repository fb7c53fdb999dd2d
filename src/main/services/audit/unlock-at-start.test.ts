import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../log'
import { MemoryKeyStore } from '../../security/keystore'
import { createServices } from '..'

describe('unlockAtStart', () => {
  it('records the silent keychain unlock at start, and a failed one with its reason', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bk-start-'))
    const keyStore = new MemoryKeyStore()
    const start = () =>
      createServices({
        dataDir,
        appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
        log: memoryLogger(),
        keyStore,
      })
    const first = start()
    expect(await first.unlockAtStart()).toMatchObject({ state: 'missing' })
    await first.vault.create({ mode: 'keychain' })
    first.vault.close()

    const second = start()
    expect(await second.unlockAtStart()).toMatchObject({ state: 'unlocked' })
    second.vault.close()

    keyStore.failWith('locked')
    const third = start()
    expect(await third.unlockAtStart()).toMatchObject({
      state: 'locked',
      lastError: { code: 'KEYCHAIN_LOCKED' },
    })
    keyStore.failWith(null)
    await third.vault.unlock({ method: 'keychain' })
    expect(third.audit.query().entries.map((e) => [e.action, e.outcome, e.detail])).toEqual([
      ['vault.unlock', 'failure', 'With keychain, at start; KEYCHAIN_LOCKED'],
      ['vault.unlock', 'success', 'With keychain, at start'],
    ])
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../log'
import { MemoryKeyStore } from '../../security/keystore'
import { createServices } from '..'
import { freshServices } from '../../../../test/services'

const PASSPHRASE = 'correct horse battery staple 42'

describe('VaultLifecycle', () => {
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
    expect(await first.vaultLifecycle.unlockAtAppStart()).toMatchObject({ state: 'missing' })
    await first.vault.create({ mode: 'keychain' })
    first.vault.close()

    const second = start()
    const pushes: unknown[] = []
    second.events.connect((channel, payload) => pushes.push([channel, payload]))
    expect(await second.vaultLifecycle.unlockAtAppStart()).toMatchObject({ state: 'unlocked' })
    expect(pushes).toEqual([['vault:changed', expect.objectContaining({ state: 'unlocked' })]])
    second.vault.close()

    keyStore.failWith('locked')
    const third = start()
    expect(await third.vaultLifecycle.unlockAtAppStart()).toMatchObject({
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

  it('leaves a passphrase vault locked at start, unrecorded', async () => {
    const { services } = freshServices()
    await services.vaultLifecycle.create({ mode: 'passphrase', passphrase: PASSPHRASE })
    services.vaultLifecycle.lock()
    expect(await services.vaultLifecycle.unlockAtAppStart()).toMatchObject({ state: 'locked' })
    await services.vault.unlock({ method: 'passphrase', passphrase: PASSPHRASE })
    expect(services.audit.query().entries.map((e) => e.action)).toEqual([
      'vault.lock',
      'vault.create',
    ])
  })

  it('audits each change and pushes vault:changed, wherever it is asked for', async () => {
    const { services, pushes } = freshServices()
    const lifecycle = services.vaultLifecycle
    const { recoveryKey } = await lifecycle.create({ mode: 'keychain' })
    expect(pushes.at(-1)).toMatchObject({
      channel: 'vault:changed',
      payload: { state: 'unlocked', mode: 'keychain' },
    })
    expect(lifecycle.lock()).toMatchObject({ state: 'locked' })
    expect(pushes.at(-1)).toMatchObject({ channel: 'vault:changed', payload: { state: 'locked' } })
    // Locking a locked vault records nothing.
    lifecycle.lock()
    await expect(
      lifecycle.unlock({ method: 'recovery', recoveryKey: 'ABCD-EFGH' }, { from: 'cli' }),
    ).rejects.toMatchObject({ code: 'RECOVERY_KEY_INVALID' })
    await lifecycle.unlock({ method: 'recovery', recoveryKey }, { from: 'cli' })
    lifecycle.lock()
    await lifecycle.unlockWithKeychainFromCli({ fallback: false })
    expect(pushes.at(-1)).toMatchObject({
      channel: 'vault:changed',
      payload: { state: 'unlocked' },
    })
    expect(await lifecycle.rewrap({ with: 'passphrase', passphrase: PASSPHRASE })).toMatchObject({
      mode: 'passphrase',
    })
    expect(pushes.at(-1)).toMatchObject({
      channel: 'vault:changed',
      payload: { mode: 'passphrase' },
    })
    await expect(lifecycle.reencrypt({ passphrase: 'not the passphrase at all' })).rejects.toThrow()
    await lifecycle.reencrypt({ passphrase: PASSPHRASE })
    lifecycle.lock()
    await lifecycle.unlock({ method: 'passphrase', passphrase: PASSPHRASE })
    expect(
      services.audit
        .query()
        .entries.map((e) => `${e.action} ${e.outcome}: ${e.detail}`)
        .reverse(),
    ).toEqual([
      'vault.create success: Created (keychain)',
      'vault.lock success: Locked',
      'vault.unlock failure: With recovery, from the CLI; RECOVERY_KEY_INVALID',
      'vault.unlock success: With recovery, from the CLI',
      'vault.lock success: Locked',
      'vault.rewrap success: With passphrase',
      'vault.reencrypt failure: New data key; WRONG_PASSPHRASE',
      'vault.reencrypt success: New data key; every secret re-encrypted',
      'vault.lock success: Locked',
      'vault.unlock success: With passphrase',
    ])
  }, 60_000)

  it('records a failed CLI keychain unlock, unless the CLI falls back to the recovery key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bk-cli-keychain-'))
    const keyStore = new MemoryKeyStore()
    const services = createServices({
      dataDir,
      appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'cli' },
      log: memoryLogger(),
      keyStore,
    })
    await services.vault.create({ mode: 'keychain' })
    services.vault.lock()
    keyStore.failWith('locked')
    await expect(
      services.vaultLifecycle.unlockWithKeychainFromCli({ fallback: true }),
    ).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' })
    await expect(
      services.vaultLifecycle.unlockWithKeychainFromCli({ fallback: false }),
    ).rejects.toMatchObject({ code: 'KEYCHAIN_LOCKED' })
    keyStore.failWith(null)
    await services.vault.unlock({ method: 'keychain' })
    expect(services.audit.query().entries.map((e) => `${e.outcome}: ${e.detail}`)).toEqual([
      'failure: With keychain, from the CLI; KEYCHAIN_LOCKED',
    ])
  })
})

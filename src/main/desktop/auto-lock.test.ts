import { writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../../test/manual-clock'
import { unlockedServices } from '../../../test/services'
import { AutoLock } from './auto-lock'

const MINUTE = 60_000
const running: AutoLock[] = []
afterEach(() => running.splice(0).forEach((autoLock) => autoLock.stop()))

/** An auto-lock over a real, unlocked vault, on a clock the test moves. */
async function setup(options: { systemIdleMs?: () => number } = {}) {
  const { services } = await unlockedServices()
  const clock = new ManualClock()
  const autoLock = new AutoLock({ services, clock, ...options })
  running.push(autoLock)
  const state = () => services.vault.status().state
  /** The locks recorded (the trail is read with the data key: unlocked quietly, unaudited). */
  const locks = async () => {
    await services.vault.unlock({ method: 'keychain' })
    return services.audit
      .query({ filter: { actions: ['vault.lock'] } })
      .entries.map((entry) => entry.detail)
  }
  return { services, clock, autoLock, state, locks }
}

describe('AutoLock (real vault, manual clock)', () => {
  it('locks after 15 idle minutes by default, audited with the reason, and the data key is gone', async () => {
    const { services, clock, state, locks } = await setup()
    clock.advance(15 * MINUTE - 1)
    expect(state()).toBe('unlocked')
    clock.advance(1)
    expect(state()).toBe('locked')
    expect(() => services.vault.requireKey()).toThrow(
      expect.objectContaining({ code: 'VAULT_LOCKED' }),
    )
    expect(await locks()).toEqual(['Locked: idle for 15 min'])
  })

  it('waits again after activity in the window, and counts afresh from an unlock', async () => {
    const { services, clock, autoLock, state, locks } = await setup()
    clock.advance(10 * MINUTE)
    autoLock.report()
    clock.advance(14 * MINUTE)
    expect(state()).toBe('unlocked')
    clock.advance(1 * MINUTE)
    expect(state()).toBe('locked')

    clock.advance(60 * MINUTE) // locked meanwhile: nothing more recorded
    await services.vaultLifecycle.unlock({ method: 'keychain' }, { from: 'app' })
    clock.advance(15 * MINUTE - 1)
    expect(state()).toBe('unlocked')
    clock.advance(1)
    expect(state()).toBe('locked')
    expect(await locks()).toEqual(['Locked: idle for 15 min', 'Locked: idle for 15 min'])
  })

  it('follows the setting as it changes, and never locks when set to never', async () => {
    const { services, clock, state, locks } = await setup()
    services.settings.update({ autoLockMinutes: 0 })
    clock.advance(24 * 60 * MINUTE)
    expect(state()).toBe('unlocked')
    // 5 minutes, with more than that already idle: due at once.
    services.settings.update({ autoLockMinutes: 5 })
    expect(state()).toBe('locked')
    expect(await locks()).toEqual(['Locked: idle for 5 min'])
  })

  it('counts input anywhere on the computer where the host can tell', async () => {
    let systemIdle = 0
    const { clock, state } = await setup({ systemIdleMs: () => systemIdle })
    // Typing in a terminal for 20 minutes, the window untouched.
    clock.advance(20 * MINUTE)
    expect(state()).toBe('unlocked')
    systemIdle = 15 * MINUTE
    clock.advance(15 * MINUTE)
    expect(state()).toBe('locked')
  })

  it('keeps the default when the settings file cannot be read', async () => {
    const { services, clock, state } = await setup()
    writeFileSync(services.settings.path, '{ broken')
    clock.advance(15 * MINUTE)
    expect(state()).toBe('locked')
  })
})

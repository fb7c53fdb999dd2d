import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { connectionInput, freshServices, unlockedServices } from '../../../test/services'
import { decideWindowClose, keepsRunningInTray, readTrayState, trayView } from './keep-running'

describe('decideWindowClose', () => {
  it('hides the window only when the setting is on, a tray icon exists and no quit was asked for', () => {
    const base = { quitting: false, keepRunningInTray: true, trayShown: true }
    expect(decideWindowClose(base)).toBe('hide')
    expect(decideWindowClose({ ...base, quitting: true })).toBe('close')
    expect(decideWindowClose({ ...base, keepRunningInTray: false })).toBe('close')
    // No tray to come back from (a Linux desktop without one): close, as before.
    expect(decideWindowClose({ ...base, trayShown: false })).toBe('close')
  })
})

describe('keepsRunningInTray (real settings file)', () => {
  it('is on by default, follows the setting, and stays on when the file is broken', () => {
    const { services } = freshServices()
    expect(keepsRunningInTray(services)).toBe(true)
    services.settings.update({ keepRunningInTray: false })
    expect(keepsRunningInTray(services)).toBe(false)
    writeFileSync(services.settings.path, 'not json')
    expect(keepsRunningInTray(services)).toBe(true)
  })
})

describe('the tray (real services)', () => {
  it('says there is no vault yet, and offers only Open and Quit', () => {
    const view = trayView(readTrayState(freshServices().services))
    expect(view.icon).toBe('locked')
    expect(view.tooltip).toBe('Bridgekeep: no vault yet')
    expect(enabled(view.menu)).toEqual(['open', 'quit'])
  })

  it('shows the runner and failing connections while unlocked, and only Open and Quit once locked', async () => {
    const { services } = await unlockedServices()
    let view = trayView(readTrayState(services))
    expect(view).toMatchObject({
      icon: 'unlocked',
      tooltip: 'Bridgekeep: runner stopped, no failing connections',
    })
    expect(enabled(view.menu)).toEqual(['open', 'lock', 'verify-all', 'quit'])
    expect(view.menu.filter((entry) => entry !== 'separator').map((entry) => entry.label)).toEqual([
      'Open Bridgekeep',
      'Lock',
      'Verify All Connections',
      'Quit Bridgekeep',
    ])

    const { id, name } = services.connections.create(connectionInput('aws', 'Deploy AWS'))
    const [environment] = services.environments.list()
    services.healthStatus.record(id, name, {
      result: {
        status: 'failing',
        latencyMs: 12,
        error: { class: 'authentication', message: 'Rejected.', remedy: 'Rotate it.' },
      },
      environment: { id: environment!.id, name: environment!.name },
      secretVersion: 1,
      checkedBy: 'local',
    })
    view = trayView(readTrayState(services))
    expect(view).toMatchObject({
      icon: 'attention',
      tooltip: 'Bridgekeep: runner stopped, 1 failing connection',
    })

    services.vaultLifecycle.lock()
    view = trayView(readTrayState(services))
    expect(view).toMatchObject({ icon: 'locked', tooltip: 'Bridgekeep: locked' })
    expect(enabled(view.menu)).toEqual(['open', 'quit'])
  })

  it('flags a runner in trouble', () => {
    expect(trayView({ vault: 'unlocked', runner: 'crashed', failing: 0 })).toMatchObject({
      icon: 'attention',
      tooltip: 'Bridgekeep: runner crashed, no failing connections',
    })
    expect(trayView({ vault: 'unlocked', runner: 'ready', failing: 3 }).tooltip).toBe(
      'Bridgekeep: runner ready, 3 failing connections',
    )
  })
})

function enabled(menu: ReturnType<typeof trayView>['menu']): string[] {
  return menu.flatMap((entry) => (entry !== 'separator' && entry.enabled ? [entry.action] : []))
}

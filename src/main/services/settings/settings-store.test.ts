import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSettings } from '../../../shared/settings'
import { EventBus } from '../events/event-bus'
import { SettingsStore } from './settings-store'

function store() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bk-settings-'))
  const events = new EventBus()
  const pushed: unknown[] = []
  events.connect((channel, payload) => pushed.push({ channel, payload }))
  return { dataDir, settings: new SettingsStore(dataDir, events), pushed }
}

describe('SettingsStore', () => {
  it('starts from the defaults when there is no file', () => {
    expect(store().settings.get()).toEqual(defaultSettings)
  })

  it('persists an update atomically, private to the user, and announces it', () => {
    const { dataDir, settings, pushed } = store()
    const dark = { ...defaultSettings, theme: 'dark' }
    expect(settings.update({ theme: 'dark' })).toEqual(dark)
    expect(JSON.parse(readFileSync(settings.path, 'utf8'))).toEqual(dark)
    expect(statSync(settings.path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dataDir)).toEqual(['settings.json']) // no temp file left behind
    expect(pushed).toEqual([{ channel: 'settings:changed', payload: dark }])
    expect(new SettingsStore(dataDir, new EventBus()).get()).toEqual(dark)
  })

  it('reports a file that is not JSON with its path and the remedy, and leaves it alone', () => {
    const { settings } = store()
    writeFileSync(settings.path, '{ "theme": ')
    expect(() => settings.get()).toThrow(
      expect.objectContaining({
        code: 'SETTINGS_CORRUPT',
        message: `The settings file ${settings.path} cannot be used: it is not valid JSON.`,
        hint: expect.stringContaining('delete it') as string,
      }),
    )
    expect(() => settings.update({ theme: 'dark' })).toThrow(
      expect.objectContaining({ code: 'SETTINGS_CORRUPT' }),
    )
    expect(readFileSync(settings.path, 'utf8')).toBe('{ "theme": ')
  })

  it('names the field whose value is not valid', () => {
    const { settings } = store()
    writeFileSync(settings.path, '{ "theme": "sepia" }')
    expect(() => settings.get()).toThrow(/the value of "theme" is not valid/)
  })

  it('names an auto-lock time that is not one of the choices', () => {
    const { settings } = store()
    writeFileSync(settings.path, '{ "autoLockMinutes": 7 }')
    expect(() => settings.get()).toThrow(/the value of "autoLockMinutes" is not valid/)
    expect(() => settings.update({ autoLockMinutes: 7 as 5 })).toThrow()
  })

  it('refuses JSON that is not an object', () => {
    const { settings } = store()
    writeFileSync(settings.path, '["dark"]')
    expect(() => settings.get()).toThrow(/it is not a JSON object/)
  })

  it('fills settings a newer field list adds from the defaults', () => {
    const { settings } = store()
    writeFileSync(settings.path, '{}')
    expect(settings.get()).toEqual(defaultSettings)
  })
})

import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BridgekeepError } from '../../shared/errors'
import { defaultSettings } from '../../shared/settings'
import { MemoryKeyStore } from '../security/keystore'
import { memoryLogger } from '../log'
import { createServices } from '../services'
import { dispatch } from './dispatch'
import { createHandlerRegistry, type AnyHandler, type HandlerRegistry } from './registry'

const APP = 'app://bridgekeep'

function setup(overrides: Record<string, AnyHandler> = {}) {
  const log = memoryLogger()
  const services = createServices({
    dataDir: mkdtempSync(join(tmpdir(), 'bk-dispatch-')),
    appInfo: { name: 'Bridgekeep', version: '0.0.0-test', platform: 'linux', host: 'electron' },
    log,
    keyStore: new MemoryKeyStore(),
  })
  const registry: HandlerRegistry = new Map([
    ...createHandlerRegistry(services),
    ...Object.entries(overrides),
  ])
  const call = (channel: string, input: unknown, senderUrl = `${APP}/index.html`) =>
    dispatch(registry, channel, input, { senderUrl, trustedOrigins: [APP], log })
  return { call, log, services }
}

describe('dispatch', () => {
  it('answers a valid call with the handler value', async () => {
    const { call } = setup()
    expect(await call('settings:get', undefined)).toEqual({ ok: true, value: defaultSettings })
    expect(await call('settings:update', { theme: 'dark' })).toEqual({
      ok: true,
      value: { ...defaultSettings, theme: 'dark' },
    })
  })

  it('refuses a sender from another origin before parsing anything', async () => {
    const { call, services } = setup()
    const result = await call('settings:update', { theme: 'dark' }, 'https://evil.example/')
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(services.settings.get().theme).toBe('system')
  })

  it('names an unknown channel', async () => {
    const { call } = setup()
    expect(await call('vault:dump', undefined)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'There is no IPC channel named "vault:dump".' },
    })
    expect(await call('constructor', undefined)).toMatchObject({
      error: { code: 'UNKNOWN_CHANNEL' },
    })
    expect(await call('settings:__proto__', undefined)).toMatchObject({
      error: { code: 'UNKNOWN_CHANNEL' },
    })
  })

  it('rejects invalid input naming the field, without echoing the value', async () => {
    const { call, services } = setup()
    const canary = `canary-${randomBytes(12).toString('hex')}`
    const result = await call('settings:update', { theme: canary })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const message = result.ok ? '' : result.error.message
    expect(message).toMatch(/^Invalid input for settings:update: theme: /)
    expect(JSON.stringify(result)).not.toContain(canary)
    expect(services.settings.get().theme).toBe('system')
  })

  it.each([null, 42, 'dark', [], { theme: 'dark', extra: true }])(
    'rejects %j for settings:update',
    async (input) => {
      const { call } = setup()
      expect(await call('settings:update', input)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION' },
      })
    },
  )

  it('passes a BridgekeepError through with its code and hint', async () => {
    const { call } = setup({
      'settings:get': () => {
        throw new BridgekeepError('NOT_FOUND', 'No such thing.', 'Create it first.')
      },
    })
    expect(await call('settings:get', undefined)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No such thing.', hint: 'Create it first.' },
    })
  })

  it('hides an unexpected error, and keeps its text out of the log too', async () => {
    const canary = `canary-${randomBytes(12).toString('hex')}`
    const { call, log } = setup({
      'settings:get': () => {
        throw new Error(`connection string postgres://admin:${canary}@db`)
      },
    })
    const result = await call('settings:get', undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toContain(canary)
    expect(log.lines.map((line) => line.event)).toContain('ipc.crashed')
    expect(JSON.stringify(log.lines)).not.toContain(canary)
  })

  it('refuses to return an output the contract does not allow', async () => {
    const { call } = setup({ 'settings:get': () => ({ theme: 'sepia' }) })
    expect(await call('settings:get', undefined)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    })
  })

  it('strips fields the output schema does not name, so nothing extra reaches the page', async () => {
    const { call } = setup({
      'settings:get': () => ({ ...defaultSettings, theme: 'dark', secret: 'hunter2' }),
    })
    expect(await call('settings:get', undefined)).toEqual({
      ok: true,
      value: { ...defaultSettings, theme: 'dark' },
    })
  })
})

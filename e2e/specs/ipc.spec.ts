import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from '../fixtures/app'
import { subscriberName } from '../../src/shared/ipc/define'
import { contract, events } from '../../src/shared/ipc/contract'
import { defaultSettings } from '../../src/shared/settings'
import { INVOKE_BINDING } from '../hosts/browser-bridge-names'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

test('window.bridgekeep offers only the contract’s named functions', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  await new AppShell(page).expectSection('Connections')
  const surface = await page.evaluate(() =>
    Object.fromEntries(
      Object.entries(window.bridgekeep).map(([feature, fns]) => [feature, Object.keys(fns).sort()]),
    ),
  )
  // Exactly the contract's channels and events, as named functions: the contract grows with
  // each feature, so the expected surface is derived from it rather than listed here.
  expect(surface).toEqual(contractSurface())
  expect(surface).toMatchObject({
    app: ['getInfo', 'reportActivity'],
    settings: ['get', 'onChanged', 'update'],
    vault: [
      'create',
      'lock',
      'onChanged',
      'onDataChanged',
      'reencrypt',
      'rewrap',
      'status',
      'unlock',
    ],
  })
  expect(await page.evaluate(() => 'invoke' in window.bridgekeep || 'ipcRenderer' in window)).toBe(
    false,
  )
})

test('a malformed call from the page gets a validation error and changes nothing', async ({
  page,
  app,
}) => {
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  await shell.expectSection('Connections')

  const badValue = await page.evaluate(() =>
    window.bridgekeep.settings.update({ theme: 'purple' as 'dark' }),
  )
  expect(badValue).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  expect(badValue.ok === false && badValue.error.message).toContain('settings:update')
  expect(badValue.ok === false && badValue.error.message).toMatch(/theme: Invalid option/)

  const unknownKey = await page.evaluate(() =>
    window.bridgekeep.settings.update({ colour: 'red' } as never),
  )
  expect(unknownKey).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  expect(unknownKey.ok === false && unknownKey.error.message).toContain('colour')

  const notAnObject = await page.evaluate(() => window.bridgekeep.settings.update(42 as never))
  expect(notAnObject).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

  const extraInput = await page.evaluate(() => window.bridgekeep.app.getInfo('surprise' as never))
  expect(extraInput).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })

  // Nothing was written, and the app still answers.
  expect(await page.evaluate(() => window.bridgekeep.settings.get())).toEqual({
    ok: true,
    value: defaultSettings,
  })
  await shell.open('Settings')
  await expect(page.getByRole('radio', { name: 'System' })).toBeChecked()
  if (app.services) expect(app.services.settings.get()).toEqual(defaultSettings)
})

test('a push from main reaches the window', async ({ page, app }) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  const shell = new AppShell(page)
  await page.emulateMedia({ colorScheme: 'light' })
  await new VaultScreens(page).createWithKeychain()
  await shell.expectSection('Connections')
  await expect.poll(() => shell.theme()).toBe('light')

  // As another window (or, later, the CLI) would: change the setting on the main side.
  app.services!.settings.update({ theme: 'dark' })
  await expect.poll(() => shell.theme()).toBe('dark')

  // A page can unsubscribe: after that, pushes no longer reach its callback.
  const received = await page.evaluate(async () => {
    const seen: string[] = []
    const unsubscribe = window.bridgekeep.settings.onChanged((settings) =>
      seen.push(settings.theme),
    )
    ;(window as unknown as { __unsubscribe: () => void }).__unsubscribe = unsubscribe
    ;(window as unknown as { __seen: string[] }).__seen = seen
    return seen.length
  })
  expect(received).toBe(0)
  app.services!.settings.update({ theme: 'light' })
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __seen: string[] }).__seen))
    .toEqual(['light'])
  await page.evaluate(() => (window as unknown as { __unsubscribe: () => void }).__unsubscribe())
  app.services!.settings.update({ theme: 'dark' })
  await expect.poll(() => shell.theme()).toBe('dark')
  expect(await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).toEqual([
    'light',
  ])
})

test('a page from another origin is refused by the sender check', async ({ page, app }) => {
  test.skip(
    app.kind !== 'browser',
    'in Electron the foreign page cannot even load (navigation guard)',
  )
  // A second loopback origin, as a frame that navigated away or an injected page would be.
  const foreign = createServer((_request, response) => {
    response
      .writeHead(200, { 'Content-Type': 'text/html' })
      .end('<!doctype html><title>foreign</title>')
  })
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = foreign.address() as AddressInfo
    const other = await page.context().newPage()
    await other.goto(`http://127.0.0.1:${port}/`)
    const refused = await other.evaluate(
      ([binding]) =>
        (window as unknown as Record<string, (c: string, i: unknown) => Promise<unknown>>)[
          binding
        ]!('settings:get', undefined),
      [INVOKE_BINDING] as const,
    )
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

    // The app's own page, calling a channel the contract does not name, is told so.
    const unknown = await page.evaluate(
      ([binding]) =>
        (window as unknown as Record<string, (c: string, i: unknown) => Promise<unknown>>)[
          binding
        ]!('vault:dump', undefined),
      [INVOKE_BINDING] as const,
    )
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } })
  } finally {
    await new Promise((resolve) => foreign.close(resolve))
  }
})

/** `{ feature: [method…, onEvent…] }`, sorted, as the preload should build it from the contract. */
function contractSurface(): Record<string, string[]> {
  const surface: Record<string, string[]> = {}
  for (const [feature, channels] of Object.entries(contract))
    surface[feature] = Object.keys(channels)
  for (const [feature, featureEvents] of Object.entries(events)) {
    surface[feature] = [
      ...(surface[feature] ?? []),
      ...Object.keys(featureEvents).map(subscriberName),
    ]
  }
  for (const names of Object.values(surface)) names.sort()
  return surface
}

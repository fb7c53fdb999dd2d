import { expect, test } from '../fixtures/app'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

// These guards live in the Electron shell (src/main/app); their decisions are plain functions with
// unit tests (guards.test.ts). Here they are exercised on the real app, wherever its binary exists.
test.skip(({ host }) => host !== 'electron', 'needs the real Electron app')

test('the renderer is sandboxed and isolated from Node', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  await new AppShell(page).expectSection('Connections')
  expect(page.url()).toMatch(/^app:\/\/bridgekeep\//)
  const reachable = await page.evaluate(() => ({
    require: typeof (globalThis as Record<string, unknown>).require,
    process: typeof (globalThis as Record<string, unknown>).process,
    bridge: typeof window.bridgekeep,
  }))
  expect(reachable).toEqual({ require: 'undefined', process: 'undefined', bridge: 'object' })
})

test('navigation away from the app and new windows are refused', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  await new AppShell(page).expectSection('Connections')
  await page.evaluate(() => {
    ;(window as unknown as { __stillHere: boolean }).__stillHere = true
  })
  const opened = await page.evaluate(() => window.open('app://bridgekeep/index.html') === null)
  expect(opened).toBe(true)
  await page.evaluate(() => window.location.assign('http://127.0.0.1:9/elsewhere'))
  // A refused navigation leaves no trace; give an allowed one the time it would need to unload us.
  await page.waitForTimeout(500)
  expect(
    await page.evaluate(() => (window as unknown as { __stillHere?: boolean }).__stillHere),
  ).toBe(true)
  expect(page.url()).toMatch(/^app:\/\/bridgekeep\//)
  expect(page.context().pages()).toHaveLength(1)
})

test('permission requests are denied', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  await new AppShell(page).expectSection('Connections')
  const outcome = await page.evaluate(async () => {
    const notification = await Notification.requestPermission()
    let media = 'granted'
    try {
      await navigator.mediaDevices.getUserMedia({ audio: true })
    } catch (error) {
      media = (error as Error).name
    }
    return { notification, media }
  })
  expect(outcome.notification).toBe('denied')
  expect(outcome.media).not.toBe('granted')
})

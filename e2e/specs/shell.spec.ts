import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expectAccessible, expect, saveScreenshot, test } from '../fixtures/app'
import { AppShell, SECTIONS } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'
import { defaultSettings } from '../../src/shared/settings'

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every section shows its first-run state, accessibly, in the ${colorScheme} theme`, async ({
    page,
  }, testInfo) => {
    await page.emulateMedia({ colorScheme })
    await new VaultScreens(page).createWithKeychain()
    const shell = new AppShell(page)
    await shell.expectSection('Connections')
    await expect.poll(() => shell.theme()).toBe(colorScheme)

    for (const section of SECTIONS) {
      await shell.open(section)
      if (section === 'Settings') {
        await expect(page.getByRole('radio', { name: 'System' })).toBeChecked()
      } else if (section === 'Audit') {
        // Never empty in a vault: its creation is the first entry.
        await expect(
          page.getByTestId('audit-entry').filter({ hasText: 'Vault created' }),
        ).toHaveCount(1)
      } else if (section === 'Sharing') {
        // Not empty: a vault has its identity from the start, and says how to share it.
        const identity = page.getByRole('region', { name: 'Your identity' })
        await expect(identity.getByRole('code')).toHaveText(/^bkshare1:age1/)
        await expect(page.getByText('No contacts yet.')).toBeVisible()
      } else if (section === 'Runner') {
        // Not empty: the runner page always shows the local runner's state (stopped at first).
        await expect(page.getByTestId('runner-state')).toHaveText('Stopped')
      } else {
        await expect(shell.emptyState).toBeVisible()
        await expect(shell.emptyState.getByRole('heading', { level: 2 })).not.toBeEmpty()
      }
      await saveScreenshot(page, testInfo, `${colorScheme}-${section.toLowerCase()}`)
      await expectAccessible(page, `${section} (${colorScheme})`)
    }
  })
}

test('the keyboard reaches every section', async ({ page }, testInfo) => {
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  await shell.expectSection('Connections')

  // Ctrl+<n> jumps to the n-th section and focuses its heading for screen readers.
  await page.keyboard.press('Control+3')
  await shell.expectSection('Sharing')
  await expect(shell.heading).toBeFocused()
  await page.keyboard.press('Control+7')
  await shell.expectSection('Settings')

  // Arrow keys move through the sidebar; Enter opens the focused section.
  await shell.link('Connections').focus()
  await page.keyboard.press('ArrowDown')
  await expect(shell.link('Environments')).toBeFocused()
  await page.keyboard.press('End')
  await expect(shell.link('Settings')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(shell.link('Connections')).toBeFocused()
  await expect(shell.link('Connections')).toHaveCSS('outline-style', 'solid')
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('Enter')
  await shell.expectSection('Audit')
  // The heading the keyboard lands on is marked by an underline, not by the box that fields and
  // buttons get: nothing can be typed into it.
  await expect(shell.heading).toBeFocused()
  await expect(shell.heading).toHaveCSS('outline-style', 'none')
  await expect(shell.heading).toHaveCSS('text-decoration-line', 'underline')
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-focused-heading`)
  }

  // The first Tab stop of a freshly loaded window is the skip link, which moves focus past the
  // sidebar.
  await page.reload()
  await shell.expectSection('Audit')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.locator('main')).toBeFocused()
})

test('typing right after a keyboard navigation loses no keystroke', async ({ page, app }) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  app.services!.connections.createMany(
    Array.from({ length: 300 }, (_, i) => ({
      name: `bucket ${String(i).padStart(3, '0')}`,
      provider: 's3-state' as const,
      authMode: 'inline',
      values: { bucket: `acme-state-${i}`, region: 'us-west-2' },
      labels: [],
    })),
  )
  await page.reload()
  await expect(page.getByText('300 connections')).toBeVisible()
  const search = page.getByRole('searchbox', { name: 'Search connections' })
  // A modest laptop busy with other work: the new page takes a few frames to render.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 })

  for (let round = 0; round < 3; round += 1) {
    await page.keyboard.press('Control+2')
    await shell.expectSection('Environments')
    // No wait between the shortcut and the typing: a user who knows the keys does not wait
    // for the page to settle, and neither does this.
    await page.keyboard.press('Control+1')
    await page.keyboard.press('/')
    await page.keyboard.type('bucket 042')
    await expect(search).toHaveValue('bucket 042')
    await expect(search).toBeFocused()
  }
})

test('the theme follows the OS until one is chosen, and the choice is kept', async ({
  page,
  app,
}) => {
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(() => shell.theme()).toBe('dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(() => shell.theme()).toBe('light')

  await shell.open('Settings')
  await page.getByRole('radio', { name: 'Dark' }).check()
  await expect.poll(() => shell.theme()).toBe('dark')
  await expect
    .poll(() => JSON.parse(readFileSync(join(app.dataDir, 'settings.json'), 'utf8')) as unknown)
    .toEqual({ ...defaultSettings, theme: 'dark' })

  await page.reload()
  await expect.poll(() => shell.theme()).toBe('dark')
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked()
})

test('an unknown address shows a way back', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  await shell.expectSection('Connections')
  await page.evaluate(() => {
    window.location.hash = '#/no-such-section'
  })
  await expect(shell.heading).toHaveText('Page not found')
  await page.getByRole('link', { name: 'Go to Connections' }).click()
  await shell.expectSection('Connections')
})

test('a theme change main refuses is rolled back and explained', async ({ page, app }) => {
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  await page.emulateMedia({ colorScheme: 'light' })
  await shell.open('Settings')
  await expect(page.getByRole('radio', { name: 'System' })).toBeChecked()

  // The settings file breaks while the window is open (a bad hand edit, a full disk...).
  writeFileSync(join(app.dataDir, 'settings.json'), 'not json')
  await page.getByRole('radio', { name: 'Dark' }).click()
  await expect(page.getByRole('alert')).toContainText('The theme was not saved')
  await expect(page.getByRole('alert')).toContainText('not valid JSON')
  await expect(page.getByRole('radio', { name: 'System' })).toBeChecked()
  await expect.poll(() => shell.theme()).toBe('light')
})

import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

test.use({ plantedFiles: { 'settings.json': '{ "theme": "dark", oops' } })

test('a broken settings file is explained in its section, and the rest of the app keeps working', async ({
  page,
  app,
}, testInfo) => {
  const shell = new AppShell(page)
  await page.emulateMedia({ colorScheme: 'light' })
  await new VaultScreens(page).createWithKeychain()

  // The shell still works, with the OS theme.
  await shell.expectSection('Connections')
  await expect(shell.emptyState).toBeVisible()
  await expect.poll(() => shell.theme()).toBe('light')

  // The Settings section says what is wrong and what to do, instead of going blank.
  await shell.open('Settings')
  await expect(shell.errorBoundary).toBeVisible()
  await expect(shell.errorBoundary).toContainText('This section could not be shown')
  await expect(shell.errorBoundary).toContainText(join(app.dataDir, 'settings.json'))
  await expect(shell.errorBoundary).toContainText('not valid JSON')
  await expect(shell.errorBoundary).toContainText('delete it to go back to the default settings')
  await saveScreenshot(page, testInfo, 'light-settings-error')
  await expectAccessible(page, 'Settings error')

  // The user deletes the file as told and tries again: the section recovers.
  rmSync(join(app.dataDir, 'settings.json'))
  await page.getByRole('button', { name: 'Try again' }).click()
  await expect(page.getByRole('radio', { name: 'System' })).toBeChecked()
  await expect(shell.errorBoundary).toHaveCount(0)
})

test('"Go to Connections" leaves a broken section', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  await shell.open('Settings')
  await expect(shell.errorBoundary).toBeVisible()
  await shell.errorBoundary.getByRole('link', { name: 'Go to Connections' }).click()
  await shell.expectSection('Connections')
  await expect(shell.errorBoundary).toHaveCount(0)
})

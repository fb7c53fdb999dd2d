import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { bridgekeep } from '../fixtures/cli'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

const MINUTE = 60_000

// A real CLI process beside the app, and axe passes, on a busy two-core machine.
test.setTimeout(120_000)

test('the vault locks itself after the idle time chosen in Settings, and the agent refuses the command', async ({
  page,
  app,
}, testInfo) => {
  test.skip(!app.clock, "needs the auto-lock's clock in the test process (browser host)")
  const clock = app.clock!
  const vault = new VaultScreens(page)
  const shell = new AppShell(page)
  const recoveryKey = await vault.createWithKeychain()

  await shell.open('Settings')
  const panel = page.getByRole('region', { name: 'When you are away' })
  await expect(panel.getByRole('radio', { name: '15 min', exact: true })).toBeChecked()
  await expect(
    panel.getByRole('checkbox', { name: 'Keep running in the tray when the window is closed' }),
  ).toBeChecked()
  await panel.getByRole('radio', { name: '5 min', exact: true }).check()
  await expect(panel.getByRole('radio', { name: '5 min', exact: true })).toBeChecked()
  await expect.poll(() => app.services!.settings.get().autoLockMinutes).toBe(5)

  await panel.scrollIntoViewIfNeeded()
  await saveScreenshot(page, testInfo, 'light-settings-auto-lock')
  await expectAccessible(page, 'settings: when you are away (light)')
  await page.emulateMedia({ colorScheme: 'dark' })
  await panel.scrollIntoViewIfNeeded()
  await saveScreenshot(page, testInfo, 'dark-settings-auto-lock')
  await expectAccessible(page, 'settings: when you are away (dark)')
  await page.emulateMedia({ colorScheme: 'light' })

  const status = await bridgekeep(app.dataDir, ['status', '--json'])
  expect(JSON.parse(status.stdout)).toMatchObject({ agent: { vault: 'unlocked' } })

  // Almost five idle minutes: still open. Then the fifth minute passes.
  clock.advance(5 * MINUTE - 1_000)
  await shell.expectSection('Settings')
  clock.advance(1_000)
  await expect(vault.heading).toHaveText('Unlock your vault')

  const refused = await bridgekeep(app.dataDir, ['ls'])
  expect(refused.code).not.toBe(0)
  expect(refused.stderr).toContain('Bridgekeep is locked.')

  // Unlocked again, the Audit screen says why it locked.
  await vault.unlockWithRecoveryKey(recoveryKey)
  await shell.open('Audit')
  await expect(
    page.getByTestId('audit-entry').filter({ hasText: 'Locked: idle for 5 min' }),
  ).toHaveCount(1)
})

import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

test('Settings → Vault: switch to a passphrase and back, re-encrypt with a new recovery key', async ({
  page,
}, testInfo) => {
  const vault = new VaultScreens(page)
  const shell = new AppShell(page)
  // Dialogs must work within the CSP (no inline styles injected by a dialog library).
  await page.evaluate(() => {
    const seen: string[] = []
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(event.effectiveDirective),
    )
    ;(window as unknown as { __cspViolations: string[] }).__cspViolations = seen
  })
  const oldKey = await vault.createWithKeychain()
  await shell.open('Settings')
  const mode = page.getByTestId('vault-mode')
  await expect(mode).toHaveText("A key in your system's keychain")
  await saveScreenshot(page, testInfo, 'light-settings-vault')

  // To a passphrase: asked twice, with the same rules as at creation.
  await page.getByRole('button', { name: 'Switch to a passphrase' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Passphrase', { exact: true }).fill('too short')
  await dialog.getByLabel('Confirm passphrase').fill('too short')
  await dialog.getByRole('button', { name: 'Use this passphrase' }).click()
  await expect(dialog.getByText(/Too short: Use at least 12 characters/).first()).toBeVisible()
  const passphrase = 'granite lantern orchard 42'
  await dialog.getByLabel('Passphrase', { exact: true }).fill(passphrase)
  await dialog.getByLabel('Confirm passphrase').fill(passphrase)
  await expectAccessible(page, 'switch to a passphrase dialog')
  await dialog.getByRole('button', { name: 'Use this passphrase' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(mode).toHaveText('A passphrase you type')

  await page.getByRole('button', { name: 'Lock the vault' }).click()
  await expect(vault.heading).toHaveText('Unlock your vault')
  await vault.unlockWithPassphrase(passphrase)
  await shell.expectSection('Settings')

  // Re-encrypt: confirmation, the passphrase, then the new recovery key shown once.
  await page.getByRole('button', { name: 'Re-encrypt everything with a new data key' }).click()
  const confirm = page.getByRole('dialog')
  await expect(confirm).toContainText('Your recovery key changes too.')
  await confirm.getByLabel('Vault passphrase').fill('not the passphrase')
  await confirm.getByRole('button', { name: 'Re-encrypt' }).click()
  await expect(confirm.getByText('That passphrase does not open this vault.')).toBeVisible()
  await confirm.getByLabel('Vault passphrase').fill(passphrase)
  await confirm.getByRole('button', { name: 'Re-encrypt' }).click()
  const keyDialog = page.getByRole('dialog', { name: 'Save your new recovery key' })
  await expect(keyDialog.getByRole('group', { name: 'Recovery key' })).toBeVisible()
  const newKey = await vault.readRecoveryKey()
  expect(newKey).not.toBe(oldKey)
  // It cannot be dismissed before the key is saved.
  await page.keyboard.press('Escape')
  await expect(keyDialog).toBeVisible()
  await expect(keyDialog.getByRole('button', { name: 'Done' })).toBeDisabled()
  await saveScreenshot(page, testInfo, 'light-settings-new-recovery-key')
  await expectAccessible(page, 'new recovery key dialog')
  await keyDialog.getByRole('checkbox', { name: 'I have saved my recovery key' }).check()
  await keyDialog.getByRole('button', { name: 'Done' }).click()
  await expect(keyDialog).toHaveCount(0)

  // Back to the keychain.
  await page.getByRole('button', { name: 'Switch to the system keychain' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Use the keychain' }).click()
  await expect(mode).toHaveText("A key in your system's keychain")

  // The old recovery key no longer opens the vault; the new one does.
  await vault.lock()
  await vault.unlockWithRecoveryKey(oldKey)
  await expect(page.getByText('That recovery key does not belong to this vault.')).toBeVisible()
  await page.getByLabel('Recovery key', { exact: true }).fill(newKey)
  await page.getByRole('button', { name: 'Unlock with recovery key' }).click()
  await shell.expectSection('Settings')

  expect(
    await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
  ).toEqual([])
})

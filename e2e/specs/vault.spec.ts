import { readFileSync } from 'node:fs'
import type { KeyStore } from '../../src/main/security/keystore'
import type { Services } from '../../src/main/services'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

/** 14 groups of 4 characters of Crockford base32 (no I, L, O, U), dash separated. */
const RECOVERY_KEY = /^[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){13}$/

test('first run: a keychain vault, and its recovery key shown once', async ({ page }, testInfo) => {
  const vault = new VaultScreens(page)
  await page.emulateMedia({ colorScheme: 'light' })
  await expect(vault.heading).toHaveText('Create your vault')
  // The app itself is not reachable before there is a vault.
  await expect(page.getByRole('navigation', { name: 'Sections' })).toHaveCount(0)
  // Keychain is the recommendation; the passphrase is a choice the user makes.
  await expect(vault.keychainChoice()).toBeChecked()
  await expect(vault.passphrase).toHaveCount(0)

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-first-run`)
    await expectAccessible(page, `first run (${colorScheme})`)
  }

  await vault.createButton.click()
  await expect(vault.heading).toHaveText('Save your recovery key')
  const key = await vault.readRecoveryKey()
  expect(key).toMatch(RECOVERY_KEY)
  await expect(page.getByText('This is the only time it is shown.')).toBeVisible()
  await expect(page.getByText(/if the key in your system keychain is lost/)).toBeVisible()

  // Continuing needs the box ticked.
  const open = page.getByRole('button', { name: 'Open Bridgekeep' })
  await expect(open).toBeDisabled()
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-recovery-key`)
    await expectAccessible(page, `recovery key (${colorScheme})`)
  }
  await vault.savedCheckbox.check()
  await open.click()
  await new AppShell(page).expectSection('Connections')

  // Shown once: reloading the window opens the (still unlocked) vault, never the key again.
  await page.reload()
  await new AppShell(page).expectSection('Connections')
  expect(await page.content()).not.toContain(key)
  expect(await page.content()).not.toContain(key.split('-').join(''))
})

test('the recovery kit: saved as a page of its own, or printed alone', async ({
  page,
}, testInfo) => {
  const vault = new VaultScreens(page)
  await expect(vault.heading).toHaveText('Create your vault')
  await vault.createButton.click()
  await expect(vault.heading).toHaveText('Save your recovery key')
  const key = await vault.readRecoveryKey()
  const groups = key.split('-')

  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Save recovery kit' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^bridgekeep-recovery-kit-[0-9a-f]{8}\.html$/)
  const kit = readFileSync(await download.path(), 'utf8')
  const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
  expect(text(kit)).toContain(groups.join(' '))
  expect(kit).toContain('Bridgekeep recovery kit')
  expect(kit).toContain('Vault ID')
  expect(kit).toContain('Restoring a backup')
  expect(kit).toContain('Where to keep it')
  expect(kit).not.toMatch(/<script|<link|src=/)

  // The print dialog is the browser's: the stub records what the print view holds when it opens
  // (in a variable, not the DOM, so the check below that the key left the page stays honest).
  await page.evaluate(() => {
    const record = window as unknown as { printed?: string[] }
    record.printed = []
    window.print = () => {
      record.printed!.push(document.getElementById('recovery-kit-print')?.textContent ?? '')
    }
  })
  await page.getByRole('button', { name: 'Print' }).click()
  const [printed] = await page.evaluate(() => (window as unknown as { printed: string[] }).printed)
  expect(text(printed!)).toContain(groups.join(' '))
  expect(printed).toContain('What it is for')
  // On paper the kit alone: the screen's panel and buttons are not printed.
  await page.emulateMedia({ media: 'print' })
  await expect(page.getByText('What it is for')).toBeVisible()
  await expect(vault.recoveryKey).toBeHidden()
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden()
  await saveScreenshot(page, testInfo, 'light-recovery-kit-print')
  await page.emulateMedia({ media: 'screen' })
  await expect(page.getByText('What it is for')).toBeHidden()

  // The print view leaves with the panel: the key is not left in the page.
  await vault.savedCheckbox.check()
  await page.getByRole('button', { name: 'Open Bridgekeep' }).click()
  await new AppShell(page).expectSection('Connections')
  await expect(page.locator('#recovery-kit-print')).toHaveCount(0)
  const content = await page.content()
  for (const group of groups) expect(content).not.toContain(`>${group}<`)
})

test('locking and unlocking a keychain vault, with the keyboard and from the sidebar', async ({
  page,
}, testInfo) => {
  const vault = new VaultScreens(page)
  const shell = new AppShell(page)
  await vault.createWithKeychain()
  await shell.expectSection('Connections')

  // Ctrl+L locks from anywhere.
  await page.keyboard.press('Control+L')
  await expect(vault.heading).toHaveText('Unlock your vault')
  await expect(shell.nav).toHaveCount(0)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-unlock-keychain`)
    await expectAccessible(page, `unlock, keychain (${colorScheme})`)
  }
  await page.getByRole('button', { name: /keychain/ }).click()
  await shell.expectSection('Connections')

  // The sidebar's Lock button does the same.
  await vault.lock()
  await page.getByRole('button', { name: /keychain/ }).click()
  await shell.expectSection('Connections')
})

test('a lost keychain item: the recovery key opens the vault and a new key is stored', async ({
  page,
  app,
}) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  const vault = new VaultScreens(page)
  const key = await vault.createWithKeychain()
  await vault.lock()

  // The keychain loses the vault's item (a reset keyring, a new computer account).
  const status = app.services!.vault.status()
  expect(status.mode).toBe('keychain')
  await forgetKeychainItems(app.services!)
  await page.getByRole('button', { name: /keychain/ }).click()
  await expect(page.getByRole('alert')).toContainText(
    "The keychain no longer holds this vault's key",
  )
  await expect(page.getByRole('alert')).toContainText('Unlock with your recovery key')
  await expect(page.getByRole('button', { name: 'Try the keychain again' })).toBeVisible()

  // A typo is caught as a typo, beside the field.
  await page.getByRole('button', { name: 'Use recovery key' }).click()
  const field = page.getByLabel('Recovery key', { exact: true })
  await field.fill(key.slice(0, -1) + (key.endsWith('0') ? '1' : '0'))
  await page.getByRole('button', { name: 'Unlock with recovery key' }).click()
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('This recovery key has a typo')).toBeVisible()

  await field.fill(key.toLowerCase().split('-').join(' '))
  await page.getByRole('button', { name: 'Unlock with recovery key' }).click()
  await new AppShell(page).expectSection('Connections')
  await expect(page.getByTestId('toast')).toContainText(
    'A new key was stored in your system keychain',
  )

  // And the keychain works again by itself.
  await vault.lock()
  await page.getByRole('button', { name: /keychain/ }).click()
  await new AppShell(page).expectSection('Connections')
})

test('a passphrase vault: weak passphrases refused, wrong ones explained, recovery works', async ({
  page,
}, testInfo) => {
  const vault = new VaultScreens(page)
  const shell = new AppShell(page)
  await vault.passphraseChoice().check()

  // Too short: refused beside the field, nothing created.
  await vault.passphrase.fill('short pass')
  await vault.confirmation.fill('short pass')
  await vault.createButton.click()
  await expect(vault.passphrase).toHaveAttribute('aria-invalid', 'true')
  await expect(vault.passphrase).toBeFocused()
  await expect(page.getByText(/Too short: Use at least 12 characters/).first()).toBeVisible()
  await expect(vault.heading).toHaveText('Create your vault')

  // Long enough but a run main refuses: main's own message, beside the field.
  await vault.passphrase.fill('abcdefghijklmnop')
  await vault.confirmation.fill('abcdefghijklmnop')
  await vault.createButton.click()
  await expect(page.getByText('A run like "abcdef…" or "123456…" is easy to guess.')).toBeVisible()
  await expect(vault.heading).toHaveText('Create your vault')

  // A common password with digits and a symbol (a length × pool-size meter would call it
  // "Strong"): the meter and main use one estimator, and both call it weak.
  await vault.passphrase.fill('Password1234!')
  await expect(page.locator('#create-strength')).toHaveText(
    /^Strength: Very weak\. This is similar to a commonly used password\./,
  )
  await saveScreenshot(page, testInfo, 'light-first-run-weak-passphrase')
  await vault.confirmation.fill('Password1234!')
  await vault.createButton.click()
  await expect(vault.passphrase).toHaveAttribute('aria-invalid', 'true')
  await expect(
    page.getByText(/^Very weak: This is similar to a commonly used password/),
  ).toBeVisible()
  await expect(vault.heading).toHaveText('Create your vault')
  await vault.passphrase.fill('glimpse canyon velvet orbit mango')
  await expect(page.locator('#create-strength')).toHaveText(
    'Strength: Strong. A strong passphrase.',
  )

  // Mismatched confirmation.
  const passphrase = 'correct horse battery staple'
  await vault.passphrase.fill(passphrase)
  await vault.confirmation.fill('correct horse battery stapel')
  await vault.createButton.click()
  await expect(vault.confirmation).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('The two passphrases do not match.')).toBeVisible()
  await saveScreenshot(page, testInfo, 'light-first-run-passphrase')

  const key = await vault.createWithPassphrase(passphrase)
  await shell.expectSection('Connections')

  await vault.lock()
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-unlock-passphrase`)
    await expectAccessible(page, `unlock, passphrase (${colorScheme})`)
  }

  await vault.unlockWithPassphrase('correct horse battery')
  await expect(vault.passphrase).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByText('That passphrase does not open this vault.')).toBeVisible()
  await expect(vault.heading).toHaveText('Unlock your vault')

  await vault.unlockWithPassphrase(passphrase)
  await shell.expectSection('Connections')

  await vault.lock()
  await vault.unlockWithRecoveryKey(key)
  await shell.expectSection('Connections')
})

/**
 * Deletes the vault's item from the key store behind main, as a keyring reset would. The host
 * does not expose its key store, so this reaches it through the vault's options.
 */
async function forgetKeychainItems(services: Services): Promise<void> {
  const { keyStore } = (services.vault as unknown as { options: { keyStore: KeyStore } }).options
  const accounts = services.vault
    .database()
    .prepare("SELECT account FROM key_slots WHERE kind = 'keychain'")
    .all() as { account: string }[]
  for (const { account } of accounts) await keyStore.remove(account)
}

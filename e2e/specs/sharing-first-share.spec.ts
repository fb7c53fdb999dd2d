import { join } from 'node:path'
import { secrets } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { createVault, teammateAddress, withBob } from '../fixtures/sharing'
import { SharingPage } from '../pages/sharing.page'

/**
 * A new user's first share, all in the dialog: no contacts yet, so a passphrase is offered; a
 * teammate's address pasted there becomes a contact and the chosen recipient; the name on shares
 * is asked once (not the OS user's); a generated passphrase is rated, and the share it makes
 * opens in a second vault through the one "Open share file…".
 */
test('the first share: name asked, contact added in the dialog, a passphrase share opened elsewhere', async ({
  app,
  page,
  host,
  chromiumBrowser,
  rendererServer,
}, testInfo) => {
  test.skip(host !== 'browser', 'Two vaults side by side need the browser host.')
  test.setTimeout(90_000)
  await withBob(chromiumBrowser, rendererServer.origin, async (bob, bobDir) => {
    await createVault(page)
    app.services!.connections.create({
      name: 'gh',
      provider: 'github',
      authMode: 'inline',
      values: { token: secrets.ghClassic },
    })
    expect((await app.services!.sharing.identity()).nameChosen).toBe(false)

    const sharing = new SharingPage(page)
    await sharing.open()
    // One way in for a share: a single "Open share file…", no other Open button on the page.
    await expect(page.getByRole('button', { name: /^Open/ })).toHaveText(['Open share file…'])
    await page.getByRole('button', { name: 'Share connections…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Share connections' })
    await dialog.getByRole('checkbox', { name: /^gh/ }).check()
    // No contacts: a passphrase is what is offered.
    await expect(dialog.getByRole('radio', { name: 'Anyone with a passphrase' })).toBeChecked()
    await expect(dialog.getByLabel('Your name, as recipients will see it')).toBeVisible()

    // A teammate's address pasted in the dialog: checked like the Contacts panel does.
    await dialog.getByRole('radio', { name: 'Contacts' }).check()
    const add = dialog.getByRole('group', { name: 'Add a contact' })
    await add.getByLabel('Name').fill('Carol')
    await add.getByLabel('Share address').fill('bkshare1:not-an-address')
    await add.getByRole('button', { name: 'Add contact' }).click()
    await expect(add.getByLabel('Share address')).toHaveAttribute('aria-invalid', 'true')
    await add.getByLabel('Share address').fill(await teammateAddress())
    await add.getByLabel('Share address').press('Enter')
    await expect(dialog.getByRole('checkbox', { name: /^Carol/ })).toBeChecked()
    expect(app.services!.sharing.contacts().map((c) => c.name)).toEqual(['Carol'])
    await expect(dialog.getByRole('dialog')).toHaveCount(0)

    // Back to a passphrase: a weak one is refused by its field, a generated one is strong.
    await dialog.getByRole('radio', { name: 'Anyone with a passphrase' }).check()
    await dialog.getByLabel('Passphrase', { exact: true }).fill('password1234')
    await dialog.getByRole('button', { name: 'Create share' }).click()
    await expect(dialog.getByLabel('Passphrase', { exact: true })).toHaveAttribute(
      'aria-invalid',
      'true',
    )
    // The name is required before the first share.
    await expect(dialog.getByLabel('Your name, as recipients will see it')).toHaveAttribute(
      'aria-invalid',
      'true',
    )
    await dialog.getByRole('button', { name: 'Generate one' }).click()
    const generated = dialog.getByTestId('generated-passphrase').getByRole('code')
    await expect(generated).toHaveText(/^[2-9b-df-hj-np-tv-xz]{4}(-[2-9b-df-hj-np-tv-xz]{4}){4}$/)
    const passphrase = (await generated.innerText()).trim()
    await expect(dialog.locator('#share-passphrase-strength')).toHaveText(
      /^Strength: (Strong|Good)/,
    )
    await expect(dialog).toContainText('Send the passphrase another way than the file')
    // A notice raised inside the dialog sits beside it, never over its fields or buttons.
    await dialog.getByRole('button', { name: 'Copy passphrase' }).click()
    const notice = page.getByTestId('toast').first()
    await expect(notice).toBeVisible()
    expectApart((await notice.boundingBox())!, (await dialog.boundingBox())!)
    await dialog.getByLabel('Your name, as recipients will see it').fill('Dana (ops)')
    await dialog.getByRole('checkbox', { name: 'development' }).check()
    await expect(dialog.getByRole('alert')).toHaveCount(0)
    await saveScreenshot(page, testInfo, 'light-sharing-first-share')
    await expectAccessible(page, 'Share dialog, first share')
    await page.emulateMedia({ colorScheme: 'dark' })
    await saveScreenshot(page, testInfo, 'dark-sharing-first-share')
    await expectAccessible(page, 'Share dialog, first share (dark)')
    await page.emulateMedia({ colorScheme: 'light' })
    await dialog.getByRole('button', { name: 'Create share' }).click()

    const ready = page.getByRole('dialog', { name: 'Share ready' })
    const downloading = page.waitForEvent('download')
    await ready.getByRole('button', { name: /^Download / }).click()
    const file = join(bobDir, (await downloading).suggestedFilename())
    await (await downloading).saveAs(file)
    await ready.getByRole('button', { name: 'Done' }).click()
    // Saved to the identity: not asked again.
    expect(await app.services!.sharing.identity()).toMatchObject({
      name: 'Dana (ops)',
      nameChosen: true,
    })
    await page.getByRole('button', { name: 'Share connections…' }).click()
    await expect(dialog.getByLabel('Your name, as recipients will see it')).toHaveCount(0)
    await page.keyboard.press('Escape')

    // Bob opens it with the one button, gives the passphrase, and sees who sent it.
    const bobSharing = new SharingPage(bob.page)
    await bobSharing.open()
    await bobSharing.openFile(file)
    await bobSharing.unlock(passphrase)
    const preview = bob.page.getByTestId('import-preview')
    await expect(preview).toContainText('Dana (ops)')
    await preview.getByRole('checkbox', { name: /I compared the fingerprint/ }).check()
    await preview.getByRole('button', { name: 'Import 1 connection' }).click()
    await expect(bob.page.getByTestId('import-result')).toContainText(
      'Imported from Dana (ops): gh',
    )
    await bob.page.emulateMedia({ colorScheme: 'dark' })
    await saveScreenshot(bob.page, testInfo, 'dark-sharing-page')
    await expectAccessible(bob.page, 'Sharing page (dark)')
    await bob.page.emulateMedia({ colorScheme: 'light' })
    await saveScreenshot(bob.page, testInfo, 'light-sharing-page')
  })
})

type Box = { x: number; y: number; width: number; height: number }

function expectApart(a: Box, b: Box): void {
  const apart =
    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
  expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true)
}

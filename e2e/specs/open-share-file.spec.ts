import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { passphraseShare, SHARE_PASSPHRASE } from '../fixtures/sharing'
import { SharingPage } from '../pages/sharing.page'
import { AppShell } from '../pages/shell.page'

test('a .bkshare file the desktop opens (double-click, Open Share File…) lands in the import preview', async ({
  app,
  page,
}, testInfo) => {
  test.skip(!app.desktop, 'the desktop host runs in the test process only on the browser host')
  const made = await passphraseShare(page, app.services!, ['development'])
  const path = join(app.dataDir, 'team.bkshare')
  writeFileSync(path, made.armored)
  await new AppShell(page).expectSection('Connections')

  // What the shell does for a double-clicked file or the menu's choice.
  app.desktop!.openShareFile(path)
  await new AppShell(page).expectSection('Sharing')
  await new SharingPage(page).unlock(SHARE_PASSPHRASE)
  const preview = page.getByTestId('import-preview')
  await expect(preview).toContainText('gh')
  await saveScreenshot(page, testInfo, 'light-sharing-opened-file')
  await expectAccessible(page, 'import preview of an opened share file')

  // A file that cannot be read says so, by name.
  await page.getByRole('link', { name: 'Connections' }).click()
  app.desktop!.openShareFile(join(app.dataDir, 'missing.bkshare'))
  await new AppShell(page).expectSection('Sharing')
  await expect(page.getByTestId('import')).toContainText('missing.bkshare')
})

import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page, TestInfo } from '@playwright/test'
import { BACKUP_MAGIC } from '../../src/main/services/backup/backup-file'
import { generateRecoveryKey } from '../../src/main/security/recovery-key'
import { canary } from '../../test/fixtures/canary'
import {
  dismissNotifications,
  expect,
  expectAccessible,
  saveScreenshot,
  test,
} from '../fixtures/app'
import { launchBrowserHost } from '../hosts/browser-host'
import { ConnectionsPage } from '../pages/connections.page'
import { RestoreDialog } from '../pages/restore-dialog.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

/** An AWS connection whose secret access key is `secret`, made through the form. */
async function createAwsConnection(page: Page, name: string, secret: string): Promise<void> {
  await new ConnectionsPage(page).create({
    providerLabel: 'Amazon Web Services',
    name,
    fields: [
      { label: 'Access key ID', value: canary.awsKeyId() },
      { label: 'Secret access key', value: secret },
      { label: 'Default region', value: 'eu-west-1', kind: 'select' },
    ],
  })
}

/** Settings → Download backup, saved into `folder`; returns the file's path. */
async function downloadBackup(page: Page, folder: string): Promise<string> {
  await new AppShell(page).open('Settings')
  const panel = page.getByTestId('backups-panel')
  const downloading = page.waitForEvent('download')
  await panel.getByRole('button', { name: 'Download backup' }).click()
  const download = await downloading
  expect(download.suggestedFilename()).toMatch(/^bridgekeep-\d{8}-\d{6}\.bkbackup$/)
  const file = join(folder, download.suggestedFilename())
  await download.saveAs(file)
  return file
}

/** The Connections list holds exactly these connections. */
async function expectConnections(page: Page, names: string[]): Promise<void> {
  const connections = new ConnectionsPage(page)
  await connections.gotoList()
  await expect(connections.rows).toHaveCount(names.length)
  for (const name of names) await expect(connections.row(name)).toBeVisible()
}

/** The newest scheduled backup's file name in `folder`. */
function newestBackupIn(folder: string): string | undefined {
  return readdirSync(folder)
    .filter((name) => /^bridgekeep-\d{8}-\d{6}\.bkbackup$/.test(name))
    .sort()
    .at(-1)
}

/** Light and dark screenshots and an axe check of each, with no notification over the page. */
async function shootBothThemes(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  // A click outside an open dialog would close it: notifications are dismissed only without one.
  if ((await page.getByRole('dialog').count()) === 0) await dismissNotifications(page)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-${name}`)
    await expectAccessible(page, `${name} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('downloads an encrypted backup and restores it: a wrong key and a foreign file change nothing, the right key brings the vault back', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000)
  const folder = mkdtempSync(join(tmpdir(), 'bridgekeep-e2e-backup-'))
  try {
    const secret = canary.awsSecret()
    const recoveryKey = await new VaultScreens(page).createWithKeychain()
    await createAwsConnection(page, 'prod-aws', secret)

    const file = await downloadBackup(page, folder)
    const bytes = readFileSync(file)
    expect(bytes.subarray(0, BACKUP_MAGIC.length).toString('latin1')).toBe(BACKUP_MAGIC)
    expect(bytes.toString('latin1')).not.toContain(secret)
    await shootBothThemes(page, testInfo, 'settings-backups')

    // Made after the backup: a restore that changes nothing keeps it; the real one removes it.
    await createAwsConnection(page, 'made-after-backup', canary.awsSecret())
    await dismissNotifications(page)
    await new AppShell(page).open('Settings')
    const panel = page.getByTestId('backups-panel')
    await panel.getByRole('button', { name: 'Restore from backup…' }).click()
    const restore = new RestoreDialog(page)
    await expect(restore.dialog).toContainText('replaces the current vault')
    const keyField = restore.recoveryKey

    // Not confirmed: refused at the checkbox before anything is sent.
    await restore.fill(file, recoveryKey)
    await restore.submit()
    await expect(restore.dialog).toContainText('Tick “Replace the current vault” to confirm')
    await restore.replaceCheckbox.check()

    // (a) A well-formed key that is not this backup's.
    await keyField.fill(generateRecoveryKey().display.toLowerCase().replaceAll('-', ''))
    await keyField.blur()
    await expect(keyField).toHaveValue(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/)
    await restore.submit()
    await expect(page.locator('#restore-recoveryKey-error')).toContainText(/recovery key/i)
    await expect(keyField).toHaveAttribute('aria-invalid', 'true')
    await shootBothThemes(page, testInfo, 'restore-dialog-wrong-key')

    // (b) Random bytes: not a backup at all.
    const foreign = join(folder, 'not-a-backup.bkbackup')
    writeFileSync(foreign, randomBytes(4096))
    await restore.fill(foreign, recoveryKey)
    await restore.submit()
    await expect(restore.errorNotice).toContainText('Nothing was restored')
    await expect(restore.errorNotice).toContainText(/not a Bridgekeep backup/i)
    await restore.dialog.getByRole('button', { name: 'Cancel' }).click()
    await expectConnections(page, ['prod-aws', 'made-after-backup'])

    // (c) The right file and key, replacing the vault.
    await new AppShell(page).open('Settings')
    await panel.getByRole('button', { name: 'Restore from backup…' }).click()
    await restore.fill(file, recoveryKey, { replace: true })
    await restore.submit()
    await restore.expectRestored(true)
    await expectConnections(page, ['prod-aws'])
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})

test('a fresh data folder restores a backup from the welcome screen with the recovery key', async ({
  page,
  host,
  chromiumBrowser,
  rendererServer,
}, testInfo) => {
  test.skip(host !== 'browser', 'A second data folder side by side needs the browser host.')
  test.setTimeout(90_000)
  const folder = mkdtempSync(join(tmpdir(), 'bridgekeep-e2e-backup-'))
  const freshDir = mkdtempSync(join(tmpdir(), 'bridgekeep-e2e-fresh-'))
  const fresh = await launchBrowserHost(chromiumBrowser, rendererServer.origin, freshDir)
  try {
    const recoveryKey = await new VaultScreens(page).createWithKeychain()
    await createAwsConnection(page, 'prod-aws', canary.awsSecret())
    const file = await downloadBackup(page, folder)

    const screens = new VaultScreens(fresh.page)
    await expect(screens.heading).toHaveText('Create your vault')
    await fresh.page.getByRole('button', { name: 'Restore from a backup' }).click()
    const restore = new RestoreDialog(fresh.page)
    // No vault here: nothing to replace, nothing to confirm.
    await expect(restore.dialog.getByRole('checkbox')).toHaveCount(0)
    await restore.fill(file, recoveryKey)
    await saveScreenshot(fresh.page, testInfo, 'restore-dialog-welcome')
    await expectAccessible(fresh.page, 'restore dialog on the welcome screen')
    await restore.submit()
    await restore.expectRestored(false)
    await new AppShell(fresh.page).expectSection('Connections')
    await expectConnections(fresh.page, ['prod-aws'])
  } finally {
    await fresh.close()
    rmSync(freshDir, { recursive: true, force: true })
    rmSync(folder, { recursive: true, force: true })
  }
})

test('scheduled backups: a folder is checked at its field, Back up now writes there, a failure shows in the panel', async ({
  page,
}, testInfo) => {
  const folder = mkdtempSync(join(tmpdir(), 'bridgekeep-e2e-scheduled-'))
  try {
    await new VaultScreens(page).createWithKeychain()
    await new AppShell(page).open('Settings')
    const panel = page.getByTestId('backups-panel')
    await expect(panel.getByTestId('backup-schedule-state')).toContainText('Off')
    const folderField = panel.getByLabel('Backup folder')
    const save = panel.getByRole('button', { name: 'Save schedule' })

    // Relative: refused by the page. Missing: refused by main, shown at the same field.
    await folderField.fill('backups')
    await save.click()
    await expect(page.locator('#backupFolder-error')).toContainText('must be an absolute path')
    await folderField.fill(join(folder, 'missing'))
    await save.click()
    await expect(page.locator('#backupFolder-error')).toContainText('does not exist')

    await folderField.fill(folder)
    await panel.getByLabel('Keep the newest').fill('3')
    await panel.getByLabel('Back up every').fill('12')
    await save.click()
    await expect(panel.getByLabel('Keep the newest')).toHaveValue('3')
    await expect(panel.getByTestId('next-backup')).not.toHaveText('…')

    // Saving a folder with no backup in it makes one at once (it is due); Back up now makes one
    // more. The panel shows the newest file there is.
    await panel.getByRole('button', { name: 'Back up now' }).click()
    const lastBackup = panel.getByTestId('last-backup')
    await expect
      .poll(async () => {
        const newest = newestBackupIn(folder)
        return newest !== undefined && (await lastBackup.innerText()).includes(newest)
      })
      .toBe(true)
    await expect(panel.getByRole('button', { name: 'Backing up…' })).toHaveCount(0)
    await expect(panel.getByTestId('error-notice')).toHaveCount(0)
    const newest = newestBackupIn(folder)!
    expect(readFileSync(join(folder, newest)).subarray(0, BACKUP_MAGIC.length).toString()).toBe(
      BACKUP_MAGIC,
    )
    await shootBothThemes(page, testInfo, 'settings-backups-scheduled')

    // The folder goes away: the failure and its hint stay in the panel.
    rmSync(folder, { recursive: true, force: true })
    await panel.getByRole('button', { name: 'Back up now' }).click()
    const failure = panel.getByTestId('error-notice')
    await expect(failure).toContainText('The last backup failed')
    await expect(failure).toContainText('does not exist')
    await expect(failure).toContainText('Choose a folder that exists')
    await expect(panel.getByTestId('last-backup')).toHaveText('None yet in this folder')
    await shootBothThemes(page, testInfo, 'settings-backups-failed')

    await panel.getByRole('button', { name: 'Turn off scheduled backups' }).click()
    await expect(panel.getByTestId('backup-schedule-state')).toContainText('Off')
    await expect(folderField).toHaveValue('')
    expect(existsSync(folder)).toBe(false)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})

test('a vault file too damaged to open is replaced from a backup on its own screen', async ({
  page,
  host,
  chromiumBrowser,
  rendererServer,
}, testInfo) => {
  test.skip(host !== 'browser', 'A second data folder side by side needs the browser host.')
  test.setTimeout(90_000)
  const folder = mkdtempSync(join(tmpdir(), 'bridgekeep-e2e-backup-'))
  const damagedDir = mkdtempSync(join(tmpdir(), 'bridgekeep-e2e-damaged-'))
  writeFileSync(join(damagedDir, 'vault.db'), randomBytes(64 * 1024))
  const damaged = await launchBrowserHost(chromiumBrowser, rendererServer.origin, damagedDir)
  try {
    const recoveryKey = await new VaultScreens(page).createWithKeychain()
    await createAwsConnection(page, 'prod-aws', canary.awsSecret())
    const file = await downloadBackup(page, folder)

    await expect(damaged.page.getByRole('heading', { level: 1 })).toHaveText(
      'The vault could not be opened',
    )
    await expect(damaged.page.getByTestId('error-notice')).toContainText('not a database')
    await saveScreenshot(damaged.page, testInfo, 'damaged-vault-offers-restore')
    await expectAccessible(damaged.page, 'damaged vault screen')
    await damaged.page.getByRole('button', { name: 'Restore from a backup…' }).click()
    const restore = new RestoreDialog(damaged.page)
    await restore.fill(file, recoveryKey, { replace: true })
    await saveScreenshot(damaged.page, testInfo, 'restore-dialog-damaged-vault')
    await restore.submit()
    await new AppShell(damaged.page).expectSection('Connections')
    await expectConnections(damaged.page, ['prod-aws'])
  } finally {
    await damaged.close()
    rmSync(damagedDir, { recursive: true, force: true })
    rmSync(folder, { recursive: true, force: true })
  }
})

import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { RunnerScreen } from '../pages/runner.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

// Seven axe passes, dialogs and a connection form on a busy two-core machine: about two minutes.
test.describe.configure({ timeout: 240_000 })

test('Runner fleet: add build-eu, new credentials after a confirmation, chosen by a connection, deleted only when forced', async ({
  page,
}, testInfo) => {
  const runner = new RunnerScreen(page)
  const shell = new AppShell(page)
  await new VaultScreens(page).createWithKeychain()
  await shell.open('Runner')

  // No remote runner yet: the page says what one is for.
  await expect(page.getByTestId('runner-fleet-empty')).toContainText('No remote runner yet')
  await expectAccessible(page, 'runner fleet (no remote runner)')

  // The name is checked with main's rule before anything is sent, and main's refusal shows at
  // the field too.
  const dialog = await runner.addRunner('Build EU')
  const name = dialog.getByLabel('Name', { exact: true })
  await expect(dialog).toContainText(
    'A runner name is 1 to 40 lowercase letters, digits and dashes',
  )
  await expect(name).toHaveAttribute('aria-invalid', 'true')
  await name.fill('local')
  await dialog.getByRole('button', { name: 'Create credentials' }).click()
  await expect(dialog).toContainText('A runner named local already exists.')
  await expectAccessible(page, 'add a runner, name refused')
  await saveScreenshot(page, testInfo, 'light-runner-fleet-add-refused')
  await name.fill('build-eu')
  await dialog.getByRole('button', { name: 'Create credentials' }).click()

  // Its credentials, once, with the next steps.
  const file = JSON.parse(await runner.downloadCredentials()) as { apiKey: string }
  expect(file.apiKey).toBeTruthy()
  await expect(runner.credentials).toContainText(
    'bridgekeep runner start --credentials bridgekeep-runner-build-eu.json',
  )
  await expect(runner.credentials).toContainText('BRIDGEKEEP_RUNNER_CREDENTIALS')
  await expectAccessible(page, 'new runner credentials')
  await saveScreenshot(page, testInfo, 'light-runner-fleet-credentials')
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-runner-fleet-credentials')
  await page.emulateMedia({ colorScheme: 'light' })
  await page.getByRole('button', { name: 'I have saved it' }).click()
  await expect(runner.credentials).toHaveCount(0)

  // Listed, not connected: nothing was started with the file.
  const row = runner.row('build-eu')
  await expect(row).toContainText('Remote')
  await expect(row.locator('[data-state]')).toHaveAttribute('data-state', 'not-connected')
  await expect(row).toContainText('Not connected')
  await expect(row).toContainText('Never')
  await expect(page.getByTestId('runner-fleet-empty')).toHaveCount(0)
  await runner.fleet.scrollIntoViewIfNeeded()
  await expectAccessible(page, 'runner fleet (build-eu listed)')
  await saveScreenshot(page, testInfo, 'light-runner-fleet-listed')
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-runner-fleet-listed')
  await page.emulateMedia({ colorScheme: 'light' })

  // The log shows one runner's lines when asked: build-eu's, not the listener's.
  await expect(runner.log).toContainText('runner.listener-started')
  const logRunner = page.getByLabel('Runner', { exact: true })
  await logRunner.selectOption({ label: 'build-eu' })
  await expect(runner.log).toContainText('runner.credentials-issued')
  await expect(runner.log).not.toContainText('runner.listener-started')
  await logRunner.selectOption({ label: 'All runners' })

  // New credentials: confirmed first, the earlier file revoked.
  await row.getByRole('button', { name: /^New credentials for build-eu/ }).click()
  const confirm = page.getByRole('alertdialog', { name: 'New credentials for build-eu?' })
  await expect(confirm).toContainText('revoked at once')
  await expect(confirm).toContainText('cut off now')
  await confirm.getByRole('button', { name: 'Revoke and create new' }).click()
  const renewed = JSON.parse(await runner.downloadCredentials()) as { apiKey: string }
  expect(renewed.apiKey).not.toBe(file.apiKey)
  await expect(runner.credentials).toContainText('Its earlier credentials are revoked')
  await page.getByRole('button', { name: 'I have saved it' }).click()
  await expect(row).toContainText('Not connected')

  // A connection chooses it from the vault's runners (local first) in its Runner field.
  const connections = new ConnectionsPage(page)
  await connections.gotoList()
  await connections.startCreate('Amazon Web Services')
  await connections.field('Name').fill('EU deploy')
  await page.getByRole('radio', { name: /^Runner's own identity/ }).check()
  await connections.fill([{ label: 'Default region', value: 'eu-west-1', kind: 'select' }])
  const runnerField = connections.field('Runner')
  await expect(runnerField.locator('option')).toHaveText(['local (started by the app)', 'build-eu'])
  await runnerField.selectOption('build-eu')
  await expectAccessible(page, 'connection form with the Runner select')
  await connections.save()
  await expect(connections.heading).toHaveText('EU deploy')

  // Deleting a runner a connection names: main refuses and says which; Delete anyway forces it.
  await shell.open('Runner')
  await row.getByRole('button', { name: /^Delete build-eu/ }).click()
  const remove = page.getByRole('alertdialog', { name: 'Delete runner build-eu?' })
  await remove.getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(remove.getByRole('alert')).toContainText(
    'Runner build-eu is the runner of 1 connection(s): EU deploy.',
  )
  await expect(row).toHaveCount(1)
  await expectAccessible(page, 'delete refused')
  await saveScreenshot(page, testInfo, 'light-runner-fleet-delete-refused')
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-runner-fleet-delete-refused')
  await page.emulateMedia({ colorScheme: 'light' })
  await remove.getByRole('button', { name: 'Delete anyway' }).click()
  await expect(remove).toHaveCount(0)
  await expect(row).toHaveCount(0)
  await expect(page.getByTestId('runner-fleet-empty')).toBeVisible()
})

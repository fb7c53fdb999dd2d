import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

// The browser host points imports at <data folder>/home, so these files are the user's ~/.aws.
const SECRET = 'Qx7vLmN2pR8sT4uW9yZ1aB3cD5eF6gH0iJkLmNoP'
test.use({
  plantedFiles: {
    'home/.aws/credentials': [
      '[default]',
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      `aws_secret_access_key = ${SECRET}`,
      '[staging]',
      'aws_access_key_id = AKIAI44QH8DHBEXAMPLE',
      'aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
      'region = eu-west-1',
      '[broken]',
      'aws_access_key_id = NOT-A-KEY',
      'aws_secret_access_key = short',
      '',
    ].join('\n'),
    'home/.aws/config': '[default]\nregion = us-east-2\n',
  },
})

test('imports chosen AWS profiles with a preview that shows no secret', async ({
  page,
  app,
}, testInfo) => {
  await new VaultScreens(page).createWithKeychain()
  await new AppShell(page).expectSection('Connections')
  await page.getByRole('button', { name: 'Import' }).click()
  const dialog = page.getByRole('dialog', { name: 'Import connections' })
  await expect(dialog).toBeVisible()

  const profiles = dialog.getByRole('list', { name: 'AWS profiles' })
  await expect(profiles.getByRole('listitem')).toHaveCount(3)
  await expect(dialog.getByRole('checkbox', { name: 'default' })).toBeChecked()
  await expect(dialog.getByRole('checkbox', { name: 'staging' })).toBeChecked()
  // The broken profile says what is wrong and cannot be chosen.
  await expect(dialog.getByRole('checkbox', { name: 'broken' })).toBeDisabled()
  await expect(profiles).toContainText('Access key ID:')
  expect(await page.content()).not.toContain(SECRET)
  await saveScreenshot(page, testInfo, 'import-aws-preview')
  await expectAccessible(page, 'Import dialog')

  // Only staging, under a name of our choosing.
  await dialog.getByRole('checkbox', { name: 'default' }).uncheck()
  await dialog.getByLabel('Connection name for staging').fill('aws-staging-eu')
  await dialog.getByRole('button', { name: 'Import 1' }).click()
  await expect(dialog.getByRole('status')).toContainText('Imported 1 connection: aws-staging-eu')
  await dialog.getByRole('button', { name: 'Done' }).click()

  await expect(new ConnectionsPage(page).row('aws-staging-eu')).toBeVisible()
  if (app.services) {
    const [imported] = app.services.connections.list()
    expect(imported?.name).toBe('aws-staging-eu')
    expect(app.services.connections.get(imported!.id).config.default_region).toBe('eu-west-1')
  }
})

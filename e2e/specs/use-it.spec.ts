import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { secrets } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { UseItPanel } from '../pages/use-it.page'
import { VaultScreens } from '../pages/vault.page'

/** The user's own ~/.aws/config: other profiles and comments that must come through untouched. */
const THEIR_CONFIG = [
  '# work laptop',
  '[default]',
  'region = us-east-1',
  '',
  '; CI assumes this role',
  '[profile ci]',
  'role_arn = arn:aws:iam::123456789012:role/ci',
  '',
].join('\n')

test('a connection created with an environment is ready to use: snippets, copy, ~/.aws/config', async ({
  page,
  app,
}, testInfo) => {
  const connections = new ConnectionsPage(page)
  const useIt = new UseItPanel(page)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
  await new VaultScreens(page).createWithKeychain()

  // The form: environments to use it in, none checked, the first unprotected one suggested.
  await connections.gotoList()
  await connections.startCreate('Amazon Web Services')
  const environments = page.getByRole('group', { name: 'Environments' })
  await expect(environments.getByRole('checkbox')).toHaveCount(3)
  for (const box of await environments.getByRole('checkbox').all())
    await expect(box).not.toBeChecked()
  await expect(environments.locator('label', { hasText: 'suggested' })).toHaveText(/development/)
  await connections.field('Name').fill('Prod AWS')
  await connections.fill([
    { label: 'Access key ID', value: secrets.accessKeyId },
    { label: 'Secret access key', value: secrets.secretAccessKey },
    { label: 'Default region', value: 'eu-west-1', kind: 'select' },
  ])
  await environments.getByRole('checkbox', { name: /^staging/ }).check()
  await environments.getByRole('checkbox', { name: /^production/ }).check()
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-use-it-create-form`)
    await expectAccessible(page, `create form with environments (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // Production is protected: the matrix's own question, then created and authorized together.
  await connections.save()
  const confirm = page.getByRole('alertdialog')
  await expect(confirm).toContainText('Change a protected environment?')
  await expect(confirm).toContainText('production: grant Prod AWS')
  if (app.services) expect(app.services.connections.list()).toEqual([])
  await confirm.getByRole('button', { name: 'Apply to protected environments' }).click()
  await expect(connections.heading).toHaveText('Prod AWS')
  if (app.services) {
    const [created] = app.services.connections.list()
    const names = app.services.environments.list().map((env) => [env.id, env.name])
    const byId = new Map(names as [string, string][])
    expect(
      app.services.authorizations
        .authorizationsFor(created!.id)
        .environmentIds.map((id) => byId.get(id)),
    ).toEqual(['staging', 'production'])
  }
  await expect(page.getByRole('button', { name: 'Verify now' })).toBeVisible()

  // Use it: the snippets of the first authorized environment, another one picked.
  await expect(useIt.snippet('Run a command with it')).toHaveText(
    'bridgekeep exec prod-aws --env staging -- aws sts get-caller-identity',
  )
  await expect(useIt.snippet('Reference')).toHaveText('connection://staging/prod-aws')
  await expect(useIt.panel).toContainText('The bridgekeep command is not installed')
  await useIt.panel.getByLabel('Environment').selectOption({ label: 'production' })
  await expect(useIt.snippet('Reference')).toHaveText('connection://production/prod-aws')
  await expect(useIt.snippet('Profile for ~/.aws/config')).toHaveText(
    [
      '[profile prod-aws-production]',
      'credential_process = bridgekeep aws credential-process prod-aws --env production',
      'region = eu-west-1',
    ].join('\n'),
  )

  // Copy, from the keyboard.
  await useIt.panel.getByRole('button', { name: 'Copy run a command with it' }).focus()
  await page.keyboard.press('Enter')
  await expect(
    page.getByTestId('toast').filter({ hasText: 'Run a command with it copied.' }),
  ).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    'bridgekeep exec prod-aws --env production -- aws sts get-caller-identity',
  )

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await useIt.panel.scrollIntoViewIfNeeded()
    await saveScreenshot(page, testInfo, `${colorScheme}-use-it-panel`)
    await expectAccessible(page, `Use it panel (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // ~/.aws/config: a preview first, then one section added; their lines stay byte for byte.
  const awsConfig = join(app.dataDir, 'home', '.aws', 'config')
  mkdirSync(join(app.dataDir, 'home', '.aws'), { recursive: true })
  writeFileSync(awsConfig, THEIR_CONFIG)
  await useIt.panel.getByRole('button', { name: 'Add to ~/.aws/config…' }).click()
  const preview = page.getByRole('alertdialog')
  await expect(preview).toContainText('Add the profile “prod-aws-production”?')
  await expect(preview).toContainText(`is added at the end of ${awsConfig}`)
  await expect(preview.getByTestId('aws-profile-preview')).toContainText(
    'credential_process = bridgekeep aws credential-process prod-aws --env production',
  )
  expect(readFileSync(awsConfig, 'utf8')).toBe(THEIR_CONFIG)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-use-it-aws-preview`)
    await expectAccessible(page, `AWS profile preview (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
  await preview.getByRole('button', { name: 'Add profile' }).click()
  await expect(
    page.getByTestId('toast').filter({ hasText: 'Profile “prod-aws-production” added to' }),
  ).toBeVisible()
  const added = [
    '[profile prod-aws-production]',
    'credential_process = bridgekeep aws credential-process prod-aws --env production',
    'region = eu-west-1',
    '',
  ].join('\n')
  expect(readFileSync(awsConfig, 'utf8')).toBe(`${THEIR_CONFIG}\n${added}`)

  // Again: the profile is there now, so it is replaced only when the user says so.
  await useIt.panel.getByRole('button', { name: 'Add to ~/.aws/config…' }).click()
  await expect(preview).toContainText('Replace the profile “prod-aws-production”?')
  await preview.getByRole('button', { name: 'Cancel' }).click()
  await expect(preview).toHaveCount(0)
  expect(readFileSync(awsConfig, 'utf8')).toBe(`${THEIR_CONFIG}\n${added}`)
})

test('a connection authorized nowhere says how to authorize it', async ({ page }, testInfo) => {
  const connections = new ConnectionsPage(page)
  const useIt = new UseItPanel(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.create({
    providerLabel: 'GitHub',
    name: 'GitHub deploy bot',
    fields: [{ label: 'Personal access token', value: secrets.ghClassic }],
  })
  await expect(useIt.panel).toContainText('Authorize it for an environment to use it.')
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-use-it-empty`)
    await expectAccessible(page, `Use it, authorized nowhere (${colorScheme})`)
  }
  await useIt.panel.getByRole('button', { name: 'Choose environments' }).click()
  await expect(
    page.getByRole('region', { name: 'Authorized for' }).getByRole('checkbox').first(),
  ).toBeFocused()

  // Verify refuses a connection authorized nowhere, and offers to authorize it right there.
  await page.getByRole('button', { name: 'Verify now' }).click()
  const health = page.getByRole('region', { name: 'Health' })
  await expect(health).toContainText('is not authorized for any environment')
  await health.getByRole('button', { name: 'Authorize for development and verify' }).click()
  await expect(useIt.snippet('Run a command with it')).toHaveText(
    'bridgekeep exec github-deploy-bot --env development -- gh api user',
  )
  await expect(health).not.toContainText('is not authorized for any environment')
})

import { secrets } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { VaultScreens } from '../pages/vault.page'

// A new user's walk through the section at the window size the app opens with (1280 x 800).

test('the list: full names, provider icons, environment dots with their names', async ({
  page,
}, testInfo) => {
  test.slow()
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  const long = 'Production AWS (platform, EU)'
  await connections.gotoList()
  await connections.startCreate('Amazon Web Services')
  await connections.field('Name').fill(long)
  await connections.fill([
    { label: 'Access key ID', value: secrets.accessKeyId },
    { label: 'Secret access key', value: secrets.secretAccessKey },
  ])
  const environments = page.getByRole('group', { name: 'Environments' })
  await environments.getByRole('checkbox', { name: /^development/ }).check()
  await environments.getByRole('checkbox', { name: /^staging/ }).check()
  await connections.save()
  await expect(connections.heading).toHaveText(long)
  await connections.create({
    providerLabel: 'GitHub',
    name: 'GitHub release bot',
    fields: [{ label: 'Personal access token', value: secrets.ghClassic }],
    labels: 'ci, release, team-platform',
  })

  await connections.gotoList()
  const aws = connections.row(long)
  // The environments as dots, named for assistive technology and in the tooltip.
  const dots = aws.getByRole('img', { name: 'Environments: development, staging' })
  await expect(dots).toBeVisible()
  await expect(dots).toHaveAttribute('title', 'development, staging')
  await expect(connections.row('GitHub release bot')).toContainText('None')
  // The provider as an icon and its id; the full name is the tooltip and the accessible text.
  await expect(aws.getByTitle('Amazon Web Services')).toContainText('Amazon Web Services')
  // "Stored credentials" on every row said nothing: the column is gone.
  await expect(page.getByRole('columnheader', { name: 'Authentication' })).toHaveCount(0)
  await expect(page.getByRole('columnheader', { name: 'Environments' })).toBeVisible()
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-connections-list-1280`)
    await expectAccessible(page, `connections list at 1280 px (${colorScheme})`)
  }
  // The long name is shown whole at 1280 px, with a tooltip in case it still is not.
  const name = aws.getByTitle(long, { exact: true })
  expect(
    await name.evaluate((node) => node.scrollWidth <= node.clientWidth),
    'the name is not truncated',
  ).toBe(true)
  // Searching finds connections by environment too; sorting by provider still works.
  await connections.search.fill('staging')
  await expect(connections.rows).toHaveCount(1)
  await connections.search.fill('')
  const header = page.getByRole('columnheader', { name: 'Provider' })
  await header.getByRole('button').click()
  await expect(header).toHaveAttribute('aria-sort', 'ascending')
  await expect(connections.rows.first()).toContainText(long)
})

test('details: secrets and Use it first, the access key ID in clear, the secret masked, Overview folds', async ({
  page,
}, testInfo) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.create({
    providerLabel: 'Amazon Web Services',
    name: 'Prod AWS',
    fields: [
      { label: 'Access key ID', value: secrets.accessKeyId },
      { label: 'Secret access key', value: secrets.secretAccessKey },
    ],
    labels: 'production',
  })

  const titles = await page.locator('main h2').allInnerTexts()
  const at = (title: string) => titles.findIndex((text) => text.trim() === title)
  expect(at('Secrets'), titles.join(' | ')).toBe(0)
  expect(at('Use it')).toBeGreaterThan(at('Secrets'))
  expect(at('Overview')).toBeGreaterThan(at('Use it'))

  // The ID names the key and unlocks nothing: in clear, nothing to reveal. The secret stays masked.
  const id = connections.secret('access_key_id')
  await expect(id.locator('[data-state]')).toHaveAttribute('data-state', 'clear')
  await expect(id).toContainText(secrets.accessKeyId)
  await expect(id.getByRole('button', { name: /^Reveal/ })).toHaveCount(0)
  const secret = connections.secret('secret_access_key')
  await expect(secret).toContainText('••••••••')
  await expect(secret.getByRole('button', { name: 'Reveal Secret access key' })).toBeVisible()
  expect(await page.content()).not.toContain(secrets.secretAccessKey)

  // The Overview folds away, and stays folded for the session.
  const toggle = page.getByRole('button', { name: 'Overview' })
  await expect(toggle).toHaveAttribute('aria-expanded', 'true')
  await expect(page.getByText('Slug', { exact: true })).toBeVisible()
  await toggle.click()
  await expect(toggle).toHaveAttribute('aria-expanded', 'false')
  await expect(page.getByText('Slug', { exact: true })).toBeHidden()
  await connections.gotoList()
  await connections.row('Prod AWS').click()
  await expect(page.getByRole('button', { name: 'Overview' })).toHaveAttribute(
    'aria-expanded',
    'false',
  )
  await page.getByRole('button', { name: 'Overview' }).click()

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-connection-details-order`)
    await expectAccessible(page, `connection details (${colorScheme})`)
  }
})

test('the AWS form: Advanced holds endpoint, CA and session token; Save stays in view', async ({
  page,
}, testInfo) => {
  test.slow()
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('Amazon Web Services')
  await page.getByRole('radio', { name: /^Assume a role/ }).check()

  // Placeholders read as hints, never as a value already filled in.
  await expect(connections.field('Access key ID')).toHaveAttribute(
    'placeholder',
    'AKIA… or ASIA…, 20 characters',
  )
  await expect(connections.field('Account ID')).toHaveAttribute('placeholder', 'e.g. 123456789012')
  // An identifier is typed in clear (as details shows it); the secret beside it stays masked.
  await expect(connections.field('Access key ID')).toHaveAttribute('type', 'text')
  await expect(connections.field('Secret access key')).toHaveAttribute('type', 'password')
  for (const placeholder of await page
    .locator('form [placeholder]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('placeholder') ?? '')))
    expect(
      /^e\.g\. /.test(placeholder) || /[…\s]/.test(placeholder),
      `"${placeholder}" could pass for a value`,
    ).toBe(true)

  // Closed at first; the rarely used fields are named on the button.
  const advanced = page.getByRole('button', { name: /^Advanced/ })
  await expect(advanced).toHaveAttribute('aria-expanded', 'false')
  await expect(advanced).toContainText('STS endpoint')
  await expect(advanced).toContainText('CA certificate')
  await expect(advanced).toContainText('Session token')
  await expect(connections.field('Session token')).toBeHidden()

  // Save is in view at the top of a long form, and still after scrolling to the middle.
  const save = page.getByRole('button', { name: 'Save connection' })
  await expect(save).toBeInViewport()
  await advanced.click()
  await expect(advanced).toHaveAttribute('aria-expanded', 'true')
  await connections.field('Session token').scrollIntoViewIfNeeded()
  await expect(save).toBeInViewport()
  await expect(page.getByRole('link', { name: 'Cancel' })).toBeInViewport()

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-connection-form-advanced`)
    await expectAccessible(page, `AWS form, advanced open (${colorScheme})`)
  }

  // An error in an advanced field keeps it open, and Save focuses that field.
  await connections.field('Name').fill('Prod AWS')
  await connections.field('Role ARN').fill('arn:aws:iam::210987654321:role/bridgekeep-deploy')
  await connections.field('External ID').fill('bk-7f3e9a12-prod')
  await connections.field('STS endpoint').fill('http://sts.example.com')
  await save.click()
  await expect(connections.field('STS endpoint')).toBeFocused()
  await expect(page.getByText(/^STS endpoint: must use https/)).toBeVisible()
  await advanced.click()
  await expect(advanced).toHaveAttribute('aria-expanded', 'true')

  // Saved with an endpoint, the edit form opens Advanced on its own.
  await connections.field('STS endpoint').fill('https://sts.us-gov-west-1.amazonaws.com')
  await save.click()
  await expect(connections.heading).toHaveText('Prod AWS')
  await page.getByRole('link', { name: 'Edit' }).click()
  await expect(page.getByRole('button', { name: /^Advanced/ })).toHaveAttribute(
    'aria-expanded',
    'true',
  )
  await expect(connections.field('STS endpoint')).toHaveValue(
    'https://sts.us-gov-west-1.amazonaws.com',
  )
})

test('short-lived credentials only: offered under Advanced where there is an exchange, shown on the details', async ({
  page,
}, testInfo) => {
  test.slow()
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('Amazon Web Services')
  await connections.field('Name').fill('Own AWS')
  await connections.fill([
    { label: 'Access key ID', value: secrets.accessKeyId },
    { label: 'Secret access key', value: secrets.secretAccessKey },
  ])
  const advanced = page.getByRole('button', { name: /^Advanced/ })
  await expect(advanced).toContainText('Short-lived credentials only')
  await advanced.click()
  const only = page.getByRole('checkbox', { name: 'Hand tools short-lived credentials only' })
  await expect(only).not.toBeChecked()
  await only.check()
  await saveScreenshot(page, testInfo, 'connection-form-short-lived-only')
  await connections.save()
  await expect(connections.heading).toHaveText('Own AWS')
  await expect(page.getByText('Short-lived credentials only: an STS session (1 h)')).toBeVisible()
  await saveScreenshot(page, testInfo, 'connection-details-short-lived-only')

  // The edit form opens Advanced with it ticked; unticked and saved, the details say nothing.
  await page.getByRole('link', { name: 'Edit' }).click()
  await expect(advanced).toHaveAttribute('aria-expanded', 'true')
  await expect(only).toBeChecked()
  await only.uncheck()
  await connections.save('Save changes')
  await expect(page.getByText(/^Short-lived credentials only/)).toHaveCount(0)

  // A role to assume is short-lived already, and a static token has no exchange: not offered.
  await page.getByRole('link', { name: 'Edit' }).click()
  await page.getByRole('radio', { name: /^Assume a role/ }).check()
  await expect(only).toHaveCount(0)
  await connections.gotoList()
  await connections.startCreate('GitHub')
  await expect(only).toHaveCount(0)
})

import { providerCategories, providers } from '../../src/shared/providers'
import { secrets } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { cases } from '../fixtures/provider-cases'
import { ConnectionsPage } from '../pages/connections.page'
import { VaultScreens } from '../pages/vault.page'

test('the form offers every provider in the catalog', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  const cards = page.locator('[data-provider]')
  await expect(cards).toHaveCount(cases.length)
  expect(
    await cards.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-provider'))),
  ).toEqual(cases.map(({ id }) => id).sort((a, b) => displayOrder(a) - displayOrder(b)))
})

/** Where the form shows a provider: by category, then in the catalog's order. */
function displayOrder(id: string): number {
  const index = providers.findIndex((provider) => provider.id === id)
  const category = providerCategories.indexOf(providers[index]!.category)
  return category * providers.length + index
}

for (const entry of cases) {
  test(`a ${entry.label} connection: created, listed, masked, rotated, trashed and restored`, async ({
    page,
  }) => {
    const connections = new ConnectionsPage(page)
    await new VaultScreens(page).createWithKeychain()
    const name = `${entry.label} (e2e)`

    await connections.gotoList()
    await connections.startCreate(entry.label)
    await connections.field('Name').fill(name)
    if (entry.file) {
      await page
        .locator(`[data-field="connection-${entry.secret?.field}"] input[type="file"]`)
        .setInputFiles({
          name: entry.file.name,
          mimeType: 'application/json',
          buffer: Buffer.from(entry.file.content),
        })
      await expect(connections.field(entry.file.label)).toHaveValue(entry.file.content)
    }
    await connections.fill(entry.fields)
    await connections.save()
    await expect(connections.heading).toHaveText(name)

    // Masked on the details page, and nowhere in the page's DOM.
    if (entry.secret) {
      await expect(connections.secret(entry.secret.field)).toContainText('••••••••')
      expect(await page.content()).not.toContain(entry.secret.value)
      await expect(connections.secretVersion()).toHaveText('Version 1')
    } else {
      await expect(page.getByText('Nothing secret is stored')).toBeVisible()
      await expect(page.getByRole('button', { name: 'Rotate' })).toBeDisabled()
    }

    // Listed in the table.
    await connections.gotoList()
    await expect(connections.row(name)).toHaveCount(1)
    await expect(connections.row(name)).toContainText(entry.label)
    await connections.row(name).click()
    await expect(connections.heading).toHaveText(name)

    // Rotated: a new version.
    if (entry.secret) {
      await connections.rotate([{ label: entry.secret.label, value: entry.secret.rotated }])
      await expect(connections.secretVersion()).toHaveText('Version 2')
      await expect(page.getByRole('table').filter({ hasText: 'Written' })).toContainText('2current')
      expect(await page.content()).not.toContain(entry.secret.rotated)
    }

    // Trashed, then restored.
    await connections.moveToTrash()
    await expect(connections.row(name)).toHaveCount(0)
    await connections.openTrash()
    await expect(connections.trashItem(name)).toContainText('deleted for good in 30 days')
    await connections
      .trashItem(name)
      .getByRole('button', { name: /^Restore/ })
      .click()
    await expect(connections.trashItem(name)).toHaveCount(0)
    await expect(page.getByText('The trash is empty')).toBeVisible()
    await connections.gotoList()
    await expect(connections.row(name)).toHaveCount(1)
  })
}

test('screens of the connections section, in both themes', async ({ page }, testInfo) => {
  // Four creations and eight screens, each with an axe pass: more than the default budget on a
  // busy two-core machine.
  test.slow()
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  const shown = ['aws', 'azure', 'digitalocean', 'civo']
  for (const entry of cases.filter(({ id }) => shown.includes(id))) {
    await connections.create({
      providerLabel: entry.label,
      name: `${entry.label} production`,
      fields: entry.fields,
      labels: 'production, team-platform',
    })
  }
  await connections.create({
    providerLabel: 'GitHub',
    name: 'GitHub release bot',
    fields: [{ label: 'Personal access token', value: secrets.ghClassic }],
    labels: 'ci',
  })

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await connections.gotoList()
    await expect(connections.rows).toHaveCount(5)
    await saveScreenshot(page, testInfo, `${colorScheme}-connections-list`)
    await expectAccessible(page, `connections list (${colorScheme})`)

    await connections.startCreate('Amazon Web Services')
    await page.getByRole('radio', { name: /^Assume a role/ }).check()
    await saveScreenshot(page, testInfo, `${colorScheme}-connection-form`)
    await expectAccessible(page, `connection form (${colorScheme})`)

    await connections.gotoList()
    await connections.row('Amazon Web Services production').click()
    await expect(connections.heading).toHaveText('Amazon Web Services production')
    await saveScreenshot(page, testInfo, `${colorScheme}-connection-details`)
    await expectAccessible(page, `connection details (${colorScheme})`)

    await page.getByRole('button', { name: 'Rotate' }).click()
    await expect(page.getByRole('dialog')).toBeVisible()
    await saveScreenshot(page, testInfo, `${colorScheme}-connection-rotate`)
    await expectAccessible(page, `rotate dialog (${colorScheme})`)
    await page.keyboard.press('Escape')
    await expect(page.getByRole('dialog')).toHaveCount(0)
  }

  await connections.gotoList()
  await connections.row('GitHub release bot').click()
  await connections.moveToTrash()
  await connections.openTrash()
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-connections-trash`)
    await expectAccessible(page, `trash (${colorScheme})`)
  }

  // Delete forever asks first, naming the connection.
  await connections
    .trashItem('GitHub release bot')
    .getByRole('button', { name: /^Delete forever/ })
    .click()
  const confirm = page.getByRole('alertdialog')
  await expect(confirm).toContainText('Delete “GitHub release bot” forever?')
  await saveScreenshot(page, testInfo, 'dark-connections-purge-confirm')
  await confirm.getByRole('button', { name: 'Delete forever' }).click()
  await expect(page.getByText('The trash is empty')).toBeVisible()
})

test('screens of the notification forms: SMTP, a Slack webhook, a Pushover connection', async ({
  page,
}, testInfo) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('SMTP')
  await expect(connections.field('Security')).toHaveValue('starttls')
  await saveScreenshot(page, testInfo, 'light-smtp-form')
  await expectAccessible(page, 'SMTP form')

  await connections.gotoList()
  await connections.startCreate('Slack')
  await connections.fill([{ label: 'Credential', value: 'webhook', kind: 'select' }])
  await expect(connections.field('Webhook URL')).toBeVisible()
  await expect(page.getByLabel('Token', { exact: true })).toHaveCount(0)
  await saveScreenshot(page, testInfo, 'light-slack-webhook-form')

  const pushover = cases.find(({ id }) => id === 'pushover')!
  await page.emulateMedia({ colorScheme: 'dark' })
  await connections.create({
    providerLabel: pushover.label,
    name: 'Pushover on-call',
    fields: pushover.fields,
    labels: 'on-call',
  })
  await expect(connections.heading).toHaveText('Pushover on-call')
  await saveScreenshot(page, testInfo, 'dark-pushover-details')
  await expectAccessible(page, 'Pushover details (dark)')
})

test('screens of the file transfer forms: SFTP with a private key, an SMB share', async ({
  page,
}, testInfo) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  const fileTransfer = page.getByRole('region', { name: 'File Transfer' })
  await expect(fileTransfer.getByRole('heading', { name: 'File Transfer' })).toBeVisible()
  await expect(fileTransfer.getByRole('listitem')).toHaveText([/^SFTP/, /^SMB file share/])
  await connections.startCreate('SFTP')
  await expect(connections.field('Port')).toHaveValue('22')
  await connections.fill([{ label: 'Sign in with', value: 'key', kind: 'select' }])
  await expect(connections.field('Key passphrase')).toBeVisible()
  await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0)
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-sftp-key-form')
  await expectAccessible(page, 'SFTP form (dark)')

  await page.emulateMedia({ colorScheme: 'light' })
  await connections.gotoList()
  await connections.startCreate('SMB file share')
  await expect(connections.field('Port')).toHaveValue('445')
  // A UNC path pasted whole is answered on blur with what to type instead.
  const share = connections.field('Share')
  await share.fill('\\\\nas\\backups')
  await share.blur()
  await expect(share).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('#connection-share-error')).toContainText(
    "Share: enter only the share's name",
  )
  await saveScreenshot(page, testInfo, 'light-smb-form')
  await expectAccessible(page, 'SMB form')
})

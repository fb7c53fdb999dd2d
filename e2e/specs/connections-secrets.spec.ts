import { secrets } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { VaultScreens } from '../pages/vault.page'

test('an invalid value is explained beside its field, and nothing is saved', async ({
  page,
  app,
}) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('Amazon Web Services')

  // On blur: the field's own message, linked to it.
  await connections.field('Name').fill('Broken AWS')
  const keyId = connections.field('Access key ID')
  await keyId.fill('AKIA-not-a-key')
  await keyId.blur()
  await expect(keyId).toHaveAttribute('aria-invalid', 'true')
  const message = page.locator('#connection-access_key_id-error')
  await expect(message).toHaveText(
    'Access key ID: must be 20 characters starting with AKIA or ASIA (e.g. AKIAIOSFODNN7EXAMPLE).',
  )
  await expect(keyId).toHaveAttribute('aria-describedby', /connection-access_key_id-error/)

  // On submit: every problem, and focus on the first.
  await connections.field('Secret access key').fill(secrets.accessKeyId)
  await connections.save()
  await expect(keyId).toBeFocused()
  await expect(page.locator('#connection-secret_access_key-error')).toContainText(
    'this looks like the access key ID',
  )
  await expect(connections.heading).toHaveText('Connect Amazon Web Services')
  if (app.services) expect(app.services.connections.list()).toEqual([])

  // Fixing the value clears its message as it is typed.
  await keyId.fill(secrets.accessKeyId)
  await expect(message).toHaveCount(0)
  await expect(keyId).not.toHaveAttribute('aria-invalid', 'true')

  // An issue only main can see (the slug is taken) lands beside its field too.
  if (app.services) {
    app.services.connections.create({
      name: 'Existing',
      slug: 'broken-aws',
      provider: 's3-state',
      authMode: 'inline',
      values: { bucket: 'acme-terraform-state', region: 'us-west-2' },
    })
    await connections.field('Secret access key').fill(secrets.secretAccessKey)
    await connections.save()
    const slug = connections.field('Slug')
    await expect(slug).toBeFocused()
    await expect(slug).toHaveAttribute('aria-invalid', 'true')
    await expect(page.locator('#connection-slug-error')).toContainText('already used by "Existing"')
    expect(app.services.connections.list().map(({ name }) => name)).toEqual(['Existing'])
  }
})

test('reveal shows a value for a while; copy puts it on the clipboard and says so', async ({
  page,
  app,
}) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.create({
    providerLabel: 'GitHub',
    name: 'GitHub deploy bot',
    fields: [{ label: 'Personal access token', value: secrets.ghClassic }],
  })
  const token = connections.secret('token')
  await expect(token).toContainText('••••••••')
  expect(await page.content()).not.toContain(secrets.ghClassic)

  await token.getByRole('button', { name: /^Reveal/ }).click()
  await expect(token).toContainText(secrets.ghClassic)
  await expect(token).toContainText('Reveals are recorded.')
  await token.getByRole('button', { name: /^Hide/ }).click()
  await expect(token).not.toContainText(secrets.ghClassic)
  expect(await page.content()).not.toContain(secrets.ghClassic)

  await token.getByRole('button', { name: /^Copy/ }).click()
  const copied = page.getByTestId('toast').filter({
    hasText: 'Copied — the clipboard clears in 30 s',
  })
  await expect(copied).toBeVisible()
  // Notices sit in the top half, clear of the primary actions and footers at the bottom.
  const box = await copied.boundingBox()
  const windowHeight = await page.evaluate(() => window.innerHeight)
  expect(box && box.y + box.height).toBeLessThan(windowHeight / 2)
  if (app.clipboard) expect(app.clipboard.text).toBe(secrets.ghClassic)
  // The page itself never held the value for the copy.
  expect(await page.content()).not.toContain(secrets.ghClassic)

  // Editing: secret fields start empty and keep the stored value when left so.
  await page.getByRole('link', { name: 'Edit' }).click()
  const field = connections.field('Personal access token')
  await expect(field).toHaveValue('')
  await expect(field).toHaveAttribute(
    'placeholder',
    'Unchanged — leave empty to keep the stored value',
  )
  await connections.field('Labels').fill('ci, release')
  await connections.save('Save changes')
  await expect(connections.heading).toHaveText('GitHub deploy bot')
  await expect(connections.secretVersion()).toHaveText('Version 1')
  await expect(page.getByRole('list', { name: 'Labels' })).toHaveText('cirelease')

  // Locking drops everything: the unlock screen, and no connection data left in the page.
  await new VaultScreens(page).lock()
  expect(await page.content()).not.toContain('GitHub deploy bot')
})

test('a secret that fails its integrity check is shown as damaged, and rotating repairs it', async ({
  page,
  app,
}, testInfo) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.create({
    providerLabel: 'DigitalOcean',
    name: 'DigitalOcean staging',
    fields: [{ label: 'API token', value: secrets.doToken }],
  })

  // The vault file is altered behind the app's back: one ciphertext byte flipped.
  const db = app.services!.vault.database()
  const row = db
    .prepare("SELECT rowid, ciphertext FROM secret_fields WHERE field = 'api_token'")
    .get() as { rowid: number; ciphertext: Buffer }
  const altered = Buffer.from(row.ciphertext)
  altered[altered.length - 1] = (altered.at(-1) ?? 0) ^ 0xff
  db.prepare('UPDATE secret_fields SET ciphertext = ? WHERE rowid = ?').run(altered, row.rowid)

  await page.reload()
  await expect(connections.heading).toHaveText('DigitalOcean staging')
  const alert = page.getByRole('alert').filter({ hasText: 'failed its integrity check' })
  await expect(alert).toContainText('the stored API token failed the integrity check')
  await expect(alert).toContainText('Rotate the damaged secret')
  const field = connections.secret('api_token')
  await expect(field).toContainText('Damaged')
  await expect(field.getByRole('button', { name: /^Reveal/ })).toBeDisabled()
  await expect(field.getByRole('button', { name: /^Copy/ })).toBeDisabled()
  await saveScreenshot(page, testInfo, 'light-connection-damaged')
  await expectAccessible(page, 'damaged connection')

  await connections.rotate([
    { label: 'API token', value: `dop_v1_${'a1b2c3d4e5f60718'.repeat(4)}` },
  ])
  await expect(connections.secretVersion()).toHaveText('Version 2')
  await expect(alert).toHaveCount(0)
  await expect(connections.secret('api_token')).toContainText('••••••••')
})

test('a secret that is a reference shows where it points, with no value to reveal or copy', async ({
  page,
  app,
}) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  app.services!.connections.create({
    name: 'GitHub from pass',
    provider: 'github',
    authMode: 'inline',
    values: {},
    references: { token: { command: { argv: ['pass', 'show', 'ci/github'] } } },
  })
  // Added behind the page's back (as bridgekeep add would): it lists it once it reads again.
  await page.reload()
  await connections.gotoList()
  await connections.row('GitHub from pass').click()
  await expect(connections.heading).toHaveText('GitHub from pass')
  const token = connections.secret('token')
  await expect(token).toContainText('command:pass show ci/github')
  // ReferenceRow: the Reference badge and where the value comes from.
  await expect(token).toContainText('Reference')
  await expect(token).toContainText('Read from there each time the connection is used')
  await expect(token.getByRole('button')).toHaveCount(0)
  await expectAccessible(page, 'connection with a reference')
})

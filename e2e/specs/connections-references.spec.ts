import { serviceAccountKey, secrets } from '../../test/fixtures/provider-values'
import { exampleValues } from '../../test/catalog-values'
import { getProvider } from '../../src/shared/providers'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { VaultScreens } from '../pages/vault.page'

// Issue 22 in the app's forms: a secret field may be a reference (read at each use, never
// stored); an HTTP connection has a port, properties and a URL that may come whole from
// Password; a GCP connection's project may come from its key, and says so.

test('a secret field as a reference: added, shown as its reference, edited back to a value', async ({
  page,
  app,
}, testInfo) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('GitHub')
  await connections.field('Name').fill('GitHub from env')
  await connections.useReference('Personal access token', {
    kind: 'Environment variable',
    parts: { 'Variable name': 'GITHUB_TOKEN' },
  })
  await connections.save()
  await expect(connections.heading).toHaveText('GitHub from env')

  // The details name the reference; there is no value to mask, reveal or copy.
  const token = connections.secret('token')
  await expect(token).toContainText('env:GITHUB_TOKEN')
  await expect(token).toContainText('Reference')
  await expect(token).not.toContainText('••')
  await expect(token.getByRole('button')).toHaveCount(0)
  if (app.services) {
    const [stored] = app.services.connections.list()
    expect(app.services.connections.get(stored!.id).secrets).toEqual([
      expect.objectContaining({ field: 'token', reference: 'env:GITHUB_TOKEN' }),
    ])
  }
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-reference-details`)
    await expectAccessible(page, `details with a reference (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // Rotating says what typing a value there does.
  await page.getByRole('button', { name: 'Rotate' }).click()
  await expect(
    page.getByRole('dialog').getByLabel('Personal access token', { exact: true }),
  ).toHaveAttribute(
    'placeholder',
    'Now env:GITHUB_TOKEN — a value typed here replaces the reference',
  )
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toHaveCount(0)

  // Editing opens the field as the reference it is, filled in.
  await page.getByRole('link', { name: 'Edit' }).click()
  await expect(connections.heading).toHaveText('Edit GitHub from env')
  await expect(connections.source('Personal access token', 'Reference')).toBeChecked()
  await expect(connections.field('Personal access token')).toHaveValue('env')
  await expect(connections.referencePart('Personal access token', 'Variable name')).toHaveValue(
    'GITHUB_TOKEN',
  )

  // Back to Value: empty would keep the reference, so a value is asked for; typed, it replaces it.
  await connections.source('Personal access token', 'Value').check()
  await connections.save('Save changes')
  await expect(page.locator('#connection-token-error')).toHaveText(
    'Personal access token: type the value that replaces the reference env:GITHUB_TOKEN, or switch back to Reference to keep it.',
  )
  await expect(connections.field('Personal access token')).toBeFocused()
  await connections.field('Personal access token').fill(secrets.ghClassic)
  await connections.save('Save changes')
  await expect(connections.heading).toHaveText('GitHub from env')
  await expect(token).toContainText('••••••••')
  await expect(token).not.toContainText('env:GITHUB_TOKEN')
  await token.getByRole('button', { name: /^Reveal/ }).click()
  await expect(token).toContainText(secrets.ghClassic)
})

test('a bad reference is explained beside its field and nothing is saved; the Kubernetes kinds pick a cluster', async ({
  page,
  app,
}, testInfo) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  const kubernetes = getProvider('kubernetes')!
  app.services?.connections.create({
    name: 'Staging cluster',
    slug: 'staging-k8s',
    provider: 'kubernetes',
    authMode: 'inline',
    values: exampleValues(kubernetes, 'inline'),
  })
  await connections.gotoList()
  await connections.startCreate('GitHub')
  await connections.field('Name').fill('GitHub from a file')
  await connections.useReference('Personal access token', {
    kind: 'Environment variable',
    parts: { 'Variable name': '1-TOKEN' },
  })
  const name = connections.referencePart('Personal access token', 'Variable name')
  await name.blur()
  const message = page.locator('#connection-token-error')
  await expect(message).toHaveText(
    'Personal access token: Environment variable: letters, digits and "_", not starting with a digit (e.g. DB_PASSWORD).',
  )
  await expect(name).toHaveAttribute('aria-invalid', 'true')
  await expect(name).toHaveAttribute('aria-describedby', /connection-token-error/)

  await connections.field('Personal access token').selectOption({ label: 'File' })
  const path = connections.referencePart('Personal access token', 'File path')
  await path.fill('relative/token')
  await connections.save()
  await expect(path).toBeFocused()
  await expect(message).toContainText('File: give an absolute path')
  await expect(connections.heading).toHaveText('Connect GitHub')
  if (app.services)
    expect(app.services.connections.list().map((c) => c.name)).toEqual(['Staging cluster'])
  await path.fill('~/.config/gh/token')
  await expect(message).toHaveCount(0)

  // A Kubernetes Secret: a cluster of the vault, a namespace (default unless changed), name, key.
  await connections.useReference('Personal access token', {
    kind: 'Kubernetes Secret',
    parts: { Namespace: 'ci', 'Secret name': 'github-token', Key: 'token' },
  })
  const cluster = connections.referencePart('Personal access token', 'Kubernetes connection')
  if (app.services) await cluster.selectOption({ label: 'Staging cluster (staging-k8s)' })
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-reference-form`)
    await expectAccessible(page, `form with a reference (${colorScheme})`)
  }
})

test('HTTP: the URL taken whole from Password, a port, and properties edited as rows', async ({
  page,
  app,
}, testInfo) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('Generic HTTP')
  await connections.field('Name').fill('Status page')
  const url = connections.field('URL template')
  await url.fill('$(password)/health')
  await url.blur()
  await expect(page.locator('#connection-url-error')).toContainText(
    'to take the whole URL from Password write exactly $(password)',
  )
  await url.fill('$(password)')
  await connections.fill([{ label: 'Port', value: '8443' }])
  await connections.addProperties('Properties', [
    ['tenant', 'acme'],
    ['api-version', '2'],
    ['api_version', '3'],
  ])
  const secretUrl = 'https://monitor:Zq9-secret-url@status.example.com/health'
  await connections.field('Password').fill(secretUrl)
  await connections.save()
  await expect(page.locator('#connection-properties-error')).toHaveText(
    'Properties: "api-version" and "api_version" would both be BRIDGEKEEP_HTTP_PROPERTY_API_VERSION; rename one.',
  )
  const properties = connections.fieldBox('Properties')
  await properties.getByRole('button', { name: 'Remove property 3 (api_version)' }).click()
  await expect(properties.getByRole('textbox', { name: / name$/ })).toHaveCount(2)
  await expect(page.locator('#connection-properties-error')).toHaveCount(0)
  await saveScreenshot(page, testInfo, 'light-http-form')
  await expectAccessible(page, 'HTTP form with properties')
  await connections.save()

  await expect(connections.heading).toHaveText('Status page')
  const settings = page.getByRole('region', { name: 'Settings' })
  await expect(settings).toContainText('$(password)')
  await expect(settings).toContainText('8443')
  await expect(settings).toContainText('tenant = acme')
  await expect(settings).toContainText('api-version = 2')
  expect(await page.content()).not.toContain('Zq9-secret-url')
  if (app.services) {
    const [stored] = app.services.connections.list()
    expect(app.services.connections.get(stored!.id).config).toMatchObject({
      url: '$(password)',
      port: '8443',
      properties: '{"tenant":"acme","api-version":"2"}',
    })
  }
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-http-details')
  await expectAccessible(page, 'HTTP details (dark)')
})

test('GCP: the project comes from the key when Project ID is empty, and says so', async ({
  page,
}) => {
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('Google Cloud')
  await connections.field('Name').fill('GCP from key')
  await expect(page.locator('#connection-project_id-help')).toContainText('from the key')
  await connections.field('Service account key').fill(serviceAccountKey({ project_id: undefined }))
  await connections.save()
  await expect(page.locator('#connection-project_id-error')).toHaveText(
    "Project ID: required, because the service account key has no project_id. Enter the project ID from the console's project picker (its ID column), e.g. acme-platform-prod.",
  )
  await connections.field('Service account key').fill(serviceAccountKey())
  await connections.save()
  await expect(connections.heading).toHaveText('GCP from key')
  await expect(page.getByRole('region', { name: 'Settings' })).toContainText(
    'acme-platform-prod (from the key)',
  )
})

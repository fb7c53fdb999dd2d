import { fake, kubeconfig, secrets, serviceAccountKey } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage, type FieldEntry } from '../pages/connections.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

/**
 * One connection of every provider, filled in through the form as a user would. The values are
 * the catalog's own fake fixtures (test/fixtures/provider-values.ts).
 */
interface ProviderCase {
  id: string
  label: string
  fields: FieldEntry[]
  /** A field's file content given through "Choose a file…" instead of typing. */
  file?: { label: string; name: string; content: string }
  /** The secret field to check (masked, never in the page) and to rotate, if any. */
  secret?: { field: string; label: string; value: string; rotated: string }
}

const kubeconfigText = kubeconfig()
const kubeconfigToken = /token: (.*)/.exec(kubeconfigText)?.[1] ?? 'missing token'
const rotatedKubeconfig = kubeconfig().replace(/token: .*/, `token: ${fake('eyJROTATED.', 120)}`)
const serviceKey = serviceAccountKey()
const rotatedServiceKey = serviceAccountKey({ private_key_id: fake('', 40, 'fedcba9876543210') })

const cases: ProviderCase[] = [
  {
    id: 'aws',
    label: 'Amazon Web Services',
    fields: [
      { label: 'Access key ID', value: secrets.accessKeyId },
      { label: 'Secret access key', value: secrets.secretAccessKey },
      { label: 'Default region', value: 'eu-west-1', kind: 'select' },
    ],
    secret: {
      field: 'secret_access_key',
      label: 'Secret access key',
      value: secrets.secretAccessKey,
      rotated: fake('wJalrXUtnFEMI/K7MDENG/', 40, 'R0TATED1'),
    },
  },
  {
    id: 'gcp',
    label: 'Google Cloud',
    fields: [{ label: 'Project ID', value: 'acme-platform-prod' }],
    file: { label: 'Service account key', name: 'key.json', content: serviceKey },
    secret: {
      field: 'service_account_key',
      label: 'Service account key',
      value: 'deployer@acme-platform-prod.iam.gserviceaccount.com',
      rotated: rotatedServiceKey,
    },
  },
  {
    id: 'azure',
    label: 'Microsoft Azure',
    fields: [
      { label: 'Tenant ID', value: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
      { label: 'Subscription ID', value: '9b2c7e41-5a3d-4f8e-b1c6-0d4e8f2a6b13' },
      { label: 'Client ID', value: '3e5f1a2b-7c4d-4e9f-8a6b-1c2d3e4f5a6b' },
      { label: 'Client secret', value: secrets.azureSecret },
    ],
    secret: {
      field: 'client_secret',
      label: 'Client secret',
      value: secrets.azureSecret,
      rotated: fake('Rt7Q~ROTATED.', 40, 'cD4_-'),
    },
  },
  {
    id: 'digitalocean',
    label: 'DigitalOcean',
    fields: [{ label: 'API token', value: secrets.doToken }],
    secret: {
      field: 'api_token',
      label: 'API token',
      value: secrets.doToken,
      rotated: `dop_v1_${'fedcba9876543210'.repeat(4)}`,
    },
  },
  {
    id: 'civo',
    label: 'Civo',
    fields: [{ label: 'API key', value: secrets.civoKey }],
    secret: {
      field: 'api_key',
      label: 'API key',
      value: secrets.civoKey,
      rotated: fake('ROTATED', 50, 'z9Y8x7'),
    },
  },
  {
    id: 'cloudflare',
    label: 'Cloudflare',
    fields: [{ label: 'API token', value: secrets.cfToken }],
    secret: {
      field: 'api_token',
      label: 'API token',
      value: secrets.cfToken,
      rotated: fake('ROTATED_cf-', 40, 'nEwToK_'),
    },
  },
  {
    id: 'github',
    label: 'GitHub',
    fields: [{ label: 'Personal access token', value: secrets.ghClassic }],
    secret: {
      field: 'token',
      label: 'Personal access token',
      value: secrets.ghClassic,
      rotated: secrets.ghFineGrained,
    },
  },
  {
    id: 'gitlab',
    label: 'GitLab',
    fields: [{ label: 'Access token', value: secrets.glToken }],
    secret: {
      field: 'token',
      label: 'Access token',
      value: secrets.glToken,
      rotated: `glpat-${fake('ROTATED-', 24, 'rO_TATED')}`,
    },
  },
  {
    id: 'dockerhub',
    label: 'Docker Hub',
    fields: [
      { label: 'Username', value: 'acmeci' },
      { label: 'Access token', value: secrets.dockerToken },
    ],
    secret: {
      field: 'access_token',
      label: 'Access token',
      value: secrets.dockerToken,
      rotated: `dckr_pat_${fake('ROTATED', 27, 'roTATED-')}`,
    },
  },
  {
    id: 'ecr',
    label: 'Amazon ECR',
    fields: [
      { label: 'Registry account ID', value: '123456789012' },
      { label: 'Access key ID', value: secrets.accessKeyId },
      { label: 'Secret access key', value: secrets.secretAccessKey },
    ],
    secret: {
      field: 'secret_access_key',
      label: 'Secret access key',
      value: secrets.secretAccessKey,
      rotated: fake('wJalrXUtnFEMI/K7MDENG/', 40, 'R0TATED2'),
    },
  },
  {
    id: 'gar',
    label: 'Google Artifact Registry',
    fields: [
      { label: 'Registry host', value: 'europe-west1-docker.pkg.dev' },
      { label: 'Service account key', value: serviceKey },
      { label: 'Repository', value: 'acme-platform-prod/containers' },
    ],
    secret: {
      field: 'service_account_key',
      label: 'Service account key',
      value: 'deployer@acme-platform-prod.iam.gserviceaccount.com',
      rotated: rotatedServiceKey,
    },
  },
  {
    id: 's3-state',
    label: 'S3 state backend',
    fields: [
      { label: 'Bucket', value: 'acme-terraform-state' },
      { label: 'DynamoDB lock table', value: 'terraform-locks' },
    ],
  },
  {
    id: 'gcs-state',
    label: 'GCS state backend',
    fields: [
      { label: 'Bucket', value: 'acme-terraform-state' },
      { label: 'Prefix', value: 'teams/platform' },
    ],
  },
  {
    id: 'kubernetes',
    label: 'Kubernetes',
    fields: [
      { label: 'Kubeconfig', value: kubeconfigText },
      { label: 'Context', value: 'staging', kind: 'select' },
    ],
    secret: {
      field: 'kubeconfig',
      label: 'Kubeconfig',
      value: kubeconfigToken,
      rotated: rotatedKubeconfig,
    },
  },
  {
    id: 'postgres',
    label: 'PostgreSQL',
    fields: [
      { label: 'Host', value: 'db.internal.example.com' },
      { label: 'Database', value: 'app_production' },
      { label: 'User', value: 'deploy' },
      { label: 'Password', value: secrets.pgPassword },
    ],
    secret: {
      field: 'password',
      label: 'Password',
      value: secrets.pgPassword,
      rotated: 'a new password for the deploy role',
    },
  },
  {
    id: 'http',
    label: 'Generic HTTP',
    fields: [
      { label: 'URL template', value: 'https://$(username):$(password)@status.example.com/health' },
      { label: 'Username', value: 'monitor' },
      { label: 'Password', value: 'monitor password 2024!' },
    ],
    secret: {
      field: 'password',
      label: 'Password',
      value: 'monitor password 2024!',
      rotated: 'monitor password 2025!',
    },
  },
]

test('the form offers every provider in the catalog', async ({ page }) => {
  await new VaultScreens(page).createWithKeychain()
  const cards = page.locator('[data-provider]')
  await expect(cards).toHaveCount(cases.length)
  expect(
    await cards.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-provider'))),
  ).toEqual(cases.map(({ id }) => id))
})

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
  await expect(
    page.getByTestId('toast').filter({ hasText: 'Copied — the clipboard clears in 30 s' }),
  ).toBeVisible()
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

test('ten thousand connections: virtualized, searchable, sortable, keyboard-navigable', async ({
  page,
  app,
}) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  // Writing 10,000 encrypted connections runs in the test process, beside the browser.
  test.slow()
  const connections = new ConnectionsPage(page)
  const shell = new AppShell(page)
  await new VaultScreens(page).createWithKeychain()
  await shell.expectSection('Connections')

  const names = Array.from({ length: 10_000 }, (_, i) => `bucket ${String(i).padStart(5, '0')}`)
  app.services!.connections.createMany(
    names.map((name, i) => ({
      name,
      provider: 's3-state',
      authMode: 'inline',
      values: { bucket: `acme-state-${i}`, region: 'us-west-2' },
      labels: i % 100 === 0 ? ['hundreds'] : [],
    })),
  )
  await page.reload()
  // The first list of 10,000 after a reload crosses Playwright's binding (about 3 MB of JSON):
  // allowed far longer than one interaction.
  await expect(page.getByText('10,000 connections')).toBeVisible({ timeout: 40_000 })
  await shell.expectSection('Connections')
  // Only the rows in view are in the DOM.
  expect(await connections.rows.count()).toBeLessThan(60)
  await expect(connections.rows.first()).toContainText('bucket 00000')

  // Sorting by a header, announced with aria-sort.
  const nameHeader = page.getByRole('columnheader', { name: 'Name' })
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending')
  await nameHeader.getByRole('button').click()
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending')
  await expect(connections.rows.first()).toContainText('bucket 09999')

  // "/" jumps to the search; the filter covers labels too.
  await page.locator('body').press('/')
  await expect(connections.search).toBeFocused()
  await connections.search.fill('hundreds')
  await expect(page.getByText('100 of 10,000 connections match')).toBeVisible()
  // Every word must match: "bucket 00424" and "bucket 04240" … "bucket 04249".
  await connections.search.fill('bucket 0424')
  await expect(page.getByText('11 of 10,000 connections match')).toBeVisible()
  await expect(connections.rows).toHaveCount(11)

  // Keyboard: into the rows, down, to the end, Enter opens.
  await connections.search.fill('')
  await connections.rows.first().focus()
  await page.keyboard.press('ArrowDown')
  await expect(connections.rows.nth(1)).toBeFocused()
  await page.keyboard.press('End')
  await expect(page.locator('tr[aria-rowindex="10001"]')).toBeFocused()
  await expect(page.locator('tr[aria-rowindex="10001"]')).toContainText('bucket 00000')
  await page.keyboard.press('Enter')
  await expect(connections.heading).toHaveText('bucket 00000')
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

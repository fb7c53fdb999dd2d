import BetterSqlite3 from 'better-sqlite3'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { EnvironmentsPage } from '../pages/environments.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'
import type { Services } from '../../src/main/services'
import { providers } from '../../src/shared/providers'
import { exampleValues } from '../../test/catalog-values'

/** Connections made straight through the services (the Connections UI has its own specs). */
function addConnections(services: Services, names: string[], provider = 'github'): string[] {
  const spec = providers.find((p) => p.id === provider)!
  return names.map(
    (name) =>
      services.connections.create({
        name,
        provider,
        authMode: spec.defaultAuthMode,
        values: exampleValues(spec, spec.defaultAuthMode),
      }).id,
  )
}

function authorizedNames(services: Services, connection: string): string[] {
  const matrix = services.authorizations.getMatrix()
  const row = matrix.connections.findIndex((c) => c.name === connection)
  return (matrix.authorized[row] ?? []).map((index) => matrix.environments[index]!.name)
}

test('environments: create, rename, protect and delete, each change explained', async ({
  page,
  app,
}, testInfo) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  await new VaultScreens(page).createWithKeychain()
  const envs = new EnvironmentsPage(page)
  await envs.open()
  await envs.tab('Manage environments')
  // A new vault starts with three; production is protected.
  await expect(page.getByTestId('environment-item')).toHaveCount(3)
  await expect(envs.environmentItem('production')).toContainText('Protected')

  await envs.createEnvironment('qa')
  // A taken name is refused beside the field, nothing created.
  await page.getByRole('button', { name: 'New environment' }).click()
  const dialog = page.getByRole('dialog', { name: 'New environment' })
  await dialog.getByLabel('Name').fill('QA')
  await dialog.getByRole('button', { name: 'Create environment' }).click()
  await expect(dialog).toContainText('an environment named "qa" already exists')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('environment-item')).toHaveCount(4)

  await envs.environmentItem('qa').getByRole('button', { name: 'Edit qa' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit qa' })
  await edit.getByLabel('Name').fill('qa-eu')
  await edit.getByLabel('Description').fill('Acceptance tests, EU region')
  await edit.getByRole('radio', { name: 'Colour #9c36b5' }).check()
  await saveScreenshot(page, testInfo, 'environment-edit')
  await expectAccessible(page, 'environment edit dialog')
  await edit.getByRole('button', { name: 'Save' }).click()
  await expect(envs.environmentItem('qa-eu')).toContainText('Acceptance tests, EU region')

  // Deleting one that connections are authorized for says how many authorizations go with it.
  const [id] = addConnections(app.services!, ['ci bot'])
  const qa = app.services!.environments.list().find((env) => env.name === 'qa-eu')!
  app.services!.authorizations.applyChanges({
    grants: [{ connectionId: id!, environmentId: qa.id }],
  })
  await page.reload()
  await envs.tab('Manage environments')
  await envs.environmentItem('qa-eu').getByRole('button', { name: 'Delete qa-eu' }).click()
  const confirm = page.getByRole('alertdialog', { name: 'Delete qa-eu?' })
  await expect(confirm).toContainText('1 connection is authorized for qa-eu')
  await saveScreenshot(page, testInfo, 'environment-delete')
  await confirm.getByRole('button', { name: 'Delete environment' }).click()
  await expect(envs.environmentItem('qa-eu')).toHaveCount(0)
  expect(authorizedNames(app.services!, 'ci bot')).toEqual([])

  // Unprotecting asks first.
  await envs
    .environmentItem('production')
    .getByRole('button', { name: /Unprotect/ })
    .click()
  await expect(
    page.getByRole('alertdialog', { name: /Remove protection from production/ }),
  ).toBeVisible()
  await page.getByRole('button', { name: 'Cancel' }).click()
  await expect(envs.environmentItem('production')).toContainText('Protected')
  await saveScreenshot(page, testInfo, 'environments-list')
  await expectAccessible(page, 'environments list')
})

test('the matrix: grant and revoke by mouse and keyboard, save with confirmation, undo, audited', async ({
  page,
  app,
}, testInfo) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  test.slow()
  await new VaultScreens(page).createWithKeychain()
  addConnections(app.services!, ['deploy bot', 'release bot', 'docs bot'])
  const envs = new EnvironmentsPage(page)
  await envs.open()
  await expect(envs.grid).toBeVisible()
  await expect(envs.pending).toContainText('No pending changes')
  // Nothing pending: no footer, and never a "Save 0 changes".
  await expect(envs.footer).toHaveCount(0)
  await expect(page.getByRole('button', { name: /^Save/ })).toHaveCount(0)
  await expect(page.getByRole('list', { name: 'Legend' })).toContainText('Grant pending')

  // Mouse: one cell.
  await envs.cell('deploy bot', 'development').click()
  await expect(envs.cell('deploy bot', 'development')).toHaveAttribute('aria-checked', 'true')
  await expect(envs.pendingItems()).toHaveText(['Grant deploy bot in development'])

  // Keyboard: right to staging, Space; right to production, Space; down, Space.
  await envs.cell('deploy bot', 'development').focus()
  await page.keyboard.press('ArrowRight')
  await expect(envs.cell('deploy bot', 'staging')).toBeFocused()
  await page.keyboard.press('Space')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('Space')
  await page.keyboard.press('ArrowDown')
  await expect(envs.cell('docs bot', 'production')).toBeFocused()
  await page.keyboard.press('Space')
  // Toggling back unstages: one grant fewer.
  await page.keyboard.press('Space')
  await expect(envs.pendingItems()).toHaveCount(3)
  await expect(envs.pending).toContainText('Touches protected environment production')

  // A whole row, by its header (keyboard: Home goes to the row header).
  await envs.cell('release bot', 'staging').focus()
  await page.keyboard.press('Home')
  await expect(envs.rowToggle('release bot')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(envs.pending).toContainText('Pending changes: 6 grants, 0 revokes')
  // At 1280x800 the footer with the count, Discard and Save is in view without scrolling.
  await page.setViewportSize({ width: 1280, height: 800 })
  await expect(envs.footer).toContainText('6 changes pending')
  await expect(envs.footer).toBeInViewport({ ratio: 1 })
  await expect(envs.saveButton).toBeInViewport({ ratio: 1 })
  await expect(page.getByTestId('pending-announcement')).toHaveText('6 changes pending')
  await expect(page.getByTestId('pending-announcement')).toHaveAttribute('aria-live', 'polite')
  await saveScreenshot(page, testInfo, 'light-matrix-pending')
  await expectAccessible(page, 'matrix with pending changes')

  // Save: production is protected, so main asks, naming exactly what changes there.
  await envs.saveButton.click()
  const confirm = page.getByRole('alertdialog', { name: 'Change a protected environment?' })
  await expect(confirm).toContainText('production: grant deploy bot, release bot')
  await saveScreenshot(page, testInfo, 'light-matrix-confirm')
  await confirm.getByRole('button', { name: 'Apply to protected environments' }).click()
  await expect(envs.pending).toContainText('No pending changes')
  expect(authorizedNames(app.services!, 'deploy bot')).toEqual([
    'development',
    'staging',
    'production',
  ])
  expect(authorizedNames(app.services!, 'release bot')).toEqual([
    'development',
    'staging',
    'production',
  ])

  // Revoke by mouse, in a column filtered to one environment; Discard drops staged edits.
  await page.getByRole('searchbox', { name: 'Filter environments' }).fill('stag')
  await expect(envs.cell('deploy bot', 'development')).toHaveCount(0)
  await envs.columnToggle('staging').click()
  await expect(envs.pending).toContainText('Pending changes: 1 grant, 0 revokes')
  await envs.columnToggle('staging').click()
  await expect(envs.pending).toContainText('Pending changes: 0 grants, 2 revokes')
  await envs.footer.getByRole('button', { name: 'Discard' }).click()
  await expect(envs.pending).toContainText('No pending changes')
  await expect(envs.footer).toHaveCount(0)
  await expect(page.getByTestId('pending-announcement')).toHaveText('No changes pending')
  await envs.cell('release bot', 'staging').click()
  await envs.saveButton.click()
  await expect(envs.pending).toContainText('No pending changes')
  expect(authorizedNames(app.services!, 'release bot')).toEqual(['development', 'production'])

  // Undo the last save.
  await page.getByRole('button', { name: 'Undo last save' }).click()
  await expect(envs.cell('release bot', 'staging')).toHaveAttribute('aria-checked', 'true')
  expect(authorizedNames(app.services!, 'release bot')).toEqual([
    'development',
    'staging',
    'production',
  ])

  // Dark theme screenshot of the saved matrix.
  await page.getByRole('searchbox', { name: 'Filter environments' }).fill('')
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-matrix')
  await envs.cell('docs bot', 'staging').click()
  await expect(envs.footer).toBeInViewport({ ratio: 1 })
  await saveScreenshot(page, testInfo, 'dark-matrix-pending')
  await expectAccessible(page, 'matrix with pending changes (dark)')
  await envs.footer.getByRole('button', { name: 'Discard' }).click()
  await expectAccessible(page, 'matrix (dark)')

  // Every step is in the audit trail.
  await new AppShell(page).open('Audit')
  await page.getByRole('combobox', { name: 'Action' }).selectOption('authorization.change')
  await expect(page.getByTestId('audit-entry')).toHaveCount(2)
  await page.getByRole('combobox', { name: 'Action' }).selectOption('authorization.undo')
  await expect(page.getByTestId('audit-entry')).toHaveCount(1)
  await page.getByRole('combobox', { name: 'Action' }).selectOption('')
  await saveScreenshot(page, testInfo, 'dark-audit')
  await expectAccessible(page, 'audit (dark)')
})

test('a connection’s details show and edit what it is authorized for, and its usage', async ({
  page,
  app,
}, testInfo) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  await new VaultScreens(page).createWithKeychain()
  const [id] = addConnections(app.services!, ['api bot'])
  const envId = Object.fromEntries(app.services!.environments.list().map((e) => [e.name, e.id]))
  app.services!.usage.recordUse(id!, envId.development!, 'exec')
  app.services!.usage.recordUse(id!, envId.development!, 'exec')
  await page.evaluate((connection) => (window.location.hash = `#/connections/${connection}`), id!)
  const panel = page.getByRole('region', { name: 'Authorized for' })
  await panel.getByRole('checkbox', { name: 'staging' }).check()
  await panel.getByRole('checkbox', { name: /production/ }).check()
  await panel.getByRole('button', { name: 'Save authorizations' }).click()
  await page
    .getByRole('alertdialog', { name: 'Change a protected environment?' })
    .getByRole('button', { name: 'Apply to protected environments' })
    .click()
  await expect(panel.getByRole('button', { name: 'Save authorizations' })).toHaveCount(0)
  expect(authorizedNames(app.services!, 'api bot')).toEqual(['staging', 'production'])

  // With two GitHub connections in staging, resolution needs a default: set it here.
  const [other] = addConnections(app.services!, ['backup bot'])
  app.services!.authorizations.applyChanges({
    grants: [{ connectionId: other!, environmentId: envId.staging! }],
  })
  expect(() => app.services!.resolution.resolve('github', 'staging')).toThrow(/backup bot/)
  const makeDefault = panel.getByRole('button', { name: 'Default GitHub connection in staging' })
  await expect(makeDefault).toHaveAttribute('aria-pressed', 'false')
  await makeDefault.click()
  await expect(makeDefault).toHaveAttribute('aria-pressed', 'true')
  expect(app.services!.resolution.resolve('github', 'staging')).toMatchObject({
    connection: { name: 'api bot' },
    via: 'default',
  })
  await expect(panel.getByRole('button', { name: /connection in development/ })).toHaveCount(0)

  const usage = page.getByRole('region', { name: 'Usage' })
  await expect(usage).toContainText('Used 2 times')
  await expect(usage.getByRole('row', { name: /development exec 2/ })).toBeVisible()
  await saveScreenshot(page, testInfo, 'light-connection-authorized-for')
  await expectAccessible(page, 'connection details with authorizations')
})

test('the audit trail: filters, export, and tampering found by Verify integrity', async ({
  page,
  app,
}, testInfo) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  await new VaultScreens(page).createWithKeychain()
  addConnections(app.services!, ['one', 'two'])
  await new AppShell(page).open('Audit')
  await expect(page.getByTestId('audit-entry')).toHaveCount(3)
  // Actions read as plain English; the stored code is the name's title.
  const created = page.getByTestId('audit-entry').filter({ hasText: 'Vault created' })
  await expect(created.getByTitle('vault.create')).toHaveText('Vault created')
  await expect(page.getByTestId('audit-entry').filter({ hasText: 'Connection added' })).toHaveCount(
    2,
  )
  // The filter bar fits on one row (the app's 1280 px window), Clear filters included.
  const filters = page.getByRole('search', { name: 'Filter the audit trail' })
  await filters.getByRole('combobox', { name: 'Outcome' }).selectOption('success')
  const middles = await filters.locator('select, input, button').evaluateAll((controls) =>
    controls.map((c) => {
      const box = c.getBoundingClientRect()
      return Math.round(box.top + box.height / 2)
    }),
  )
  expect(
    Math.max(...middles) - Math.min(...middles),
    `middles: ${middles.join(', ')}`,
  ).toBeLessThan(4)
  await filters.getByRole('button', { name: 'Clear filters' }).click()
  await page.getByRole('button', { name: 'Verify integrity' }).click()
  await expect(page.getByTestId('audit-verification')).toContainText('All 3 entries verify')

  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^bridgekeep-audit-.*\.csv$/)

  // Someone edits the vault file behind the app's back (dropping the append-only triggers).
  const victim = app
    .services!.audit.query({ filter: { actions: ['connection.create'] } })
    .entries.at(-1)!
  const raw = new BetterSqlite3(app.services!.vault.path)
  raw.exec('DROP TRIGGER audit_log_no_update')
  raw.prepare("UPDATE audit_log SET detail = 'nothing happened' WHERE id = ?").run(victim.id)
  raw.close()

  await page.getByRole('button', { name: 'Verify integrity' }).click()
  const alert = page.getByTestId('audit-verification')
  await expect(alert).toHaveAttribute('role', 'alert')
  await expect(alert).toContainText(`#${victim.id}`)
  await expect(page.locator(`[data-testid="audit-entry"][data-id="${victim.id}"]`)).toHaveAttribute(
    'data-broken',
    'true',
  )
  await saveScreenshot(page, testInfo, 'light-audit-tampered')
  await expectAccessible(page, 'audit tampered')
})

test('the matrix at 2,000 connections x 50 environments renders only what is in view', async ({
  page,
  app,
}) => {
  test.skip(!app.services, 'needs the main-side services in the test process (browser host)')
  test.slow()
  await new VaultScreens(page).createWithKeychain()
  const services = app.services!
  for (let i = 0; i < 47; i++)
    services.environments.create({ name: `region-${String(i).padStart(2, '0')}` })
  const spec = providers.find((p) => p.id === 's3-state')!
  services.connections.createMany(
    Array.from({ length: 2000 }, (_, i) => ({
      name: `bucket ${String(i).padStart(4, '0')}`,
      provider: spec.id,
      authMode: 'inline',
      values: { bucket: `acme-${i}`, region: 'us-west-2' },
    })),
  )
  const envs = new EnvironmentsPage(page)
  await envs.open()
  await expect(envs.grid).toHaveAttribute('aria-rowcount', '2001', { timeout: 20_000 })
  await expect(envs.grid).toHaveAttribute('aria-colcount', '51')
  expect(await envs.grid.getByRole('checkbox').count()).toBeLessThan(600)
  // Ctrl+End reaches the far corner, rendered on demand.
  await envs.cell('bucket 0000', 'development').focus()
  await page.keyboard.press('Control+End')
  await expect(envs.cell('bucket 1999', 'region-46')).toBeFocused()
  await page.keyboard.press('Space')
  await expect(envs.pendingItems()).toHaveText(['Grant bucket 1999 in region-46'])
})

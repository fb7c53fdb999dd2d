import { startSsoFixture } from '../../test/fixtures/sso'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { VaultScreens } from '../pages/vault.page'

const START_URL = 'https://my-org.awsapps.com/start'

test('IAM Identity Center: sign in with the device code, then one connection per ticked account and permission set', async ({
  page,
  app,
}, testInfo) => {
  test.setTimeout(180_000)
  const sso = await startSsoFixture({
    interval: 1,
    assignments: [
      { accountId: '111111111111', accountName: 'prod', roles: ['Admin', 'ReadOnly'] },
      { accountId: '222222222222', accountName: 'staging', roles: ['Deploy'] },
    ],
  })
  try {
    const connections = new ConnectionsPage(page)
    await new VaultScreens(page).createWithKeychain()
    await connections.gotoList()
    await connections.startCreate('Amazon Web Services')
    const capabilities = connections.form.getByRole('group', { name: /^Capabilities/ })
    await expect(connections.field('Account ID')).toBeVisible()
    await expect(capabilities).toBeVisible()
    await page.getByRole('radio', { name: /^IAM Identity Center/ }).check()
    // Only what applies to a permission set: no Account ID, Capabilities or stored keys.
    await expect(connections.field('Start URL')).toBeVisible()
    for (const gone of ['Account ID', 'Access key ID', 'Role ARN'])
      await expect(connections.field(gone)).toHaveCount(0)
    await expect(capabilities).toHaveCount(0)
    await saveScreenshot(page, testInfo, 'aws-sso-form')
    await connections.fill([
      { label: 'Start URL', value: START_URL },
      { label: 'IAM Identity Center region', value: 'eu-west-1', kind: 'select' },
    ])
    const panel = page.getByRole('region', { name: 'Sign in with IAM Identity Center' })
    await panel.getByText('Endpoints (VPC endpoints)').click()
    await panel.getByLabel('SSO-OIDC endpoint').fill(sso.oidc.url)
    await panel.getByLabel('Access portal endpoint').fill(sso.portal.url)
    await panel.getByRole('button', { name: 'Sign in' }).click()

    // The code, big and copyable, while the app polls; the test approves it as the user would.
    const code = panel.getByTestId('sso-user-code')
    await expect(code).toHaveText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/)
    await expect(panel.getByText(/^Waiting for you to approve the code/)).toBeVisible()
    await saveScreenshot(page, testInfo, 'aws-sso-device-code')
    await expectAccessible(page, 'SSO device code')
    expect(sso.approve()).toBe(await code.textContent())

    const table = panel.getByRole('table', { name: 'Accounts and permission sets' })
    await expect(table.getByRole('row')).toHaveCount(4)
    await table.getByRole('checkbox', { name: 'prod ReadOnly' }).check()
    await table.getByRole('checkbox', { name: 'staging Deploy' }).check()
    // One choice of environments on the page: the form's "Use it in", named by the Create line.
    await expect(
      page.getByRole('group', { name: 'Environments for the new connections' }),
    ).toHaveCount(0)
    const useIn = page.getByRole('group', { name: 'Environments' })
    await expect(useIn).toHaveCount(1)
    const create = panel.getByRole('button', { name: 'Create 2 connections' })
    await expect(create).toHaveAccessibleDescription(/^No environment is ticked under “Use it in”/)
    await useIn.getByRole('checkbox', { name: /^development/ }).check()
    await useIn.getByRole('checkbox', { name: /^staging/ }).check()
    await expect(create).toHaveAccessibleDescription(
      'Usable in development, staging, as ticked under “Use it in” below.',
    )
    // The button has room of its own: its label on one line, not squeezed by the text beside it.
    const box = (await create.boundingBox())!
    expect(box.width).toBeGreaterThanOrEqual(170)
    expect(box.height).toBeLessThan(48)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await panel.scrollIntoViewIfNeeded()
      await saveScreenshot(page, testInfo, `aws-sso-assignments-${colorScheme}`)
      await expectAccessible(page, `SSO accounts and permission sets (${colorScheme})`)
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await create.click()

    await expect(
      page.getByText('2 connections were created, usable in development, staging.'),
    ).toBeVisible()
    await expect(page.getByRole('row', { name: /^prod ReadOnly prod-readonly/ })).toBeVisible()
    await expect(page.getByRole('row', { name: /^staging Deploy staging-deploy/ })).toBeVisible()
    if (app.services) {
      const made = app.services.connections.list().map((c) => app.services!.connections.get(c.id))
      expect(
        made.map((c) => [c.authMode, c.config.sso_account_id, c.config.sso_role_name]).sort(),
      ).toEqual([
        ['sso', '111111111111', 'ReadOnly'],
        ['sso', '222222222222', 'Deploy'],
      ])
      const env = Object.fromEntries(app.services.environments.list().map((e) => [e.name, e.id]))
      for (const connection of made)
        expect(
          app.services.authorizations.authorizationsFor(connection.id).environmentIds.sort(),
        ).toEqual([env.development, env.staging].sort())
    }
    await saveScreenshot(page, testInfo, 'aws-sso-created')

    // A connection's page: no AWS setup (capabilities, policy, role), but its sign-in, which it
    // can sign out of: IAM Identity Center ends the session and refuses the token afterwards.
    await connections.row('prod ReadOnly').click()
    const ssoPanel = page.getByRole('region', { name: 'IAM Identity Center', exact: true })
    await expect(ssoPanel).toContainText('permission set ReadOnly in account 111111111111')
    await expect(page.getByRole('region', { name: 'AWS setup' })).toHaveCount(0)
    await saveScreenshot(page, testInfo, 'aws-sso-connection')
    await ssoPanel.getByRole('button', { name: 'Sign out' }).click()
    await expect(
      page.getByText(`Signed out of ${START_URL}. Its connections ask you to sign in again.`),
    ).toBeVisible()
    expect(sso.calls).toContain('Logout')
    if (app.services)
      expect(
        app.services.audit.query({ filter: { actions: ['aws-sso.sign-out'] } }).entries,
      ).toHaveLength(1)
  } finally {
    await sso.close()
  }
})

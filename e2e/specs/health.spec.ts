import { canary } from '../../test/fixtures/canary'
import { startSts } from '../../test/fixtures/sts'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

// A real runner process, real SigV4 signatures, several axe passes on a busy two-core machine.
test.describe.configure({ timeout: 150_000 })

test('Health: an AWS connection verified against a local STS shows its identity; a broken secret shows "Authentication failed" and its remedy', async ({
  page,
}, testInfo) => {
  // The STS checks each request's SigV4 signature with the secret it knows (test/fixtures/sts.ts).
  const key = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '210987654321',
    arn: 'arn:aws:iam::210987654321:user/deploy-bot',
    userId: 'AIDAEXAMPLE000000007',
  }
  const sts = await startSts({ identities: [key] })
  try {
    const connections = new ConnectionsPage(page)
    await new VaultScreens(page).createWithKeychain()
    await connections.createAws('Deploy bot', key, { sts: sts.url })
    const health = page.getByRole('region', { name: 'Health' })
    await expect(health).toContainText('Not verified yet')

    // Just saved: Verify now is the next step. A verify is a use: refused until the connection
    // is authorized for an environment.
    await health.getByRole('button', { name: 'Verify now', exact: true }).click()
    await expect(health.getByRole('alert')).toContainText(
      'Deploy bot is not authorized for any environment',
    )
    const authorized = page.getByRole('region', { name: 'Authorized for' })
    await authorized.getByRole('checkbox', { name: 'development' }).check()
    await authorized.getByRole('button', { name: 'Save authorizations' }).click()
    await expect(authorized.getByRole('button', { name: 'Save authorizations' })).toHaveCount(0)

    // Verified through the runner (started on demand) with the AWS SDK: the identity STS proved.
    await health.getByRole('button', { name: /^Verify( now)?$/ }).click()
    await expect(health.getByRole('status')).toContainText('Healthy', { timeout: 30_000 })
    await expect(health.getByTestId('health-identity')).toHaveText(key.arn)
    await expect(health).toContainText('210987654321')
    await expect(health).toContainText(/just now in development, secret version 1, \d+ ms/)
    // Checked by the app's own runner: the connection names no other.
    await expect(health.getByTestId('health-checked-by')).toHaveText(', checked by local')
    await expect(health.getByRole('combobox', { name: 'Scheduled checks' })).toHaveValue('360')
    expect(sts.calls).toEqual([{ action: 'GetCallerIdentity', accessKeyId: key.accessKeyId }])
    await saveScreenshot(page, testInfo, 'light-health-verified')
    await expectAccessible(page, 'connection details, verified')

    // The list: a status dot with words, and when it was verified.
    await connections.gotoList()
    await expect(connections.row('Deploy bot')).toContainText('Healthy')
    await expect(connections.row('Deploy bot')).toContainText('Verified just now')
    await expect(new AppShell(page).link('Connections')).toHaveAccessibleName('Connections')
    await saveScreenshot(page, testInfo, 'light-health-list')

    // Break the secret: a new version STS does not know. The check says what is wrong and what
    // to do, in the words AWS users know.
    await connections.row('Deploy bot').click()
    const wrong = canary.awsSecret()
    await connections.rotate([{ label: 'Secret access key', value: wrong }])
    await health.getByRole('button', { name: 'Verify', exact: true }).click()
    await expect(health.getByRole('status')).toContainText('Failing', { timeout: 30_000 })
    const problem = health.getByTestId('health-error')
    await expect(problem).toContainText(/^Authentication failed: /)
    await expect(problem).toContainText(/secret access key/i)
    await expect(health).toContainText('secret version 2')
    await expect(health.getByTestId('health-identity')).toHaveCount(0)
    // The sidebar counts it beside Connections; no toast repeats what the page says.
    const sidebarLink = new AppShell(page).link('Connections')
    await expect(sidebarLink).toHaveAccessibleName('Connections 1 failing connection')
    await expect(page.getByTestId('toast')).toHaveCount(0)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await saveScreenshot(page, testInfo, `${colorScheme}-health-authentication-failed`)
      await expectAccessible(page, `connection details, failing (${colorScheme})`)
    }

    // Verify all from the list, with progress to the end; the failing one is counted.
    await connections.gotoList()
    await expect(connections.row('Deploy bot')).toContainText('Failing')
    await page.getByRole('button', { name: 'Verify all' }).click()
    const run = page.getByRole('region', { name: 'Verify all' })
    await expect(run.getByRole('status')).toHaveText('Verified 1 connection', { timeout: 30_000 })
    await expect(run).toContainText('0 healthy · 1 failing · 0 skipped')
    await saveScreenshot(page, testInfo, 'dark-health-verify-all')
    await expectAccessible(page, 'connections list after Verify all (dark)')
    await run.getByRole('button', { name: 'Dismiss' }).click()
    await expect(run).toHaveCount(0)

    // Neither secret ever reached the page.
    const html = await page.content()
    for (const secret of [key.secretAccessKey, wrong]) expect(html).not.toContain(secret)
  } finally {
    await sts.close()
  }
})

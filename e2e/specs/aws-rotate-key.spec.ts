import { expect, expectAccessible, saveScreenshot } from '../fixtures/app'
import { test } from '../fixtures/aws-account'
import { ConnectionsPage } from '../pages/connections.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

// A real runner process, real SigV4 signatures at a loopback IAM and STS, on a two-core machine.
test.describe.configure({ timeout: 150_000 })

test('Rotate: "Create a new key in AWS" creates the next key in IAM, stores and verifies it, deactivates the old one, audited', async ({
  page,
  app,
  awsAccount,
}, testInfo) => {
  const { old, user, sts, iam } = awsAccount
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.createAws('Deploy bot', old, { sts: sts.url, iam: iam.url })
  await expect(connections.secretVersion()).toContainText('1')

  await page.getByRole('button', { name: 'Rotate' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toHaveAccessibleName(/^Rotate/)
  await dialog.getByRole('button', { name: 'Create a new key in AWS' }).click()
  const created = () => user.keys[1]!
  // Created, stored, verified and the old key deactivated: said in a toast, and the dialog stays
  // open with what is left to do (delete the old key), though nobody holds a share to re-send to.
  // The connection's "was saved" toast may still be up: pick the rotation's.
  const toast = page.getByTestId('toast').filter({ hasText: 'has a new key' })
  await expect(toast).toContainText(/has a new key \(AKIA\w+\), now version 2\./, {
    timeout: 60_000,
  })
  await expect(toast).toContainText(created().accessKeyId)
  await expect(dialog).toHaveAccessibleName('New key for “Deploy bot”')
  const note = dialog.getByTestId('aws-key-note')
  await expect(note).toContainText(`The old key ${old.accessKeyId} is inactive, not deleted`)
  await expect(note.getByRole('status')).not.toContainText('Not finished')
  await expect(note.getByLabel('aws CLI command')).toHaveText(
    `aws iam delete-access-key --user-name deploy-bot --access-key-id ${old.accessKeyId}`,
  )
  await saveScreenshot(page, testInfo, 'light-aws-key-created-note')
  await expectAccessible(page, 'rotate dialog, what is left to do with the old key')
  await dialog.getByRole('button', { name: 'Done' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(connections.secretVersion()).toContainText('2')
  await expect(page.getByRole('region', { name: 'Secrets' })).toContainText(created().accessKeyId)
  await saveScreenshot(page, testInfo, 'light-aws-key-created')
  await expectAccessible(page, 'connection details, new AWS key created')

  // At the fixture: the key was created with the old key, proven with STS, and only then the
  // old one deactivated (not deleted).
  // The new key's verify also asks IAM's policy simulator about the capabilities' actions,
  // with the new key itself; those calls are checked apart.
  const simulated = iam.calls.filter((call) => call.action === 'SimulatePrincipalPolicy')
  expect(simulated.map((call) => call.accessKeyId)).toEqual(
    simulated.map(() => created().accessKeyId),
  )
  const keyCalls = iam.calls.filter((call) => call.action !== 'SimulatePrincipalPolicy')
  expect(keyCalls.map((call) => [call.action, call.accessKeyId])).toEqual([
    ['GetUser', old.accessKeyId],
    ['CreateAccessKey', old.accessKeyId],
    // The deactivate step names its own user again before it touches the old key.
    ['GetUser', old.accessKeyId],
    ['UpdateAccessKey', old.accessKeyId],
  ])
  expect(old.inactive).toBe(true)
  expect(created().inactive).toBeFalsy()
  expect(sts.calls).toContainEqual({
    action: 'GetCallerIdentity',
    accessKeyId: created().accessKeyId,
  })
  // In the vault: the new key is the connection's current secret version.
  const stored = app.services!.connections.list().find((c) => c.name === 'Deploy bot')!
  expect(app.services!.connections.storedSecrets(stored.id)).toMatchObject({
    version: 2,
    secrets: {
      access_key_id: created().accessKeyId,
      secret_access_key: created().secretAccessKey,
    },
  })

  await new AppShell(page).open('Audit')
  await page.getByRole('combobox', { name: 'Action' }).selectOption('connection.rotate')
  const entry = page.getByTestId('audit-entry')
  await expect(entry).toHaveCount(1)
  await expect(entry).toContainText('Deploy bot')
  await expect(entry).toContainText('Secret version 2')
  await saveScreenshot(page, testInfo, 'light-aws-key-audit')

  // Neither key's secret ever reached the page.
  const html = await page.content()
  for (const secret of [old.secretAccessKey, created().secretAccessKey])
    expect(html).not.toContain(secret)
})

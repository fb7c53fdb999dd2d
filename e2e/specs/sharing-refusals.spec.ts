import { secrets } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { createVault, passphraseShare, SHARE_PASSPHRASE } from '../fixtures/sharing'
import { SharingPage } from '../pages/sharing.page'

test('refuses a pasted share that was tampered with, and changes nothing', async ({
  app,
  page,
  host,
}, testInfo) => {
  test.skip(host !== 'browser', 'The share is made by main-side services in the test process.')
  const made = await passphraseShare(page, app.services!, ['development'])
  // One character of the encrypted payload changed (a full line near the end of the armor).
  const lines = made.armored.split('\n')
  const at = lines.length - 4
  const body = lines[at]!
  lines[at] = `${body.slice(0, 10)}${body[10] === 'A' ? 'B' : 'A'}${body.slice(11)}`
  const sharing = new SharingPage(page)
  await sharing.open()
  await sharing.openPasted(lines.join('\n'), SHARE_PASSPHRASE)
  await expect(sharing.importArea.getByTestId('error-notice')).toContainText(
    /damaged or was altered|signature does not match/,
  )
  expect(app.services!.connections.list()).toHaveLength(1)
  await saveScreenshot(page, testInfo, 'sharing-import-refused')
  await expectAccessible(page, 'Refused import')
})

test('asks before a share grants a protected environment, with main’s own words', async ({
  app,
  page,
  host,
}, testInfo) => {
  test.skip(host !== 'browser', 'The share is made by main-side services in the test process.')
  // Scoped to production, which is protected: importing it must not authorize it silently.
  const made = await passphraseShare(page, app.services!, ['production'])
  const sharing = new SharingPage(page)
  await sharing.open()
  await sharing.openPasted(made.armored, SHARE_PASSPHRASE)
  const preview = page.getByTestId('import-preview')
  await expect(preview).toContainText('production (protected)')
  // A GitHub token reaches the recipient's tools as it is: the preview says so.
  await expect(preview.getByTestId('exposed-secrets-notice')).toContainText(
    'Use-only cannot hide these secrets: your tools receive them as they are.',
  )
  await expect(preview.getByTestId('exposed-secrets-notice')).toContainText('gh — the token itself')
  await saveScreenshot(page, testInfo, 'sharing-import-exposed-secrets')
  await preview.getByRole('button', { name: 'Import 1 connection' }).click()

  const confirm = page.getByRole('alertdialog', { name: 'Change a protected environment?' })
  await expect(confirm).toContainText(/production: grant gh \(.+\)/)
  await saveScreenshot(page, testInfo, 'sharing-import-protected-confirm')
  await expectAccessible(page, 'Protected environment confirmation')
  // Declining imports nothing.
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await expect(confirm).toHaveCount(0)
  expect(app.services!.connections.list()).toHaveLength(1)

  await preview.getByRole('button', { name: 'Import 1 connection' }).click()
  await confirm.getByRole('button', { name: 'Apply to protected environments' }).click()
  const result = page.getByTestId('import-result')
  await expect(result).toContainText('Authorized for production')
  expect(app.services!.connections.list()).toHaveLength(2)
})

/**
 * Before a use-only share is made, the dialog names the secrets use-only cannot hide (a GitHub
 * token reaches the recipient's tools as it is); with the sender's policy on, it says the share
 * will be refused, and main refuses it.
 */
test('says which secrets use-only cannot hide; the sender’s policy refuses such a share', async ({
  app,
  page,
  host,
}, testInfo) => {
  test.skip(host !== 'browser', 'The connection is made by main-side services in the test process.')
  await createVault(page)
  app.services!.connections.create({
    name: 'gh',
    provider: 'github',
    authMode: 'inline',
    values: { token: secrets.ghClassic },
  })
  await app.services!.sharing.setName({ name: 'Alice' })
  const sharing = new SharingPage(page)
  await sharing.open()
  const dialog = page.getByRole('dialog', { name: 'Share connections' })
  const notice = dialog.getByTestId('exposed-secrets-notice')
  await page.getByRole('button', { name: 'Share connections…' }).click()
  await dialog.getByRole('checkbox', { name: /^gh/ }).check()
  await expect(notice).toContainText(
    'Use-only cannot hide these secrets: the recipient’s tools receive them as they are.',
  )
  await expect(notice).toContainText('gh — the token itself')
  await expect(notice).not.toContainText('will be refused')
  await notice.scrollIntoViewIfNeeded()
  await saveScreenshot(page, testInfo, 'sharing-exposed-secrets-notice')
  await expectAccessible(page, 'Share dialog, secrets use-only cannot hide')
  // A full copy hides nothing by design: no use-only notice.
  await dialog.getByRole('checkbox', { name: /Use-only/ }).uncheck()
  await expect(notice).toHaveCount(0)
  await page.keyboard.press('Escape')

  const policy = page.getByRole('checkbox', {
    name: 'Refuse use-only shares of secrets that tools receive as they are',
  })
  await expect(policy).not.toBeChecked()
  await policy.check()
  await expect.poll(() => app.services!.settings.get().refuseExposedUseOnly).toBe(true)
  await page.getByRole('button', { name: 'Share connections…' }).click()
  await dialog.getByRole('checkbox', { name: /^gh/ }).check()
  await expect(notice).toContainText('this share will be refused')
  await dialog.getByRole('checkbox', { name: 'development' }).check()
  await dialog.getByRole('button', { name: 'Generate one' }).click()
  await dialog.getByRole('button', { name: 'Create share' }).click()
  await expect(dialog.getByTestId('error-notice')).toContainText(
    'Your settings refuse this use-only share',
  )
  await notice.scrollIntoViewIfNeeded()
  await saveScreenshot(page, testInfo, 'sharing-exposed-secrets-refused')
  expect(app.services!.sharing.shares()).toEqual([])
})

/**
 * A shared ECR registry borrows an AWS connection by slug, which names one of the sender's: the
 * preview asks which of the recipient's AWS connections it uses, and Import waits for the answer.
 */
test('asks which of your connections a shared registry borrows', async ({ app, page, host }) => {
  test.skip(host !== 'browser', 'The share is made by main-side services in the test process.')
  await createVault(page)
  const services = app.services!
  const aws = (name: string, id: string) =>
    services.connections.create({
      name,
      provider: 'aws',
      authMode: 'inline',
      values: {
        access_key_id: id,
        secret_access_key: secrets.secretAccessKey,
        default_region: 'eu-west-1',
      },
    })
  aws('ops-admin', 'AKIAADMINADMINADMIN1')
  aws('ops-dev', 'AKIADEVDEVDEVDEVDEV1')
  const registry = services.connections.create({
    name: 'Team registry',
    provider: 'ecr',
    authMode: 'inline',
    values: { region: 'eu-west-1', account_id: '210987654321', aws_connection: 'ops-admin' },
  })
  const made = await services.sharing.export({
    connectionIds: [registry.id],
    to: { kind: 'passphrase', passphrase: SHARE_PASSPHRASE },
    environments: ['development'],
    useOnly: false,
  })
  const sharing = new SharingPage(page)
  await sharing.open()
  await sharing.openPasted(made.armored, SHARE_PASSPHRASE)
  const preview = page.getByTestId('import-preview')
  const borrow = preview.getByLabel(
    /Team registry uses the credentials of a .+ connection \(the sender's is ops-admin\): which of yours\?/,
  )
  await expect(borrow).toBeVisible()
  const importButton = preview.getByRole('button', { name: 'Import 1 connection' })
  await expect(importButton).toBeDisabled()
  await borrow.selectOption('ops-dev')
  await importButton.click()
  await expect(page.getByTestId('import-result')).toContainText('Imported')
  const imported = services.connections.list().filter((c) => c.provider === 'ecr')
  expect(imported).toHaveLength(2)
  const copy = imported.find((c) => c.id !== registry.id)!
  expect(services.connections.get(copy.id).config.aws_connection).toBe('ops-dev')
  await expectAccessible(page, 'Import preview with a borrowed connection')
})

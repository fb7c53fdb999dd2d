import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { secrets } from '../../test/fixtures/provider-values'
import { startSts } from '../../test/fixtures/sts'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { bridgekeep } from '../fixtures/cli'
import {
  createVault,
  passphraseShare,
  SHARE_PASSPHRASE,
  teammateAddress,
} from '../fixtures/sharing'
import { launchBrowserHost } from '../hosts/browser-host'
import { ConnectionsPage } from '../pages/connections.page'
import { SharingPage } from '../pages/sharing.page'
import { E2E_KEYCHAIN_SERVICE } from '../paths'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** `bridgekeep` over Bob's data folder, as Bob runs it in a terminal (his app's agent answers). */
function bobCli(bobDir: string, args: string[]) {
  return bridgekeep(bobDir, args, {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    BRIDGEKEEP_KEYCHAIN_SERVICE: E2E_KEYCHAIN_SERVICE,
  })
}

type Host = Awaited<ReturnType<typeof launchBrowserHost>>

/** Bob: a second vault in a second window (its own data folder and services), removed after. */
async function withBob(
  browser: Parameters<typeof launchBrowserHost>[0],
  origin: string,
  run: (bob: Host, bobDir: string) => Promise<void>,
): Promise<void> {
  const bobDir = mkdtempSync(join(tmpdir(), 'bridgekeep-e2e-bob-'))
  const bob = await launchBrowserHost(browser, origin, bobDir)
  try {
    await createVault(bob.page)
    await run(bob, bobDir)
  } finally {
    await bob.close()
    rmSync(bobDir, { recursive: true, force: true })
  }
}

/**
 * Alice (the test's app) shares a connection use-only with Bob (a second vault in a second
 * window, its own data folder and services). Bob imports it, sees it use-only, cannot reveal it,
 * and resolution hands it to tools in the share's scope. Alice revokes, and is sent to rotate.
 * Two vaults need the browser host, where main's services run in the test process.
 */
test('shares a connection use-only with a contact, who imports it into a second vault', async ({
  app,
  page,
  host,
  chromiumBrowser,
  rendererServer,
}, testInfo) => {
  test.skip(host !== 'browser', 'Two vaults side by side need the browser host.')
  // Two vaults, an exec, a revoke and a rotation: more than the default allowance.
  test.setTimeout(150_000)
  // Where Bob's tools get their session: a use-only connection's tools never get Alice's key.
  const sts = await startSts({
    identities: [
      {
        accessKeyId: secrets.accessKeyId,
        secretAccessKey: secrets.secretAccessKey,
        account: '123456789012',
        arn: 'arn:aws:iam::123456789012:user/alice',
        userId: 'AIDAEXAMPLEUSERID0004',
      },
    ],
  })
  await withBob(chromiumBrowser, rendererServer.origin, async (bob, bobDir) => {
    // Both create their vaults.
    await createVault(page)

    // Alice has a connection, authorized for staging.
    const created = app.services!.connections.create({
      name: 'prod-aws',
      provider: 'aws',
      authMode: 'inline',
      values: {
        access_key_id: secrets.accessKeyId,
        secret_access_key: secrets.secretAccessKey,
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
      },
    })
    const aliceEnvs = app.services!.environments.list()
    app.services!.authorizations.applyChanges({
      grants: [
        {
          connectionId: created.id,
          environmentId: aliceEnvs.find((e) => e.name === 'staging')!.id,
        },
      ],
    })
    await app.services!.sharing.setName({ name: 'Alice' })

    // Bob reads his share address off his Sharing page and sends it to Alice.
    const bobSharing = new SharingPage(bob.page)
    await bobSharing.open()
    const bobAddress = (await bobSharing.address.innerText()).trim()
    const bobFingerprint = (await bobSharing.fingerprint.innerText()).trim()
    await saveScreenshot(bob.page, testInfo, 'sharing-identity')
    await expectAccessible(bob.page, 'Sharing page')

    // Alice adds Bob and verifies his fingerprint.
    const aliceSharing = new SharingPage(page)
    await aliceSharing.open()
    const aliceFingerprint = (await aliceSharing.fingerprint.innerText()).trim()
    await aliceSharing.addContact('Bob', bobAddress)
    const row = aliceSharing.contactRow('Bob')
    await expect(row).toContainText(bobFingerprint)
    await expect(row).toContainText('Not yet verified')
    await row.getByRole('button', { name: 'Verify Bob' }).click()
    const verify = page.getByRole('alertdialog', { name: 'Verify “Bob”' })
    await expect(verify.getByTestId('contact-fingerprint')).toHaveText(bobFingerprint)
    await verify.getByRole('button', { name: 'The fingerprints match' }).click()
    await expect(row).toContainText('Verified')

    // Alice shares the connection from its page: to Bob, staging, use-only (the defaults).
    await page.evaluate((id) => {
      window.location.hash = `#/connections/${id}`
    }, created.id)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('prod-aws')
    await page.getByRole('button', { name: 'Share', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Share connections' })
    await dialog.getByRole('checkbox', { name: /^Bob/ }).check()
    await expect(dialog.getByRole('checkbox', { name: 'staging' })).toBeChecked()
    await expect(dialog.getByRole('checkbox', { name: /Use-only/ })).toBeChecked()
    await expect(dialog.getByLabel('Expires after')).toHaveValue('7')
    await saveScreenshot(page, testInfo, 'sharing-share-dialog')
    await expectAccessible(page, 'Share dialog')
    await dialog.getByRole('button', { name: 'Create share' }).click()
    const ready = page.getByRole('dialog', { name: 'Share ready' })
    await expect(ready.getByTestId('share-armored')).toHaveValue(
      /^-----BEGIN AGE ENCRYPTED FILE-----/,
    )
    const downloading = page.waitForEvent('download')
    await ready
      .getByRole('button', { name: /^Download bridgekeep-prod-aws-\d{8}\.bkshare$/ })
      .click()
    const download = await downloading
    const file = join(bobDir, download.suggestedFilename())
    await download.saveAs(file)
    expect(readFileSync(file).subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1')
    expect(readFileSync(file).toString('latin1')).not.toContain(secrets.secretAccessKey)
    await saveScreenshot(page, testInfo, 'sharing-share-ready')
    await ready.getByRole('button', { name: 'Done' }).click()

    // Bob opens the file: Alice is unknown to him, so he compares her fingerprint and trusts.
    await bobSharing.importArea.getByTestId('share-file-input').setInputFiles(file)
    const preview = bob.page.getByTestId('import-preview')
    await expect(preview.getByTestId('sender-notice')).toContainText('Unknown sender')
    await expect(preview.getByTestId('sender-fingerprint')).toHaveText(`(${aliceFingerprint})`)
    await expect(preview).toContainText('use-only')
    await expect(preview.getByTestId('preview-connection')).toContainText('prod-aws')
    await saveScreenshot(bob.page, testInfo, 'sharing-import-preview')
    await expectAccessible(bob.page, 'Import preview')
    const importButton = preview.getByRole('button', { name: 'Import 1 connection' })
    await expect(importButton).toBeDisabled()
    await preview.getByRole('checkbox', { name: /I compared the fingerprint/ }).check()
    await importButton.click()
    const result = bob.page.getByTestId('import-result')
    await expect(result).toContainText('Imported from Alice: prod-aws')
    await expect(result).toContainText('Authorized for staging')
    await expect(bobSharing.contactRow('Alice')).toContainText('Not yet verified')

    // The imported connection is use-only: no reveal, no copy, and main refuses them anyway.
    await result.getByRole('link', { name: 'prod-aws' }).click()
    await expect(bob.page.getByRole('heading', { level: 1 })).toHaveText('prod-aws')
    const panel = bob.page.getByTestId('use-only-panel')
    await expect(panel).toContainText(/Shared by\s*Alice/)
    await expect(panel).toContainText('What it does not do')
    await expect(bob.page.getByRole('button', { name: /^Reveal/ })).toHaveCount(0)
    // The secrets offer no copy; the Use it panel's snippets (commands, no secret) stay copyable.
    const secretsPanel = bob.page.getByRole('region', { name: 'Secrets' })
    await expect(secretsPanel).toContainText('Secret access key')
    await expect(secretsPanel.getByRole('button', { name: /^Copy/ })).toHaveCount(0)
    await expect(bob.page.getByRole('button', { name: /^Copy secret/i })).toHaveCount(0)
    await expect(bob.page.getByRole('button', { name: 'Copy run a command with it' })).toBeVisible()
    await expect(bob.page.getByRole('button', { name: 'Share', exact: true })).toHaveCount(0)
    const imported = bob.services!.connections.list()[0]!
    const refused = await bob.page.evaluate(
      (id) => window.bridgekeep.connections.reveal({ id, field: 'secret_access_key' }),
      imported.id,
    )
    expect(refused).toMatchObject({ ok: false, error: { code: 'USE_ONLY' } })
    expect(await bob.page.content()).not.toContain(secrets.secretAccessKey)
    await saveScreenshot(bob.page, testInfo, 'sharing-use-only-details')
    await expectAccessible(bob.page, 'Use-only connection')

    // The list marks it too.
    const list = new ConnectionsPage(bob.page)
    await list.gotoList()
    await expect(list.rows.filter({ hasText: 'prod-aws' })).toContainText('use-only')

    // Tools get it in staging (resolution), with Alice's secret; not in production.
    const resolved = bob.services!.resolution.resolve('aws', 'staging')
    expect(resolved.connection.id).toBe(imported.id)
    expect(bob.services!.connections.secretsFor(imported.id).secrets.secret_access_key).toBe(
      secrets.secretAccessKey,
    )
    expect(() => bob.services!.resolution.resolve('aws', 'production')).toThrow(
      /No connection available/,
    )

    // Bob uses it from a terminal: `bridgekeep exec` hands the tool an STS session issued from
    // Alice's key in staging, never the key (the tool prints only a hash of what it got), and
    // refuses production with resolution's words.
    if (process.env.BRIDGEKEEP_SECRET_SERVICE === 'private') {
      const printHash =
        "process.stdout.write(require('node:crypto').createHash('sha256').update(process.env.AWS_SECRET_ACCESS_KEY ?? '').digest('hex'))"
      const used = await bobCli(bobDir, [
        'exec',
        'prod-aws',
        '--env',
        'staging',
        '--',
        process.execPath,
        '-e',
        printHash,
      ])
      expect(used.stderr).toBe('')
      expect(used.code).toBe(0)
      expect(sts.calls).toEqual([{ action: 'GetSessionToken', accessKeyId: secrets.accessKeyId }])
      expect(used.stdout).toBe(sha256(sts.issued.at(-1)!.secretAccessKey))
      expect(used.stdout).not.toBe(sha256(secrets.secretAccessKey))
      const outside = await bobCli(bobDir, [
        'exec',
        'prod-aws',
        '--env',
        'production',
        '--',
        'true',
      ])
      expect(outside.code).toBe(1)
      expect(outside.stderr).toContain('Alice shared it for staging only')
      const shown = await bobCli(bobDir, ['show', 'prod-aws'])
      expect(shown.code).toBe(0)
      expect(shown.stdout).toContain('prod-aws')
      for (const output of [used, outside, shown]) {
        expect(`${output.stdout}${output.stderr}`).not.toContain(secrets.secretAccessKey)
      }
      // Bob's trail, newest first: the refusal, then the use in staging.
      const execs = bob.services!.audit.query({ filter: { actions: ['exec'] }, limit: 20 }).entries
      expect(execs).toMatchObject([
        { outcome: 'failure', targetName: 'prod-aws', environmentName: 'production' },
        { outcome: 'success', targetName: 'prod-aws', environmentName: 'staging' },
      ])
    }

    // Alice revokes: told the truth, then sent to rotate the secret.
    await aliceSharing.open()
    const share = aliceSharing.shares.getByTestId('share-row')
    await expect(share).toHaveAttribute('data-status', 'outstanding')
    await expect(share).toContainText('Bob')
    await share.getByRole('button', { name: /^Revoke/ }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Revoke this share?' })
    await expect(confirm).toContainText('cannot recall a share already delivered')
    await confirm.getByRole('button', { name: 'Mark revoked, then rotate' }).click()
    const rotate = page.getByRole('dialog', { name: 'Rotate “prod-aws”' })
    await expect(rotate).toBeVisible()
    // An AWS access key can also be rotated in AWS itself, from here.
    await expect(rotate.getByRole('button', { name: 'Create a new key in AWS' })).toBeVisible()
    await saveScreenshot(page, testInfo, 'sharing-revoke-rotate')
    // The new secret: with no live share left, there is nobody to re-send it to, and the dialog
    // closes; the list shows Bob still holds version 1.
    await rotate.getByLabel(/^Secret access key/).fill('n'.repeat(40))
    await rotate.getByRole('button', { name: 'Write new version' }).click()
    await expect(rotate).toBeHidden()
    await expect(share).toHaveAttribute('data-status', 'revoked')
    const holding = page.getByTestId('holding-row')
    await expect(holding).toContainText('Bob')
    await expect(holding).toContainText('version 1')
    await expect(holding).toContainText('current is 2')
    // Bob's only share is revoked: a re-send would not reach him.
    await expect(holding.getByRole('button', { name: /^Re-send/ })).toHaveCount(0)
    await saveScreenshot(page, testInfo, 'sharing-shares-list')
    await expectAccessible(page, 'Shares list')
  })
  // On a failure the worker ends, and the endpoint with it.
  await sts.close()
})

/**
 * A new user's first share, all in the dialog: no contacts yet, so a passphrase is offered; a
 * teammate's address pasted there becomes a contact and the chosen recipient; the name on shares
 * is asked once (not the OS user's); a generated passphrase is rated, and the share it makes
 * opens in a second vault through the one "Open share file…".
 */
test('the first share: name asked, contact added in the dialog, a passphrase share opened elsewhere', async ({
  app,
  page,
  host,
  chromiumBrowser,
  rendererServer,
}, testInfo) => {
  test.skip(host !== 'browser', 'Two vaults side by side need the browser host.')
  test.setTimeout(90_000)
  await withBob(chromiumBrowser, rendererServer.origin, async (bob, bobDir) => {
    await createVault(page)
    app.services!.connections.create({
      name: 'gh',
      provider: 'github',
      authMode: 'inline',
      values: { token: secrets.ghClassic },
    })
    expect((await app.services!.sharing.identity()).nameChosen).toBe(false)

    const sharing = new SharingPage(page)
    await sharing.open()
    // One way in for a share: a single "Open share file…", no other Open button on the page.
    await expect(page.getByRole('button', { name: /^Open/ })).toHaveText(['Open share file…'])
    await page.getByRole('button', { name: 'Share connections…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Share connections' })
    await dialog.getByRole('checkbox', { name: /^gh/ }).check()
    // No contacts: a passphrase is what is offered.
    await expect(dialog.getByRole('radio', { name: 'Anyone with a passphrase' })).toBeChecked()
    await expect(dialog.getByLabel('Your name, as recipients will see it')).toBeVisible()

    // A teammate's address pasted in the dialog: checked like the Contacts panel does.
    await dialog.getByRole('radio', { name: 'Contacts' }).check()
    const add = dialog.getByRole('group', { name: 'Add a contact' })
    await add.getByLabel('Name').fill('Carol')
    await add.getByLabel('Share address').fill('bkshare1:not-an-address')
    await add.getByRole('button', { name: 'Add contact' }).click()
    await expect(add.getByLabel('Share address')).toHaveAttribute('aria-invalid', 'true')
    await add.getByLabel('Share address').fill(await teammateAddress())
    await add.getByLabel('Share address').press('Enter')
    await expect(dialog.getByRole('checkbox', { name: /^Carol/ })).toBeChecked()
    expect(app.services!.sharing.contacts().map((c) => c.name)).toEqual(['Carol'])
    await expect(dialog.getByRole('dialog')).toHaveCount(0)

    // Back to a passphrase: a weak one is refused by its field, a generated one is strong.
    await dialog.getByRole('radio', { name: 'Anyone with a passphrase' }).check()
    await dialog.getByLabel('Passphrase', { exact: true }).fill('password1234')
    await dialog.getByRole('button', { name: 'Create share' }).click()
    await expect(dialog.getByLabel('Passphrase', { exact: true })).toHaveAttribute(
      'aria-invalid',
      'true',
    )
    // The name is required before the first share.
    await expect(dialog.getByLabel('Your name, as recipients will see it')).toHaveAttribute(
      'aria-invalid',
      'true',
    )
    await dialog.getByRole('button', { name: 'Generate one' }).click()
    const generated = dialog.getByTestId('generated-passphrase').getByRole('code')
    await expect(generated).toHaveText(/^[2-9b-df-hj-np-tv-xz]{4}(-[2-9b-df-hj-np-tv-xz]{4}){4}$/)
    const passphrase = (await generated.innerText()).trim()
    await expect(dialog.locator('#share-passphrase-strength')).toHaveText(
      /^Strength: (Strong|Good)/,
    )
    await expect(dialog).toContainText('Send the passphrase another way than the file')
    // A notice raised inside the dialog sits beside it, never over its fields or buttons.
    await dialog.getByRole('button', { name: 'Copy passphrase' }).click()
    const notice = page.getByTestId('toast').first()
    await expect(notice).toBeVisible()
    expectApart((await notice.boundingBox())!, (await dialog.boundingBox())!)
    await dialog.getByLabel('Your name, as recipients will see it').fill('Dana (ops)')
    await dialog.getByRole('checkbox', { name: 'development' }).check()
    await expect(dialog.getByRole('alert')).toHaveCount(0)
    await saveScreenshot(page, testInfo, 'light-sharing-first-share')
    await expectAccessible(page, 'Share dialog, first share')
    await page.emulateMedia({ colorScheme: 'dark' })
    await saveScreenshot(page, testInfo, 'dark-sharing-first-share')
    await expectAccessible(page, 'Share dialog, first share (dark)')
    await page.emulateMedia({ colorScheme: 'light' })
    await dialog.getByRole('button', { name: 'Create share' }).click()

    const ready = page.getByRole('dialog', { name: 'Share ready' })
    const downloading = page.waitForEvent('download')
    await ready.getByRole('button', { name: /^Download / }).click()
    const file = join(bobDir, (await downloading).suggestedFilename())
    await (await downloading).saveAs(file)
    await ready.getByRole('button', { name: 'Done' }).click()
    // Saved to the identity: not asked again.
    expect(await app.services!.sharing.identity()).toMatchObject({
      name: 'Dana (ops)',
      nameChosen: true,
    })
    await page.getByRole('button', { name: 'Share connections…' }).click()
    await expect(dialog.getByLabel('Your name, as recipients will see it')).toHaveCount(0)
    await page.keyboard.press('Escape')

    // Bob opens it with the one button, gives the passphrase, and sees who sent it.
    const bobSharing = new SharingPage(bob.page)
    await bobSharing.open()
    await bobSharing.openFile(file)
    await bobSharing.unlock(passphrase)
    const preview = bob.page.getByTestId('import-preview')
    await expect(preview).toContainText('Dana (ops)')
    await preview.getByRole('checkbox', { name: /I compared the fingerprint/ }).check()
    await preview.getByRole('button', { name: 'Import 1 connection' }).click()
    await expect(bob.page.getByTestId('import-result')).toContainText(
      'Imported from Dana (ops): gh',
    )
    await bob.page.emulateMedia({ colorScheme: 'dark' })
    await saveScreenshot(bob.page, testInfo, 'dark-sharing-page')
    await expectAccessible(bob.page, 'Sharing page (dark)')
    await bob.page.emulateMedia({ colorScheme: 'light' })
    await saveScreenshot(bob.page, testInfo, 'light-sharing-page')
  })
})

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

type Box = { x: number; y: number; width: number; height: number }

function expectApart(a: Box, b: Box): void {
  const apart =
    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y
  expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true)
}

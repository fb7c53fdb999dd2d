import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { secrets } from '../../test/fixtures/provider-values'
import { startSts } from '../../test/fixtures/sts'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { bobCli, createVault, withBob } from '../fixtures/sharing'
import { ConnectionsPage } from '../pages/connections.page'
import { SharingPage } from '../pages/sharing.page'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

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
    expect(bob.services!.connections.storedSecrets(imported.id).secrets.secret_access_key).toBe(
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

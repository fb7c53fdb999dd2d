import { serviceAccount, startGoogleToken } from '../../test/fixtures/google'
import { deployer, startSts } from '../../test/fixtures/sts'
import { inlineAwsConnection } from '../../test/services'
import { dismissNotifications, expect, expectAccessible, saveScreenshot } from '../fixtures/app'
import { withBob } from '../fixtures/sharing'
import { joinAsBob, test } from '../fixtures/teams'
import { TeamsPage } from '../pages/teams.page'

/**
 * A use-only member gets short-lived credentials from the app, against a real PostgreSQL: Ada
 * (admin, the app's vault) pushes `prod-aws` (at a loopback STS that checks SigV4) and `prod-gcp`
 * (a service-account key, at a loopback token endpoint that checks its signed assertion) for
 * development and runs the team runner in this process; Bob (use-only, a second vault in a
 * second window) asks from the Connections tab and sees the AWS session, then the GCP token,
 * once. Ada's keys never reach either page, and what Bob got leaves his page when the dialog
 * closes.
 */
test('team credentials: a use-only member asks the team runner', async ({
  ada,
  page,
  chromiumBrowser,
  rendererServer,
  teamServer: server,
}, testInfo) => {
  const user = deployer('AIDAEXAMPLEUSER000032')
  const account = serviceAccount()
  const [sts, google] = await Promise.all([
    startSts({ identities: [user] }),
    startGoogleToken({ accounts: [account] }),
  ])
  const stop = new AbortController()
  let serving: Promise<void> | undefined
  try {
    inlineAwsConnection(ada, user, sts.url)
    await ada.teamConnections.push('platform', 'prod-aws', { environments: ['development'] })
    ada.connections.create({
      name: 'prod-gcp',
      provider: 'gcp',
      authMode: 'inline',
      values: { service_account_key: account.keyFile, token_endpoint: google.tokenUrl },
    })
    await ada.teamConnections.push('platform', 'prod-gcp', { environments: ['development'] })
    let listening!: () => void
    const ready = new Promise<void>((resolve) => (listening = resolve))
    serving = ada.teamRunner.serve('platform', {
      signal: stop.signal,
      onListening: () => listening(),
    })
    await ready

    await withBob(chromiumBrowser, rendererServer.origin, async (bobHost) => {
      const bob = bobHost.services!
      await joinAsBob(ada, bob, server, 'use-only')

      const teams = new TeamsPage(bobHost.page)
      await teams.openTeam('platform')
      await teams.tab('Connections').click()
      await bobHost.page.getByRole('button', { name: 'Sync' }).click()
      await expect(bobHost.page.getByTestId('use-only-note')).toContainText('team runner')
      await bobHost.page.getByRole('button', { name: 'Get credentials for prod-aws…' }).click()
      const dialog = teams.dialog('Credentials for prod-aws')
      await expect(dialog.getByLabel('Environment')).toHaveValue('development')
      await expectAccessible(bobHost.page, 'Team credentials dialog')
      await dialog.getByRole('button', { name: 'Get credentials' }).click()
      const session = dialog.getByTestId('team-session')
      await expect(session).toContainText('AWS session issued by Ada’s team runner; expires')
      await expect(session).toContainText("export AWS_ACCESS_KEY_ID='ASIA")
      await expect(session).toContainText('Shown once, on purpose')
      const issued = sts.issued.at(-1)!
      await expect(session).toContainText(issued.secretAccessKey)
      await dismissNotifications(bobHost.page)
      for (const colorScheme of ['light', 'dark'] as const) {
        await bobHost.page.emulateMedia({ colorScheme })
        await saveScreenshot(bobHost.page, testInfo, `${colorScheme}-team-credentials`)
        await expectAccessible(bobHost.page, `Team credentials (${colorScheme})`)
      }
      await bobHost.page.emulateMedia({ colorScheme: 'light' })

      // Done: the session leaves the page; Ada's long-lived key was never in either.
      await dialog.getByRole('button', { name: 'Done' }).click()
      await expect(dialog).toHaveCount(0)
      expect(await bobHost.page.content()).not.toContain(issued.secretAccessKey)
      expect(await bobHost.page.content()).not.toContain(issued.sessionToken!)

      // A GCP connection: an access token, in the variables gcloud and Terraform read.
      await bobHost.page.getByRole('button', { name: 'Get credentials for prod-gcp…' }).click()
      const gcp = teams.dialog('Credentials for prod-gcp')
      await gcp.getByRole('button', { name: 'Get credentials' }).click()
      const token = gcp.getByTestId('team-session')
      await expect(token).toContainText('GCP access token issued by Ada’s team runner; expires')
      const [issuedToken] = [...google.issued.keys()]
      await expect(token).toContainText(`export CLOUDSDK_AUTH_ACCESS_TOKEN='${issuedToken}'`)
      await expect(token).toContainText(`export CLOUDSDK_CORE_PROJECT='${account.project}'`)
      await gcp.getByRole('button', { name: 'Done' }).click()
      await expect(gcp).toHaveCount(0)
      expect(await bobHost.page.content()).not.toContain(issuedToken)
      for (const html of [await page.content(), await bobHost.page.content()]) {
        expect(html).not.toContain(user.secretAccessKey)
        for (const line of account.secretLines) expect(html).not.toContain(line)
        for (const secret of server.passwords.values()) expect(html).not.toContain(secret)
      }
    })
  } finally {
    stop.abort()
    await serving
    await sts.close()
    await google.close()
  }
})

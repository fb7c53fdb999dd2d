import { deployer, startSts } from '../../test/fixtures/sts'
import { inlineAwsConnection } from '../../test/services'
import { TEAM_DATABASE } from '../../test/teams'
import { dismissNotifications, expect, expectAccessible, saveScreenshot } from '../fixtures/app'
import { createVault, withBob } from '../fixtures/sharing'
import { takeSeat, test } from '../fixtures/teams'
import { TeamsPage } from '../pages/teams.page'

/**
 * A use-only member gets short-lived AWS credentials from the app, against a real PostgreSQL:
 * Ada (admin, the app's vault) pushes `prod-aws` for development and runs the team runner in
 * this process, its connection at a loopback STS that checks SigV4; Bob (use-only, a second
 * vault in a second window) asks from the Connections tab and sees the session once. Ada's key
 * never reaches either page, and Bob's session leaves his page when the dialog closes.
 */
test('team credentials: a use-only member asks the team runner', async ({
  app,
  page,
  chromiumBrowser,
  rendererServer,
  teamServer: server,
}, testInfo) => {
  const user = deployer('AIDAEXAMPLEUSER000032')
  const sts = await startSts({ identities: [user] })
  const stop = new AbortController()
  let serving: Promise<void> | undefined
  try {
    await createVault(page)
    const ada = app.services!
    await takeSeat(ada, server, 'Ada', 'bk_owner')
    await ada.teams.init(TEAM_DATABASE, 'platform')
    inlineAwsConnection(ada, user, sts.url)
    await ada.teamConnections.push('platform', 'prod-aws', { environments: ['development'] })
    let listening!: () => void
    const ready = new Promise<void>((resolve) => (listening = resolve))
    serving = ada.teamRunner.serve('platform', {
      signal: stop.signal,
      onListening: () => listening(),
    })
    await ready

    await withBob(chromiumBrowser, rendererServer.origin, async (bobHost) => {
      const bob = bobHost.services!
      await takeSeat(bob, server, 'Bob', 'bob_login')
      const { address } = await bob.sharing.identity()
      await ada.teams.invite('platform', address, 'use-only', 'Bob', 'bob_login')
      await bob.teams.join(TEAM_DATABASE, 'platform', (await ada.sharing.identity()).fingerprint)

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
      await expect(session).toContainText('Issued by Ada’s team runner; expires')
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
      for (const html of [await page.content(), await bobHost.page.content()]) {
        expect(html).not.toContain(user.secretAccessKey)
        for (const secret of server.passwords.values()) expect(html).not.toContain(secret)
      }
    })
  } finally {
    stop.abort()
    await serving
    await sts.close()
  }
})

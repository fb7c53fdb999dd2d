import { dismissNotifications, expect, expectAccessible, saveScreenshot } from '../fixtures/app'
import { withBob } from '../fixtures/sharing'
import { appDb, joinAsBob, test } from '../fixtures/teams'
import { TeamsPage } from '../pages/teams.page'

/**
 * Team connections from the app, against a real PostgreSQL: Ada (admin) pushes a connection
 * from the Connections tab, Bob (member, a second vault in a second window) sees it without
 * pressing Sync (the app watches each joined team), Ada denies an environment in the team's
 * matrix and Bob's page shows it change by itself within seconds; then Bob, made an
 * admin, pushes his own version and Ada's push over it is refused, the other version shown. The
 * connection's password never reaches either page.
 */
test('team connections: push, sync, the matrix, and a conflict shown', async ({
  app,
  ada,
  page,
  chromiumBrowser,
  rendererServer,
  teamServer: server,
}, testInfo) => {
  const passwords = [appDb(ada)]
  const teams = new TeamsPage(page)

  await withBob(chromiumBrowser, rendererServer.origin, async (bobHost) => {
    const bob = bobHost.services!
    const invited = await joinAsBob(ada, bob, server, 'member')
    // Ada's login may grant roles: the invite granted Bob's login the member role's.
    expect(invited.database).toMatchObject({ applied: true })

    // Ada's Connections tab (her app keeps the copy synced by itself): she pushes app-db.
    await teams.openTeam('platform')
    await teams.tab('Connections').click()
    await page.getByRole('button', { name: 'Push a connection…' }).click()
    const push = teams.dialog('Push a connection to platform')
    await push.getByLabel('Your connection').selectOption({ label: 'app-db (postgres)' })
    await push.getByRole('checkbox', { name: 'staging' }).check()
    await push.getByRole('checkbox', { name: 'production' }).check()
    await expectAccessible(page, 'Push a connection dialog')
    await push.getByRole('button', { name: 'Push', exact: true }).click()
    await expect(push).toHaveCount(0)
    const adaRow = teams.teamConnection('app-db')
    await expect(adaRow).toContainText('v1')
    await expect(adaRow).toContainText('production, staging')
    await expect(adaRow).toContainText('Ada')
    await expect(teams.copyStatus).toContainText('From this vault’s copy, synced')

    // Bob (member): his app watched the team, so the connection is there without Sync; the
    // matrix read-only.
    const bobTeams = new TeamsPage(bobHost.page)
    await bobTeams.openTeam('platform')
    await bobTeams.tab('Connections').click()
    await expect(bobTeams.teamConnection('app-db')).toContainText('Ada')
    await expect(bobTeams.copyStatus).toContainText('From this vault’s copy, synced')
    await expect(bobHost.page.getByRole('button', { name: 'Push a connection…' })).toHaveCount(0)
    await expect(
      bobHost.page.getByRole('img', { name: 'app-db: allowed in staging' }),
    ).toBeVisible()
    await expect(bobHost.page.getByRole('checkbox')).toHaveCount(0)
    await dismissNotifications(bobHost.page)
    await saveScreenshot(bobHost.page, testInfo, 'light-team-connections-member')
    await expectAccessible(bobHost.page, 'Team connections (member)')

    // Ada denies staging in the team's matrix: a signed change; Bob's page shows it by itself.
    const staging = page.getByRole('checkbox', { name: 'Allow app-db in staging' })
    await expect(staging).toBeChecked()
    // The box shows what the signed log says: it clears once the change is written and read.
    await staging.click()
    await expect(adaRow).toContainText('production')
    await expect(adaRow).not.toContainText('staging')
    await expect(staging).not.toBeChecked()
    // No Sync pressed: the notification, the watch's refresh and the push to the window
    // take well under a second; the margin is for a loaded machine (and still short of the
    // watch's 30 s fallback poll).
    await expect(
      bobHost.page.getByRole('img', { name: 'app-db: not allowed in staging' }),
    ).toBeVisible({ timeout: 20_000 })
    await expect(
      bobHost.page.getByRole('img', { name: 'app-db: allowed in production' }),
    ).toBeVisible()

    await dismissNotifications(page)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await saveScreenshot(page, testInfo, `${colorScheme}-team-connections`)
      await expectAccessible(page, `Team connections (${colorScheme})`)
    }
    await page.emulateMedia({ colorScheme: 'light' })

    // Ada's app stops following the team (as when its notifications are lost and it has not
    // polled yet): her copy stays at version 1 while Bob, made an admin, pushes version 2.
    await app.desktop!.stopWatchingTeams()
    // Bob, made an admin, pushes his own app-db over version 1 (he synced it): version 2.
    await ada.teams.role('platform', 'Bob', 'admin', 'bob_login')
    passwords.push(appDb(bob, { host: 'bob-db.internal.example' }))
    await bob.teamConnections.sync('platform')
    expect(await bob.teamConnections.push('platform', 'app-db')).toMatchObject({ version: 2 })
    // Ada's copy still says version 1: her push is refused, the other version shown.
    await page.getByRole('button', { name: 'Push a connection…' }).click()
    await push.getByLabel('Your connection').selectOption({ label: 'app-db (postgres)' })
    await push.getByRole('button', { name: 'Push', exact: true }).click()
    const refusal = push.getByRole('alert')
    await expect(refusal).toContainText('Someone pushed another version first')
    await expect(refusal).toContainText('at version 2, written by Bob')
    await expect(refusal).toContainText('host: "bob-db.internal.example" / "db.internal.example"')
    await expect(refusal).toContainText('Run bridgekeep team sync')
    await expect(push).toContainText('press Sync on the Connections tab')
    await saveScreenshot(page, testInfo, 'light-team-push-conflict')
    await expectAccessible(page, 'Push conflict')
    await push.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('button', { name: 'Sync' }).click()
    await expect(adaRow).toContainText('v2')
    await expect(adaRow).toContainText('Bob')

    // No secret ever reaches either page.
    for (const html of [await page.content(), await bobHost.page.content()]) {
      for (const secret of [...passwords, ...server.passwords.values()])
        expect(html).not.toContain(secret)
    }
  })
})

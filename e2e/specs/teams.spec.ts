import { teamRoleName, teamRoleNames } from '../../src/main/db/team-migrations'
import { TEAM_DATABASE, teamDbConnection } from '../../test/teams'
import { dismissNotifications, expect, expectAccessible, saveScreenshot } from '../fixtures/app'
import { createVault, withBob } from '../fixtures/sharing'
import { takeSeat, test } from '../fixtures/teams'
import { AppShell } from '../pages/shell.page'
import { TeamsPage } from '../pages/teams.page'

/**
 * A team space from the app, against a real PostgreSQL (TLS, SCRAM logins) started for the spec:
 * Ada creates the team, invites Bob (a second vault, in a second window) by his share address,
 * Bob joins by comparing Ada's fingerprint, Ada makes him an admin and removes him with the
 * confirmation that says what removal cannot undo; then a DBA edits a row directly and the
 * team's page shows the warning, naming it.
 */
test('a team space: create, invite, join, change a role, remove, and tampering shown', async ({
  app,
  page,
  chromiumBrowser,
  rendererServer,
  teamServer: server,
}, testInfo) => {
  await createVault(page)
  const ada = app.services!
  await ada.sharing.setName({ name: 'Ada' })
  const teams = new TeamsPage(page)

  // No team yet: the empty state explains team spaces and offers both ways in.
  await teams.open()
  const empty = new AppShell(page).emptyState
  await expect(empty).toContainText('never holds a secret')
  await expect(empty.getByRole('button', { name: 'Join a team…' })).toBeVisible()
  // No PostgreSQL connection yet: the dialog says to add one, and refuses at that field.
  await empty.getByRole('button', { name: 'Create a team…' }).click()
  const create = teams.dialog('Create a team space')
  await expect(create).toContainText('You have no PostgreSQL connection yet')
  await create.getByLabel('Team name').fill('platform')
  await create.getByRole('button', { name: 'Create team space' }).click()
  await expect(create.getByLabel('PostgreSQL connection')).toHaveAttribute('aria-invalid', 'true')
  await create.getByRole('button', { name: 'Cancel' }).click()
  teamDbConnection(ada, server, 'bk_owner')
  await empty.getByRole('button', { name: 'Create a team…' }).click()
  // The vault's only PostgreSQL connection, and its only authorized environment, are chosen.
  await expect(create.getByLabel('PostgreSQL connection')).toHaveValue('team-db')
  await expect(create.getByLabel('Environment')).toHaveValue('staging')
  await create.getByLabel('Team name').fill('-bad')
  await create.getByRole('button', { name: 'Create team space' }).click()
  await expect(create.getByLabel('Team name')).toHaveAttribute('aria-invalid', 'true')
  await expect(create.locator('#create-team-name-error')).toContainText('is not valid')
  await create.getByLabel('Team name').fill('platform')
  await create.getByRole('button', { name: 'Create team space' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('platform')
  expect(await teams.roles()).toEqual({ Ada: 'Admin' })
  await expect(teams.member('Ada')).toContainText('you')
  const teamId = ada.teams.list()[0]!.id
  // The team's tabs: one Tab stop, the arrows and Home/End move between Members and Connections.
  const tabs = page.getByRole('tablist', { name: 'platform team space' })
  await tabs.getByRole('tab', { name: 'Members' }).focus()
  await page.keyboard.press('End')
  await expect(tabs.getByRole('tab', { name: 'Connections' })).toBeFocused()
  await expect(page.getByRole('tabpanel', { name: 'Connections' })).toBeVisible()
  await page.keyboard.press('ArrowRight')
  await expect(tabs.getByRole('tab', { name: 'Members' })).toBeFocused()
  await expect(page.getByRole('tabpanel', { name: 'Members' })).toBeVisible()
  const dbRoles = teamRoleNames(teamRoleName(teamId))
  await expect(page.getByText(dbRoles.member).first()).toBeVisible()
  await expect(page.getByText(dbRoles['use-only']).first()).toBeVisible()

  await withBob(chromiumBrowser, rendererServer.origin, async (bobHost) => {
    const bob = bobHost.services!
    await takeSeat(bob, server, 'Bob', 'bob_login')
    const bobIdentity = await bob.sharing.identity()
    const bobContact = await ada.sharing.addContact({ name: 'Bob', address: bobIdentity.address })

    // Ada invites Bob by his share address: a bad one is refused at the address.
    await page.getByRole('button', { name: 'Invite…' }).click()
    const invite = teams.dialog('Invite to platform')
    await expect(invite.getByLabel('Teammate')).toHaveValue('')
    await invite.getByLabel('Share address').fill('bkshare1:nonsense')
    await invite.getByRole('button', { name: 'Add to team' }).click()
    await expect(invite.locator('#invite-address-error')).toContainText('has four parts')
    // Bob is a contact: chosen from the contacts, his fingerprint shown, his name the default.
    await invite.getByLabel('Teammate').selectOption(bobContact.id)
    await expect(invite).toContainText(`Fingerprint ${bobIdentity.fingerprint}`)
    await expect(invite.getByLabel('Share address')).toHaveCount(0)
    await invite.getByRole('radio', { name: /^Member/ }).check()
    // His database login given: Ada's login may grant roles, so the grant is run at once.
    await invite.getByLabel('Their database login (optional)').fill('bob_login')
    await saveScreenshot(page, testInfo, 'light-team-invite')
    await expectAccessible(page, 'Invite dialog')
    await invite.getByRole('button', { name: 'Add to team' }).click()
    await expect(invite).toHaveCount(0)
    const added = teams.dialog('Member added')
    await expect(added).toContainText('Done in the database')
    await expect(added.getByTestId('database-grant')).toContainText(
      `GRANT ${dbRoles.member} TO bob_login;`,
    )
    await expect(added.getByRole('button', { name: 'Copy database statements' })).toBeVisible()
    await expectAccessible(page, 'Member added, with its database statements')
    await added.getByRole('button', { name: 'Done' }).click()
    expect(
      (
        await server.dba(
          `SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles l ON l.oid = m.member WHERE r.rolname = '${dbRoles.member}' AND l.rolname = 'bob_login'`,
        )
      ).rows,
    ).toHaveLength(1)
    await expect(teams.member('Bob')).toContainText('Member')
    await expect(teams.member('Bob')).toContainText(bobIdentity.fingerprint)

    // Bob joins from his window: a wrong founder fingerprint is refused at that field.
    const bobTeams = new TeamsPage(bobHost.page)
    await bobTeams.open()
    await bobHost.page.getByRole('button', { name: 'Join a team…' }).click()
    const join = bobTeams.dialog('Join a team space')
    await expect(join).toContainText('Why compare the founder’s fingerprint aloud?')
    await join.getByLabel('Team name').fill('platform')
    await join.getByLabel('Founder’s fingerprint').fill(bobIdentity.fingerprint)
    await join.getByRole('button', { name: 'Join team space' }).click()
    await expect(join.locator('#join-team-founder-error')).toContainText('is not the one given')
    const adaFingerprint = (await ada.sharing.identity()).fingerprint
    await join.getByLabel('Founder’s fingerprint').fill(adaFingerprint)
    await saveScreenshot(bobHost.page, testInfo, 'light-team-join')
    await expectAccessible(bobHost.page, 'Join dialog')
    await join.getByRole('button', { name: 'Join team space' }).click()
    await expect(bobHost.page.getByRole('heading', { level: 1 })).toHaveText('platform')
    expect(await bobTeams.roles()).toEqual({ Ada: 'Admin', Bob: 'Member' })
    // A member sees the team but changes nothing in it.
    await expect(bobHost.page.getByRole('button', { name: 'Invite…' })).toHaveCount(0)
    await expect(bobTeams.member('Ada').getByRole('button')).toHaveCount(0)

    // Ada makes Bob an admin, by a signed change.
    await teams.member('Bob').getByRole('button', { name: 'Change role of Bob' }).click()
    const role = teams.confirmation('Change Bob’s role')
    await role.getByRole('radio', { name: /^Admin/ }).check()
    // A login the database does not have: the change is made, the refusal said in its words.
    await role.getByLabel('Their database login (optional)').fill('ghost_login')
    await role.getByRole('button', { name: 'Change role' }).click()
    await expect(role).toHaveCount(0)
    const changed = teams.dialog('Role changed')
    await expect(changed).toContainText('Bob is now admin (was member).')
    const grant = changed.getByTestId('database-grant')
    await expect(grant.getByRole('alert')).toContainText('The database refused these statements')
    await expect(grant.getByRole('alert')).toContainText('The database has no login ghost_login.')
    await expect(grant).toContainText(`REVOKE ${dbRoles.member} FROM ghost_login;`)
    await expect(grant).toContainText(`GRANT ${dbRoles.admin} TO ghost_login;`)
    await expectAccessible(page, 'Role changed, the database refused')
    await changed.getByRole('button', { name: 'Done' }).click()
    await expect(teams.member('Bob')).toContainText('Admin')
    expect((await bob.teams.members('platform')).members.map((m) => m.role)).toEqual([
      'admin',
      'admin',
    ])

    await dismissNotifications(page)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await saveScreenshot(page, testInfo, `${colorScheme}-team-page`)
      await expectAccessible(page, `Team page (${colorScheme})`)
    }
    await page.emulateMedia({ colorScheme: 'light' })

    // Removing says what it does at once and what it cannot undo, then does it.
    await teams.member('Bob').getByRole('button', { name: 'Remove Bob' }).click()
    const remove = teams.confirmation('Remove Bob from platform?')
    const explanation = remove.getByTestId('remove-explanation')
    await expect(explanation).toContainText('ignores Bob’s signed changes from now on')
    await expect(explanation).toContainText(`until ${dbRoles.admin} and ${dbRoles.base} are`)
    await expect(explanation).toContainText('rotate those')
    await expectAccessible(page, 'Remove member confirmation')
    await remove.getByRole('button', { name: 'Remove Bob' }).click()
    await expect(remove).toHaveCount(0)
    // No login given: the exact statements to pass on, for the database administrator.
    const removed = teams.dialog('Member removed')
    await expect(removed).toContainText('Not done yet')
    await expect(removed.getByTestId('database-grant')).toContainText(
      `REVOKE ${dbRoles.admin}, ${dbRoles.base} FROM <their login>;`,
    )
    await removed.getByRole('button', { name: 'Done' }).click()
    await expect(teams.member('Bob')).toHaveCount(0)
    expect(await teams.roles()).toEqual({ Ada: 'Admin' })
  })

  // The only admin cannot be demoted: refused in the dialog, nothing written.
  await teams.member('Ada').getByRole('button', { name: 'Change role of Ada' }).click()
  const demote = teams.confirmation('Change Ada’s role')
  await demote.getByRole('radio', { name: /^Member/ }).check()
  await demote.getByRole('button', { name: 'Change role' }).click()
  await expect(demote.getByRole('alert')).toContainText(
    "Ada is the team's only admin: demoting them would leave platform without one.",
  )
  await expect(demote.getByRole('alert')).toContainText('Make another member an admin first.')
  await demote.getByRole('button', { name: 'Cancel' }).click()
  expect(await teams.roles()).toEqual({ Ada: 'Admin' })

  // Verified clean first; then a DBA edits the members table directly: shown, row named.
  await page.getByRole('button', { name: 'Verify' }).click()
  const verification = page.getByTestId('team-verification')
  await expect(verification).toContainText('Verified: no warning')
  await expect(teams.warnings).toHaveCount(0)
  await server.dba(`UPDATE bridgekeep.members SET role = 'use-only' WHERE name = 'Ada'`)
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(teams.warnings).toContainText(
    'The members table gives Ada the role use-only; the signed changes say admin: the signed role applies.',
  )
  await expect(verification).toContainText('1 warning')
  // The signed role still applies in the table.
  expect(await teams.roles()).toEqual({ Ada: 'Admin' })
  await dismissNotifications(page)
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-team-warnings`)
    await expectAccessible(page, `Team warnings (${colorScheme})`)
  }
  // Opening the team again reads it again: the warning is there without asking for it.
  await page.getByRole('link', { name: 'All teams' }).click()
  await page.getByTestId('team-link').filter({ hasText: 'platform' }).click()
  await expect(page.getByRole('region', { name: 'The team database has 1 problem' })).toContainText(
    'The members table gives Ada the role use-only',
  )
  await expect(verification).toHaveCount(0)
  // A team created outside the window (the CLI through the app's agent) is listed at once.
  await page.getByRole('link', { name: 'All teams' }).click()
  await expect(page.getByTestId('team-link')).toHaveCount(1)
  await ada.teams.init(TEAM_DATABASE, 'infra')
  await expect(page.getByTestId('team-link').filter({ hasText: 'infra' })).toBeVisible()
  // No database password ever reaches the page.
  const html = await page.content()
  for (const password of server.passwords.values()) expect(html).not.toContain(password)
})

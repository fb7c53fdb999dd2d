import { mergeTests } from '@playwright/test'
import { canary } from '../../test/fixtures/canary'
import { dismissNotifications, expect, expectAccessible, saveScreenshot } from '../fixtures/app'
import { test as awsAccountTest } from '../fixtures/aws-account'
import { teammateAddress } from '../fixtures/sharing'
import { appDb, test as teamTest } from '../fixtures/teams'
import { TeamsPage } from '../pages/teams.page'

const test = mergeTests(teamTest, awsAccountTest)

/**
 * After a full member left, against a real PostgreSQL: Ada removes Bob from the Members tab,
 * the outcome's link shows the Connections tab's Secrets to rotate (what he could read, and
 * since when); she rotates one in the Rotate dialog and it is pushed to the team, and says she
 * rotated the other elsewhere (confirmed, audited). Nothing left: the panel is gone. No secret
 * reaches the page.
 */
test('secrets to rotate after a member left: rotate and push, dismiss', async ({
  ada,
  page,
  teamServer: server,
}, testInfo) => {
  const secrets = [appDb(ada, { name: 'app-db' }), appDb(ada, { name: 'cache-db' })]
  for (const name of ['app-db', 'cache-db'])
    await ada.teamConnections.push('platform', name, { environments: ['staging'] })
  // Bob, a full member: he could read both.
  await ada.teams.invite('platform', await teammateAddress(), 'member', 'Bob')
  const teams = new TeamsPage(page)
  await teams.openTeam('platform')
  await teams.tab('Connections').click()
  // Nothing to rotate yet: no panel.
  await expect(teams.teamConnection('cache-db')).toBeVisible()
  await expect(page.getByTestId('team-rotations')).toHaveCount(0)

  await teams.tab('Members').click()
  await teams.member('Bob').getByRole('button', { name: 'Remove Bob' }).click()
  const remove = teams.confirmation('Remove Bob from platform?')
  await remove.getByRole('button', { name: 'Remove Bob' }).click()
  const removed = teams.dialog('Member removed')
  const outcome = removed.getByTestId('rotate-outcome')
  await expect(outcome).toContainText('they could read the secrets of app-db, cache-db')
  await expect(outcome).toContainText('cannot make them forget those')
  await removed.getByRole('button', { name: 'Show the secrets to rotate (2)' }).click()
  await expect(removed).toHaveCount(0)

  // The Connections tab, its Secrets to rotate focused.
  await expect(teams.tab('Connections')).toHaveAttribute('aria-selected', 'true')
  const heading = page.getByRole('heading', { name: 'Secrets to rotate (2)' })
  await expect(heading).toBeFocused()
  const rows = page.getByTestId('team-rotation-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.filter({ hasText: 'app-db' })).toContainText('could be read by Bob (left')
  await expect(page.getByTestId('team-rotations')).toContainText(
    'it cannot make them forget what they already read',
  )
  await dismissNotifications(page)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-team-rotations`)
    await expectAccessible(page, `Secrets to rotate (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // app-db: a new password in the Rotate dialog, then pushed to the team by itself.
  await page.getByRole('button', { name: 'Rotate app-db and push it…' }).click()
  const rotate = teams.dialog('Rotate “app-db”')
  const password = `pw-${canary.alnum(28)}`
  secrets.push(password)
  await rotate.getByRole('textbox', { name: 'Password' }).fill(password)
  await expectAccessible(page, 'Rotate dialog from Secrets to rotate')
  await rotate.getByRole('button', { name: 'Write new version' }).click()
  await expect(page.getByTestId('team-rotation-pushed')).toHaveText(
    'app-db rotated and pushed: the team now holds version 3.',
  )
  await expect(page.getByRole('heading', { name: 'Secrets to rotate (1)' })).toBeVisible()
  await expect(rows).toHaveCount(1)
  await expect(teams.teamConnection('app-db')).toContainText('v3')

  // cache-db: rotated elsewhere, said so after a confirmation.
  await page.getByRole('button', { name: 'I rotated cache-db elsewhere…' }).click()
  const dismiss = teams.confirmation('Did you rotate “cache-db” elsewhere?')
  await expect(dismiss).toContainText('your audit trail records that you said so')
  await expectAccessible(page, 'Rotated elsewhere confirmation')
  await dismiss.getByRole('button', { name: 'It is rotated' }).click()
  await expect(dismiss).toHaveCount(0)
  await expect(rows).toHaveCount(0)
  const entry = ada.audit
    .query({ limit: 100 })
    .entries.find((e) => e.action === 'team.rotated-elsewhere')
  expect(entry?.detail).toBe('cache-db: rotated elsewhere (readable by Bob)')

  // Nothing left: the panel is not shown.
  await teams.openTeam('platform')
  await teams.tab('Connections').click()
  await expect(teams.teamConnection('app-db')).toBeVisible()
  await expect(page.getByTestId('team-rotations')).toHaveCount(0)

  const html = await page.content()
  for (const secret of [...secrets, ...server.passwords.values()])
    expect(html).not.toContain(secret)
})

/**
 * The AWS way, with a real runner process and SigV4-checking IAM and STS on loopback: "Rotate key
 * and push…" opens the Rotate dialog, "Create a new key in AWS" creates the user's next key in
 * IAM, stores and verifies it, and the new version is pushed to the team by itself.
 */
test('secrets to rotate: a new AWS key created in IAM, then pushed', async ({
  ada,
  page,
  awsAccount,
}, testInfo) => {
  const { old, user, sts, iam } = awsAccount
  ada.connections.create({
    name: 'deploy-bot',
    provider: 'aws',
    authMode: 'inline',
    values: {
      access_key_id: old.accessKeyId,
      secret_access_key: old.secretAccessKey,
      default_region: 'eu-west-1',
      sts_endpoint: sts.url,
      iam_endpoint: iam.url,
    },
  })
  await ada.teamConnections.push('platform', 'deploy-bot', { environments: ['staging'] })
  await ada.teams.invite('platform', await teammateAddress(), 'member', 'Bob')
  await ada.teams.remove('platform', 'Bob')

  const teams = new TeamsPage(page)
  await teams.openTeam('platform')
  await teams.tab('Connections').click()
  await page.getByRole('button', { name: 'Rotate deploy-bot and push it…' }).click()
  const dialog = teams.dialog('Rotate “deploy-bot”')
  await dialog.getByRole('button', { name: 'Create a new key in AWS' }).click()
  await expect(page.getByTestId('team-rotation-pushed')).toHaveText(
    'deploy-bot rotated and pushed: the team now holds version 3.',
    { timeout: 60_000 },
  )
  const created = user.keys[1]!
  expect(
    ada.connections.storedSecrets(ada.connections.findByRef('deploy-bot').id).secrets,
  ).toMatchObject({
    access_key_id: created.accessKeyId,
  })
  // The dialog stays open with what is left to do with the old key.
  await expect(teams.dialog('New key for “deploy-bot”')).toBeVisible()
  await saveScreenshot(page, testInfo, 'light-team-rotation-aws-key')
  await expectAccessible(page, 'New AWS key for a team connection')
  await teams.dialog('New key for “deploy-bot”').getByRole('button', { name: 'Done' }).click()
  await expect(page.getByTestId('team-rotation-row')).toHaveCount(0)
  const html = await page.content()
  for (const secret of [old.secretAccessKey, created.secretAccessKey])
    expect(html).not.toContain(secret)
})

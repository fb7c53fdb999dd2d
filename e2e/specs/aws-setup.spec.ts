import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { getCapability } from '../../src/shared/aws/capabilities'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { ConnectionsPage } from '../pages/connections.page'
import { VaultScreens } from '../pages/vault.page'

const ROLE = 'arn:aws:iam::210987654321:role/bridgekeep-access'
const EXTERNAL_ID = 'bk-e2e-external-7f3e9a12'

/** The actions a policy document grants (iam:PassRole included). */
function actionsOf(document: { Statement: { Action: string[] }[] }): string[] {
  return document.Statement.flatMap((statement) => statement.Action).sort()
}

const sortedUnique = (actions: readonly string[]) => [...new Set(actions)].sort()

/** Clicks a download button and returns the file's name and text. */
async function download(scope: Locator, name: string, folder: string) {
  const downloading = scope.page().waitForEvent('download')
  await scope.getByRole('button', { name, exact: true }).click()
  const file = await downloading
  const path = join(folder, file.suggestedFilename())
  await file.saveAs(path)
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') }
}

async function bothThemes(
  page: Page,
  testInfo: Parameters<typeof saveScreenshot>[1],
  name: string,
) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await saveScreenshot(page, testInfo, `${colorScheme}-${name}`)
    await expectAccessible(page, `${name} (${colorScheme})`)
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('AWS capabilities: picked in the form, the policy and template downloaded, changed in place with the diff shown', async ({
  page,
  app,
}, testInfo) => {
  // Three screens in two themes with axe each, on a shared two-core machine.
  test.setTimeout(300_000)
  const connections = new ConnectionsPage(page)
  await new VaultScreens(page).createWithKeychain()
  await connections.gotoList()
  await connections.startCreate('Amazon Web Services')
  await connections.field('Name').fill('Platform')
  await page.getByRole('radio', { name: /^Assume a role in another account/ }).check()
  await connections.fill([
    { label: 'Role ARN', value: ROLE },
    { label: 'External ID', value: EXTERNAL_ID },
  ])

  // All ten ticked by default; none is refused; two chosen, with the keyboard for one.
  const picker = page.getByRole('group', { name: /^Capabilities/ })
  await expect(picker.getByRole('checkbox')).toHaveCount(10)
  for (const box of await picker.getByRole('checkbox').all()) await expect(box).toBeChecked()
  await picker.getByRole('button', { name: 'Select none' }).click()
  await connections.save()
  await expect(picker).toContainText('Capabilities: choose at least one')
  await expect(picker.getByRole('checkbox', { name: /^EKS/ })).toBeFocused()
  await page.keyboard.press('Space')
  await picker.getByRole('checkbox', { name: /^S3 storage/ }).check()
  await expect(picker).not.toContainText('choose at least one')
  await expect(picker).toContainText('(2 of 10)')
  await bothThemes(page, testInfo, 'aws-capability-picker')
  await connections.save()
  await expect(connections.heading).toHaveText('Platform')
  const id = app.services?.connections.list()[0]?.id
  if (app.services) expect(app.services.connections.get(id!).config.capabilities).toBe('eks,s3')

  // The setup panel: the two capabilities, the policy with exactly their actions.
  const panel = page.getByRole('region', { name: 'AWS setup' })
  await expect(panel.getByRole('list', { name: 'Capabilities' }).getByRole('listitem')).toHaveText([
    'EKS',
    getCapability('s3').label,
  ])
  const folder = testInfo.outputPath('downloads')
  const policy = await download(panel, 'Download IAM policy', folder)
  expect(policy.name).toBe('bridgekeep-platform-policy.json')
  const expected = (ids: ('eks' | 's3')[]) =>
    sortedUnique([
      ...ids.flatMap((c) => [...getCapability(c).read, ...getCapability(c).write]),
      'iam:PassRole',
    ])
  expect(actionsOf(JSON.parse(policy.text))).toEqual(expected(['eks', 's3']))
  const template = await download(panel, 'Download CloudFormation template', folder)
  expect(template.text).toContain('"RoleArn"')
  expect(template.text).not.toContain(EXTERNAL_ID)

  // The create-stack command carries the stored external ID; the link needs the S3 URL.
  await expect(panel.getByLabel('aws CLI commands')).toContainText(
    `ParameterKey=ExternalId,ParameterValue=${EXTERNAL_ID}`,
  )
  await expect(panel.getByRole('link', { name: /Quick Create/ })).toHaveCount(0)
  await panel.getByLabel('Principal that assumes the role').fill('111122223333')
  await panel.getByLabel('Template URL (Amazon S3)').fill('http://example.com/role.json')
  await expect(panel).toContainText('Template URL: give the https URL')
  await panel
    .getByLabel('Template URL (Amazon S3)')
    .fill('https://my-bucket.s3.amazonaws.com/bridgekeep-platform-role.json')
  const link = panel.getByRole('link', { name: 'Open Quick Create in the AWS console' })
  const href = new URL((await link.getAttribute('href'))!.replace('#/stacks/quickcreate?', '&'))
  expect(href.searchParams.get('param_ExternalId')).toBe(EXTERNAL_ID)
  expect(href.searchParams.get('param_TrustedPrincipalArn')).toBe('arn:aws:iam::111122223333:root')
  await bothThemes(page, testInfo, 'aws-setup-panel')

  // Reconnect with one fewer: the diff first, then saved on the same connection.
  await panel.getByRole('button', { name: 'Change capabilities…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Change capabilities' })
  await expect(dialog.getByRole('button', { name: 'Save capabilities' })).toBeDisabled()
  await dialog.getByRole('checkbox', { name: /^S3 storage/ }).uncheck()
  const diff = dialog.getByTestId('capability-diff')
  await expect(diff).toContainText(`Capabilities removed${getCapability('s3').label}`)
  const s3 = getCapability('s3')
  await expect(diff).toContainText(`Actions taken away (${s3.read.length + s3.write.length})`)
  await expect(diff).toContainText('s3:PutBucketPolicy')
  await expect(diff).not.toContainText('Actions granted')
  await bothThemes(page, testInfo, 'aws-change-capabilities')
  await dialog.getByRole('button', { name: 'Save capabilities' }).click()
  const done = page.getByRole('dialog', { name: 'Capabilities changed' })
  await expect(done.getByLabel('aws CLI update command')).toContainText(
    'ParameterKey=ExternalId,UsePreviousValue=true',
  )
  await bothThemes(page, testInfo, 'aws-capabilities-changed')
  const updated = await download(done, 'Download IAM policy', folder)
  expect(actionsOf(JSON.parse(updated.text))).toEqual(expected(['eks']))
  await done.getByRole('button', { name: 'Done' }).click()
  await expect(panel.getByRole('list', { name: 'Capabilities' }).getByRole('listitem')).toHaveText([
    'EKS',
  ])
  if (app.services) {
    expect(app.services.connections.list().map((c) => c.id)).toEqual([id])
    expect(app.services.connections.get(id!).config.external_id).toBe(EXTERNAL_ID)
    const updates = app.services.audit.query({ filter: { actions: ['connection.update'] } })
    expect(updates.entries.map((entry) => entry.detail)).toEqual(['Changed: capabilities'])
  }
})

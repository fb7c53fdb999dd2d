import { readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { secrets } from '../../test/fixtures/provider-values'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { bridgekeep } from '../fixtures/cli'
import { cases } from '../fixtures/provider-cases'
import { ConnectionsPage } from '../pages/connections.page'
import { E2E_KEYCHAIN_SERVICE } from '../paths'
import { EnvironmentsPage } from '../pages/environments.page'
import { AppShell } from '../pages/shell.page'
import { VaultScreens } from '../pages/vault.page'

/** exec of the AWS connection in staging, printing the one variable it sets from the keys. */
const printKeyId = ['exec', 'deploy-aws', '--env', 'staging', '--', 'printenv', 'AWS_ACCESS_KEY_ID']

// Real CLI processes beside the app, and axe passes, on a busy two-core machine.
test.setTimeout(120_000)

test('the app serves the bridgekeep command while unlocked, and refuses it once locked', async ({
  page,
  app,
}, testInfo) => {
  const { dataDir } = app
  const socket = join(dataDir, 'agent', 'agent.sock')
  await new VaultScreens(page).createWithKeychain()

  // An AWS connection with stored keys, authorized in staging: exec needs no network for these.
  await new ConnectionsPage(page).create({
    providerLabel: 'Amazon Web Services',
    name: 'Deploy AWS',
    fields: cases.find((provider) => provider.id === 'aws')!.fields,
  })
  const envs = new EnvironmentsPage(page)
  await envs.open()
  await envs.cell('Deploy AWS', 'staging').click()
  await envs.saveButton.click()
  await expect(envs.pending).toContainText('No pending changes')

  // Settings says where the agent serves, and why the command-line tool cannot be installed here.
  const shell = new AppShell(page)
  await shell.open('Settings')
  const panel = page.getByRole('region', { name: 'Command line' })
  await expect(panel.getByTestId('agent-status')).toContainText(
    `Serving the bridgekeep command on ${socket}.`,
  )
  await expect(panel.getByTestId('tool-status')).toContainText(
    'This is a source checkout: there is no packaged bridgekeep executable.',
  )
  await expect(panel.getByTestId('tool-status')).toContainText('node bin/bridgekeep.cjs')
  await panel.scrollIntoViewIfNeeded()
  await saveScreenshot(page, testInfo, 'light-settings-command-line')
  await expectAccessible(page, 'settings with the command line')

  // The CLI finds the app's agent, and takes the agent path.
  const status = await bridgekeep(dataDir, ['status', '--json'])
  expect(status.code, status.stderr).toBe(0)
  expect(JSON.parse(status.stdout)).toMatchObject({
    socket,
    path: 'agent',
    agent: { running: true, vault: 'unlocked', socket },
  })

  // The Audit screen is open while the CLI runs: what the agent serves shows there by itself.
  await shell.open('Audit')
  const entries = page.getByTestId('audit-entry')
  const exec = await bridgekeep(dataDir, printKeyId)
  expect(exec.code, exec.stderr).toBe(0)
  expect(exec.stdout).toBe(`${secrets.accessKeyId}\n`)

  const credentials = await bridgekeep(dataDir, [
    'aws',
    'credential-process',
    'deploy-aws',
    '--env',
    'staging',
  ])
  expect(credentials.code, credentials.stderr).toBe(0)
  expect(JSON.parse(credentials.stdout)).toEqual({
    Version: 1,
    AccessKeyId: secrets.accessKeyId,
    SecretAccessKey: secrets.secretAccessKey,
  })

  // Both uses are in the app's Audit screen, naming the caller the agent saw, without a reload.
  await expect(entries.filter({ hasText: /Ran printenv for pid \d+ \(bridgekeep/ })).toHaveCount(1)
  await expect(
    entries.filter({ hasText: /AWS credential_process for pid \d+ \(bridgekeep/ }),
  ).toHaveCount(1)
  await saveScreenshot(page, testInfo, 'light-audit-agent-uses')

  // A change the command makes itself (not through the agent: another process writing the vault)
  // shows in the open Connections list within a second or so, without a reload.
  await shell.open('Connections')
  const row = new ConnectionsPage(page).row('Deploy AWS')
  await expect(row).not.toContainText('from-cli')
  const edited = await bridgekeep(dataDir, ['edit', 'deploy-aws', '--label', 'from-cli'], {
    ...process.env,
    BRIDGEKEEP_KEYCHAIN_SERVICE: E2E_KEYCHAIN_SERVICE,
  })
  expect(edited.code, edited.stderr).toBe(0)
  // (The data watch looks twice a second; the margin is for a loaded machine.)
  await expect(row).toContainText('from-cli', { timeout: 15_000 })

  // Locked in the window: the agent refuses at once, and the CLI neither prompts nor falls back.
  await new VaultScreens(page).lock()
  const started = Date.now()
  const refused = await bridgekeep(dataDir, printKeyId)
  expect(refused.code).not.toBe(0)
  expect(refused.stdout).toBe('')
  expect(refused.stderr).toContain('Bridgekeep is locked.')
  expect(refused.stderr).toContain('Unlock Bridgekeep in its window')
  expect(refused.stderr).not.toContain('passphrase:')
  expect(Date.now() - started).toBeLessThan(15_000)
  const lockedStatus = await bridgekeep(dataDir, ['status', '--json'])
  expect(JSON.parse(lockedStatus.stdout)).toMatchObject({ agent: { vault: 'locked' } })
})

test.describe('with a packaged command-line tool', () => {
  // A packaged app's resources/cli/bridgekeep, and someone else's ~/.local/bin/bridgekeep.
  test.use({
    plantedFiles: {
      'resources/cli/bridgekeep': '#!/bin/sh\necho packaged\n',
      'home/.local/bin/bridgekeep': '#!/bin/sh\necho an older tool\n',
    },
  })

  test('Settings installs the command after confirming it replaces another file', async ({
    page,
    app,
  }, testInfo) => {
    test.skip(app.kind !== 'browser', 'The planted resources exist only in the browser host.')
    const link = join(app.dataDir, 'home', '.local', 'bin', 'bridgekeep')
    const executable = join(app.dataDir, 'resources', 'cli', 'bridgekeep')
    await new VaultScreens(page).createWithKeychain()
    await new AppShell(page).open('Settings')
    const panel = page.getByRole('region', { name: 'Command line' })
    const tool = panel.getByTestId('tool-status')
    await expect(tool).toContainText(`Not installed: ${link} is already a file`)

    // By keyboard: focus the button, Enter, then Escape cancels and nothing changes.
    const replace = panel.getByRole('button', { name: 'Replace and install…' })
    await replace.focus()
    await page.keyboard.press('Enter')
    const confirm = page.getByRole('alertdialog', { name: `Replace ${link}?` })
    await expect(confirm).toContainText(`It will be replaced by a link to ${executable}.`)
    await expectAccessible(page, 'replace the command-line tool dialog')
    await saveScreenshot(page, testInfo, 'light-settings-replace-command')
    await page.keyboard.press('Escape')
    await expect(confirm).toHaveCount(0)
    expect(readFileSync(link, 'utf8')).toContain('an older tool')

    await replace.click()
    await confirm.getByRole('button', { name: 'Replace' }).click()
    await expect(tool).toContainText(`Installed: ${link} leads to ${executable}.`)
    await expect(tool).toContainText('is not on your PATH')
    expect(readlinkSync(link)).toBe(executable)
    await expect(panel.getByRole('button')).toHaveCount(0)
    await saveScreenshot(page, testInfo, 'light-settings-command-installed')
  })
})

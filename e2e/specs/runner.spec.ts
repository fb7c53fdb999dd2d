import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, expectAccessible, saveScreenshot, test } from '../fixtures/app'
import { AppShell } from '../pages/shell.page'
import { RunnerScreen } from '../pages/runner.page'
import { VaultScreens } from '../pages/vault.page'
import { ROOT } from '../paths'

// Real processes, real TLS and several axe passes on a busy two-core machine.
test.describe.configure({ timeout: 150_000 })

test('Runner: start, killed from outside and restarted, logs, metrics, credentials shown once and regenerated', async ({
  app,
  page,
}, testInfo) => {
  test.skip(
    !app.services,
    'kills the runner by pid: needs the main-side services in the test process',
  )
  const services = app.services!
  const runner = new RunnerScreen(page)
  await new VaultScreens(page).createWithKeychain()
  const shell = new AppShell(page)
  await shell.open('Runner')
  await runner.expectState('stopped')
  // Stopped is the usual state, not a fault: the page says so and shows no empty metrics.
  await expect(runner.sidebarStatus).toHaveText('Runner: starts when needed')
  await expect(runner.idle).toContainText('the app starts it by itself when something needs it')
  await expect(runner.metrics).toHaveCount(0)
  await expectAccessible(page, 'runner page (stopped)')
  await saveScreenshot(page, testInfo, 'light-runner-stopped')
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-runner-stopped')
  await page.emulateMedia({ colorScheme: 'light' })

  // Start: the local runner connects over mutual TLS and is ready.
  await runner.button('Start runner').click()
  await runner.expectState('ready')
  await expect(runner.sidebarStatus).toHaveText('Runner: ready')
  const firstPid = services.runner.status().pid!
  await expect(runner.pid).toHaveText(`PID ${firstPid}`)
  await expect(runner.log).toContainText('runner.connected')
  for (let i = 0; i < 20; i++) await services.runner.request({ type: 'ping' })
  await expect(runner.metrics).toContainText('Operations20')
  await saveScreenshot(page, testInfo, 'light-runner-ready')

  // Killed from outside: crashed, restarting after the backoff, then ready with a new process.
  process.kill(firstPid, 'SIGKILL')
  await expect(runner.state).toHaveAttribute('data-state', /crashed|restarting|degraded/)
  await runner.expectState('ready')
  await expect(runner.pid).not.toHaveText(`PID ${firstPid}`)
  await expect(runner.restarts).toHaveText(/^1 \(1 crash in the last 2 minutes\)/)
  // The new process's figures, not dashes left from the crashed one.
  await expect(runner.metrics).toContainText(/Uptime\d/)
  await expect(runner.metrics).toContainText(/Memory \(RSS\)[\d.]+ (KB|MB|GB)/)
  await expect(runner.metrics).toContainText(/CPU[\d.]+ %/)
  await runner.filterLog('Warnings and errors', 'crashed')
  await expect(runner.log).toContainText('The runner was killed by SIGKILL.')
  await expect(runner.log).not.toContainText('runner.connected')
  await saveScreenshot(page, testInfo, 'light-runner-restarted')
  await page.emulateMedia({ colorScheme: 'dark' })
  await saveScreenshot(page, testInfo, 'dark-runner-restarted')
  await page.emulateMedia({ colorScheme: 'light' })
  await runner.filterLog('All levels')

  // A runner on another machine: added by name, its credentials shown once, as a download.
  await runner.addRunner('build-box')
  const first = JSON.parse(await runner.downloadCredentials()) as {
    runner: { id: string }
    apiKey: string
    privateKey: string
  }
  expect(first.privateKey).toContain('BEGIN PRIVATE KEY')
  // The command it names is the CLI's own (`bridgekeep runner start`), with the file's name.
  await expect(runner.credentials).toContainText(
    'bridgekeep runner start --credentials bridgekeep-runner-build-box.json',
  )
  await saveScreenshot(page, testInfo, 'light-runner-credentials-shown-once')
  await expectAccessible(page, 'runner credentials shown once')
  await page.getByRole('button', { name: 'I have saved it' }).click()
  await expect(runner.credentials).toHaveCount(0)

  // A runner started by hand with that file connects and shows in the list.
  const file = join(mkdtempSync(join(tmpdir(), 'bk-e2e-runner-')), 'runner.json')
  writeFileSync(file, JSON.stringify(first), { mode: 0o600 })
  const byHand = spawn(
    process.execPath,
    [join(ROOT, 'out', 'main', 'runner.js'), '--credentials', file],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  byHand.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => byHand.on('close', resolve))
  const row = runner.row('build-box')
  await expect(row).toContainText('Remote')
  await expect(row).toContainText('Connected', { timeout: 15_000 })
  await expect(row).toContainText('127.0.0.1')

  // New credentials (after a confirmation): the connected runner is cut off, its file revoked.
  await row.getByRole('button', { name: /^New credentials for build-box/ }).click()
  const confirm = page.getByRole('alertdialog', { name: 'New credentials for build-box?' })
  await expect(confirm).toContainText('revoked at once')
  await expectAccessible(page, 'new credentials confirmation')
  await saveScreenshot(page, testInfo, 'light-runner-regenerate-confirm')
  await confirm.getByRole('button', { name: 'Revoke and create new' }).click()
  const second = JSON.parse(await runner.downloadCredentials()) as typeof first
  expect(second.apiKey).not.toBe(first.apiKey)
  // The same runner with new credentials: its identity stays, only the old certificate is revoked.
  expect(second.runner.id).toBe(first.runner.id)
  expect(await exited).toBe(1)
  expect(stderr).toContain('The app refused this runner (revoked)')
  await page.getByRole('button', { name: 'I have saved it' }).click()
  await expect(row).toContainText('Not connected', { timeout: 15_000 })
  await runner.fleet.scrollIntoViewIfNeeded()
  await saveScreenshot(page, testInfo, 'light-runner-after-regenerate')

  // Stop: SIGTERM, and the process is gone.
  const lastPid = services.runner.status().pid!
  await runner.button('Stop runner').click()
  await runner.expectState('stopped')
  await expect(runner.sidebarStatus).toHaveText('Runner: starts when needed')
  await expect(runner.idle).toBeVisible()
  expect(() => process.kill(lastPid, 0)).toThrow()
  await expectAccessible(page, 'runner page (after stop)')

  // The audit trail has the story, without a secret.
  const audit = services.audit.export({ format: 'jsonl' }).content
  for (const action of ['runner.start', 'runner.crash', 'runner.credentials', 'runner.stop']) {
    expect(audit).toContain(`"action":"${action}"`)
  }
  expect(audit).not.toContain(first.apiKey)
  expect(audit).not.toContain(second.apiKey)
})

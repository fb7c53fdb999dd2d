import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { ROOT } from '../../test/run-node'
import { startRunnerByHand, waitFor, writeEnrollmentFile } from '../../test/runner'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

describe.skipIf(!privateKeyring)('bridgekeep runner list after the app was killed', SLOW, () => {
  it('shows the runner connected while the app holds it, and not connected once kill -9 ended the app', async () => {
    const vault = await cliVault()
    // The app (a real process over this vault) makes the runner's credentials and holds it.
    const app = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(ROOT, 'test/fixtures/app-holding-runner.ts'),
        vault.home,
        'build-eu',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    cleanup.push(() => app.kill('SIGKILL'))
    const [line] = await Promise.all([
      new Promise<string>((done) => createInterface({ input: app.stdout! }).once('line', done)),
    ])
    const runner = startRunnerByHand([
      '--credentials',
      writeEnrollmentFile((JSON.parse(line) as { credentials: string }).credentials),
    ])
    cleanup.push(() => runner.kill('SIGKILL'))
    const listed = async () => {
      const result = await vault.cli(['runner', 'list', '--json'])
      expect(result.stderr).toBe('')
      const runners = JSON.parse(result.stdout) as { name: string; connected: boolean }[]
      return runners.find((r) => r.name === 'build-eu')
    }
    await waitFor(async () => (await listed())?.connected, 'the app to hold build-eu', 45_000)

    const exited = new Promise((done) => app.once('exit', done))
    app.kill('SIGKILL')
    await exited
    // What the app last wrote still says connected: nothing could clear it.
    const row = vault.services.vault
      .database()
      .prepare('SELECT connected_at FROM runners WHERE name = ?')
      .get('build-eu') as { connected_at: string | null }
    expect(row.connected_at).not.toBeNull()
    expect(await listed()).toMatchObject({ connected: false })
    const table = await vault.cli(['runner', 'list'])
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^build-eu\s+remote\s+not connected \(last seen .+\)/m)
  })
})

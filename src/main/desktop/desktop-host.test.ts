import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { askAgent } from '../../cli/agent-client'
import { freshServices, unlockedServices } from '../../../test/services'
import { AppAgent, APP_LOCKED_HINT } from '../agent/app-agent'
import { agentSocketPath } from '../agent/socket-path'
import { memoryLogger } from '../log'
import { startDesktopHost, type DesktopHost } from './desktop-host'

/** The app's desktop host over real services (an unlocked vault by default), its agent serving. */
async function host(given?: ReturnType<typeof freshServices>) {
  const setup = given ?? (await unlockedServices())
  const env = { BRIDGEKEEP_HOME: setup.dataDir }
  const desktop = startDesktopHost({
    services: setup.services,
    log: setup.log,
    socketPath: agentSocketPath(env),
    tool: {
      executable: undefined,
      platform: 'linux',
      home: join(setup.dataDir, 'home'),
      pathVariable: '',
      systemBin: join(setup.dataDir, 'no-bin'),
    },
  })
  started.push(desktop)
  // The agent starts in the background (the app does not wait for it): wait here.
  await desktop.commandLineStatus()
  return { ...setup, env, desktop, socket: agentSocketPath(env) }
}

const started: DesktopHost[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((desktop) => desktop.stop()))
})

describe('the desktop host (real vault, real socket)', () => {
  it('starts over a vault file too damaged to open: the page is told why (and offers a restore)', async () => {
    const setup = freshServices()
    writeFileSync(join(setup.dataDir, 'vault.db'), 'not a database '.repeat(1000))
    await host(setup)
    expect(await setup.call('vault:status')).toMatchObject({
      ok: false,
      error: { code: 'DATABASE_CORRUPT' },
    })
  })

  it('serves the CLI while unlocked, answers "Bridgekeep is locked" with the app hint, and stops with its socket', async () => {
    const { desktop, env, socket, services } = await host()
    expect((await desktop.commandLineStatus()).agent).toEqual({ state: 'serving', socket })
    const environments = await askAgent(env, { op: 'env-ls' })
    expect(environments?.map((e) => e.name)).toEqual(
      services.environments.list().map((e) => e.name),
    )
    expect(await askAgent(env, { op: 'status' })).toMatchObject({
      pid: process.pid,
      vault: 'unlocked',
      socket,
    })

    services.vaultLifecycle.lock()
    const refused = await askAgent(env, { op: 'env-ls' }).catch((error: unknown) => error)
    expect(refused).toMatchObject({
      code: 'VAULT_LOCKED',
      message: 'Bridgekeep is locked.',
      hint: APP_LOCKED_HINT,
    })

    await desktop.stop()
    expect(existsSync(socket)).toBe(false)
    expect((await desktop.commandLineStatus()).agent).toEqual({ state: 'off', socket })
    // No agent now: the CLI would open the vault itself.
    expect(await askAgent(env, { op: 'status' })).toBeUndefined()
  })

  it('says there is no vault yet when the app serves before one was created', async () => {
    const { env } = await host(freshServices())
    await expect(askAgent(env, { op: 'env-ls' })).rejects.toMatchObject({
      code: 'VAULT_MISSING',
      hint: 'Create one with bridgekeep init or in the Bridgekeep app, then run the command again.',
    })
  })

  it('leaves another agent serving and shows it, then takes over once it has gone', async () => {
    const { services, env, socket, log } = await host()
    const second = new AppAgent({ services, socketPath: socket, log: memoryLogger() })
    expect(await second.start()).toEqual({ state: 'elsewhere', socket })
    expect((await askAgent(env, { op: 'status' }))?.pid).toBe(process.pid)
    await started.splice(0)[0]!.stop()
    expect(await second.status()).toEqual({ state: 'serving', socket })
    await second.stop()
    expect(log.lines.some((line) => line.event === 'agent.started')).toBe(true)
  })

  it('locks the vault (audited, with the reason) when the computer sleeps, the screen locks, or from the menu', async () => {
    const { desktop, services } = await host()
    desktop.lock('suspend')
    expect(services.vault.status().state).toBe('locked')
    // Already locked: nothing more to record.
    desktop.lock('lock-screen')
    await services.vaultLifecycle.unlock({ method: 'keychain' }, { from: 'app' })
    desktop.lock('lock-screen')
    await services.vaultLifecycle.unlock({ method: 'keychain' }, { from: 'app' })
    desktop.lock('menu')
    await services.vaultLifecycle.unlock({ method: 'keychain' }, { from: 'app' })
    const locks = services.audit
      .query({ filter: { actions: ['vault.lock'] } })
      .entries.map((entry) => entry.detail)
    expect(locks.sort()).toEqual([
      'Locked from the menu',
      'Locked: the computer went to sleep',
      'Locked: the screen was locked',
    ])
  })
})

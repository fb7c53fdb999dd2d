import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../../test/cli'
import { VaultDataWatch } from './vault-data-watch'

type CliVault = Awaited<ReturnType<typeof cliVault>>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe.skipIf(!privateKeyring)(
  'the watch that shows the CLI’s changes in the window',
  SLOW,
  () => {
    let vault: CliVault
    let watch: VaultDataWatch
    const pushes: number[] = []

    beforeAll(async () => {
      vault = await cliVault()
      vault.services.events.connect((channel) => {
        if (channel === 'vault:dataChanged') pushes.push(Date.now())
      })
      watch = new VaultDataWatch({ services: vault.services, intervalMs: 100 })
      await sleep(300)
    })
    afterAll(() => watch.stop())

    it('says nothing while nobody changes the vault, nor for the app’s own writes', async () => {
      pushes.length = 0
      vault.services.environments.create({ name: 'written by the app' })
      await sleep(500)
      expect(pushes).toEqual([])
    })

    it('tells the window once another process (the CLI) committed a change', async () => {
      pushes.length = 0
      const added = await vault.cli(['env', 'add', 'qa'], { env: { BRIDGEKEEP_AGENT: 'off' } })
      expect(added.code, added.stderr).toBe(0)
      const exited = Date.now()
      await expect.poll(() => pushes.length, { timeout: 2_000 }).toBeGreaterThan(0)
      expect(pushes[0]! - exited).toBeLessThan(1_000)
      await sleep(400)
      expect(pushes).toHaveLength(1)
    })

    it('tells it once per interval for requests the agent served, however many', async () => {
      pushes.length = 0
      for (let i = 0; i < 20; i++) watch.touched()
      await sleep(350)
      expect(pushes).toHaveLength(1)
    })

    it('stays quiet while the vault is locked, and picks up again after an unlock', async () => {
      vault.services.vaultLifecycle.lock('Locked')
      pushes.length = 0
      watch.touched()
      const added = await vault.cli(['env', 'add', 'uat'], { env: { BRIDGEKEEP_AGENT: 'off' } })
      expect(added.code, added.stderr).toBe(0)
      await sleep(400)
      expect(pushes).toEqual([])
      await vault.services.vaultLifecycle.unlock({ method: 'keychain' })
      await sleep(300)
      const renamed = await vault.cli(['env', 'rename', 'uat', 'UAT'], {
        env: { BRIDGEKEEP_AGENT: 'off' },
      })
      expect(renamed.code, renamed.stderr).toBe(0)
      await expect.poll(() => pushes.length, { timeout: 2_000 }).toBe(1)
    })
  },
)

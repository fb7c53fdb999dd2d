import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../../test/cli'
import { waitFor } from '../../../test/runner'
import { VaultDataWatch } from './vault-data-watch'

type CliVault = Awaited<ReturnType<typeof cliVault>>

describe.skipIf(!privateKeyring)(
  'the watch that shows the CLI’s changes in the window',
  SLOW,
  () => {
    let vault: CliVault
    let watch: VaultDataWatch
    /** How many times the watch has looked at the vault (each look asks whether it is unlocked). */
    let checks = 0
    /** The look each push came from. */
    const pushes: number[] = []
    /**
     * Waits until the watch has looked `count` more times, however slow a loaded machine makes
     * its timer: by then it has told whatever it was going to tell.
     */
    const looked = async (count: number) => {
      const until = checks + count
      await waitFor(() => checks >= until, `${count} more looks of the watch`)
    }

    beforeAll(async () => {
      vault = await cliVault()
      const { vault: real, events } = vault.services
      events.connect((channel) => {
        if (channel === 'vault:dataChanged') pushes.push(checks)
      })
      const counted = new Proxy(real, {
        get: (target, key) =>
          key === 'isUnlocked'
            ? () => {
                checks += 1
                return target.isUnlocked()
              }
            : Reflect.get(target, key, target),
      })
      watch = new VaultDataWatch({ services: { vault: counted, events }, intervalMs: 100 })
      // Its first look reads the file's version, which later commits are told apart from.
      await looked(1)
    })
    afterAll(() => watch.stop())

    it('says nothing while nobody changes the vault, nor for the app’s own writes', async () => {
      pushes.length = 0
      vault.services.environments.create({ name: 'written by the app' })
      await looked(3)
      expect(pushes).toEqual([])
    })

    it('tells the window once another process (the CLI) committed a change', async () => {
      pushes.length = 0
      const added = await vault.cli(['env', 'add', 'qa'], { env: { BRIDGEKEEP_AGENT: 'off' } })
      expect(added.code, added.stderr).toBe(0)
      const exited = checks
      await expect.poll(() => pushes.length, { timeout: 15_000 }).toBeGreaterThan(0)
      // By the first look after the commit (made before the CLI exited), not some later one.
      expect(pushes[0]).toBeLessThanOrEqual(exited + 1)
      await looked(3)
      expect(pushes).toHaveLength(1)
    })

    it('tells it once per interval for requests the agent served, however many', async () => {
      pushes.length = 0
      for (let i = 0; i < 20; i++) watch.touched()
      await looked(3)
      expect(pushes).toHaveLength(1)
    })

    it('stays quiet while the vault is locked, and picks up again after an unlock', async () => {
      vault.services.vaultLifecycle.lock('Locked')
      pushes.length = 0
      watch.touched()
      const added = await vault.cli(['env', 'add', 'uat'], { env: { BRIDGEKEEP_AGENT: 'off' } })
      expect(added.code, added.stderr).toBe(0)
      await looked(3)
      expect(pushes).toEqual([])
      await vault.services.vaultLifecycle.unlock({ method: 'keychain' })
      // Its first look once unlocked reads the file's version, which the rename is told apart from.
      await looked(1)
      const renamed = await vault.cli(['env', 'rename', 'uat', 'UAT'], {
        env: { BRIDGEKEEP_AGENT: 'off' },
      })
      expect(renamed.code, renamed.stderr).toBe(0)
      await expect.poll(() => pushes.length, { timeout: 15_000 }).toBe(1)
    })
  },
)

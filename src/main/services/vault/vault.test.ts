import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../log'
import { MemoryKeyStore, createOsKeyStore, type KeyStore } from '../../security/keystore'
import { generateRecoveryKey } from '../../security/recovery-key'
import { Vault } from './vault'

const PASSPHRASE = 'correct horse battery staple'

function newVault(
  keyStore: KeyStore = new MemoryKeyStore(),
  dataDir = mkdtempSync(join(tmpdir(), 'bk-vault-')),
) {
  return { vault: new Vault({ dataDir, keyStore, log: memoryLogger() }), keyStore, dataDir }
}

/** The keychain account the vault's keychain slot points at. */
function keychainAccount(vault: Vault): string {
  const row = vault
    .database()
    .prepare("SELECT account FROM key_slots WHERE kind = 'keychain'")
    .get() as { account: string }
  return row.account
}

describe('Vault', () => {
  it('starts missing, is unlocked after creation, locks and opens silently from the keychain', async () => {
    const { vault } = newVault()
    expect(vault.status()).toEqual({ state: 'missing' })
    const { recoveryKey } = await vault.create({ mode: 'keychain' })
    expect(recoveryKey).toMatch(/^[0-9A-Z]+(-[0-9A-Z]+)+$/)
    expect(vault.status()).toMatchObject({ state: 'unlocked', mode: 'keychain' })
    expect(Date.parse(vault.status().createdAt!)).toBeGreaterThan(Date.now() - 60_000)
    vault.lock()
    expect(vault.status().state).toBe('locked')
    expect(() => vault.requireKey()).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect((await vault.unlockSilently()).state).toBe('unlocked')
  })

  it('refuses to create a second vault over the first', async () => {
    const { vault } = newVault()
    await vault.create({ mode: 'keychain' })
    await expect(vault.create({ mode: 'keychain' })).rejects.toMatchObject({ code: 'VAULT_EXISTS' })
  })

  it.each([
    [
      'settings that are not JSON',
      "UPDATE key_slots SET kdf_params = '{\"N\": 131072,' WHERE kind = 'passphrase'",
      'its settings are not valid JSON',
    ],
    [
      'settings that are gone',
      "UPDATE key_slots SET kdf_params = NULL WHERE kind = 'passphrase'",
      'its settings are missing',
    ],
    ['a slot that is gone', "DELETE FROM key_slots WHERE kind = 'passphrase'", 'it is missing'],
  ])(
    'names a damaged passphrase slot (%s) and points to the recovery key',
    async (_, damage, why) => {
      const { vault, dataDir, keyStore } = newVault()
      const { recoveryKey } = await vault.create({ mode: 'passphrase', passphrase: PASSPHRASE })
      vault.database().exec(damage)
      vault.close()
      const reopened = newVault(keyStore, dataDir).vault
      expect(reopened.status()).toMatchObject({ state: 'locked', mode: 'passphrase' })
      await expect(
        reopened.unlock({ method: 'passphrase', passphrase: PASSPHRASE }),
      ).rejects.toMatchObject({
        code: 'VAULT_INTEGRITY',
        message: `The vault's passphrase key slot is damaged: ${why}.`,
        hint: expect.stringContaining('recovery key') as string,
      })
      await reopened.unlock({ method: 'recovery', recoveryKey })
      expect(reopened.status().state).toBe('unlocked')
    },
  )

  it('refuses a weak passphrase and creates nothing', async () => {
    const { vault } = newVault()
    await expect(vault.create({ mode: 'passphrase', passphrase: 'short' })).rejects.toMatchObject({
      code: 'WEAK_PASSPHRASE',
    })
    expect(vault.status()).toEqual({ state: 'missing' })
  })

  it('unlocks with the right passphrase only; a wrong one changes nothing', async () => {
    const { vault, dataDir, keyStore } = newVault()
    await vault.create({ mode: 'passphrase', passphrase: PASSPHRASE })
    vault.close()
    const reopened = newVault(keyStore, dataDir).vault
    expect(reopened.status()).toMatchObject({ state: 'locked', mode: 'passphrase' })
    expect((await reopened.unlockSilently()).state).toBe('locked')
    await expect(
      reopened.unlock({ method: 'passphrase', passphrase: 'wrong horse battery staple' }),
    ).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: 'That passphrase does not open this vault.',
    })
    expect(reopened.status().state).toBe('locked')
    await reopened.unlock({ method: 'passphrase', passphrase: PASSPHRASE })
    expect(reopened.status().state).toBe('unlocked')
  })

  it('tells a malformed recovery key from a wrong one', async () => {
    const { vault } = newVault()
    await vault.create({ mode: 'keychain' })
    vault.lock()
    await expect(
      vault.unlock({ method: 'recovery', recoveryKey: 'ABCD-EFGH' }),
    ).rejects.toMatchObject({ code: 'RECOVERY_KEY_INVALID' })
    const otherVaultsKey = generateRecoveryKey().display
    await expect(
      vault.unlock({ method: 'recovery', recoveryKey: otherVaultsKey }),
    ).rejects.toMatchObject({ code: 'WRONG_RECOVERY_KEY' })
    expect(vault.status().state).toBe('locked')
  })

  it('when the keychain item is gone: explains, opens with the recovery key, and re-seals with a new keychain key', async () => {
    const { vault, keyStore } = newVault()
    const { recoveryKey } = await vault.create({ mode: 'keychain' })
    const lostAccount = keychainAccount(vault)
    vault.lock()
    await keyStore.remove(lostAccount)

    await expect(vault.unlock({ method: 'keychain' })).rejects.toMatchObject({
      code: 'KEYCHAIN_ITEM_MISSING',
      hint: expect.stringContaining('recovery key') as string,
    })
    const silent = await vault.unlockSilently()
    expect(silent).toMatchObject({ state: 'locked', lastError: { code: 'KEYCHAIN_ITEM_MISSING' } })

    expect(
      await vault.unlock({ method: 'recovery', recoveryKey: recoveryKey.toLowerCase() }),
    ).toEqual({ resealedKeychain: true })
    expect(keychainAccount(vault)).not.toBe(lostAccount)
    vault.lock()
    await vault.unlock({ method: 'keychain' })
    expect(vault.status().state).toBe('unlocked')
  })

  it('switches to a passphrase (removing the keychain item) and back', async () => {
    const { vault, keyStore } = newVault()
    await vault.create({ mode: 'keychain' })
    const account = keychainAccount(vault)
    await vault.rewrapWithPassphrase(PASSPHRASE)
    expect(await keyStore.read(account)).toBeNull()
    vault.lock()
    await expect(vault.unlock({ method: 'keychain' })).rejects.toMatchObject({
      code: 'KEYCHAIN_ITEM_MISSING',
    })
    await vault.unlock({ method: 'passphrase', passphrase: PASSPHRASE })
    await vault.rewrapWithKeychain()
    vault.lock()
    await vault.unlock({ method: 'keychain' })
    await expect(
      vault.unlock({ method: 'passphrase', passphrase: PASSPHRASE }),
    ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
  })

  it('a failed keychain write during creation leaves no vault behind', async () => {
    const failing: KeyStore = {
      kind: 'memory',
      read: async () => null,
      write: async () => {
        throw Object.assign(new Error('keychain unavailable'), { code: 'KEYCHAIN_UNAVAILABLE' })
      },
      remove: async () => undefined,
    }
    const { vault } = newVault(failing)
    await expect(vault.create({ mode: 'keychain' })).rejects.toThrow()
    expect(vault.status()).toEqual({ state: 'missing' })
  })

  it('keeps the data key out of the database file', async () => {
    const { vault } = newVault()
    await vault.create({ mode: 'keychain' })
    const key = Buffer.from(vault.requireKey()) // a copy: closing zeroes the vault's own
    vault.close()
    const bytes = Buffer.concat([
      readFileSync(vault.path),
      readFileSync(`${vault.path}-wal`, { flag: 'a+' }),
    ])
    expect(bytes.includes(key)).toBe(false)
  })
})

describe.skipIf(process.env.BRIDGEKEEP_SECRET_SERVICE !== 'private')(
  'Vault with the real Secret Service',
  () => {
    it('creates, locks and unlocks through the OS keychain', async () => {
      const keyStore = createOsKeyStore('dev.bridgekeep.vault.test')
      const { vault } = newVault(keyStore)
      await vault.create({ mode: 'keychain' })
      const account = keychainAccount(vault)
      expect(await keyStore.read(account)).toHaveLength(32)
      vault.lock()
      await vault.unlock({ method: 'keychain' })
      expect(vault.status().state).toBe('unlocked')
      await keyStore.remove(account)
    })
  },
)

import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../log'
import { MemoryKeyStore } from '../security/keystore'
import { Vault } from '../services/vault/vault'
import { ensurePrivateFolder } from './private-folder'

const mode = (path: string) => statSync(path).mode & 0o7777

describe.skipIf(process.platform === 'win32')(
  'the data folder and the vault files are private',
  () => {
    let umask: number
    beforeEach(() => {
      // What most shells set: files 0644 and folders 0755 unless the code asks otherwise.
      umask = process.umask(0o022)
    })
    afterEach(() => {
      process.umask(umask)
    })

    it('creates vault.db, -wal and -shm 0600 in a pre-existing 0755 folder, which becomes 0700', async () => {
      const home = join(mkdtempSync(join(tmpdir(), 'bk-modes-')), 'home')
      mkdirSync(home, { mode: 0o755 })
      expect(mode(home)).toBe(0o755)
      const vault = new Vault({
        dataDir: home,
        keyStore: new MemoryKeyStore(),
        log: memoryLogger(),
      })
      await vault.create({ mode: 'keychain' })
      expect(mode(home)).toBe(0o700)
      for (const file of ['vault.db', 'vault.db-wal', 'vault.db-shm'])
        expect(mode(join(home, file)), file).toBe(0o600)
      vault.close()
    })

    it('tightens the files of a vault an older version left 0644', async () => {
      const home = mkdtempSync(join(tmpdir(), 'bk-modes-'))
      const keyStore = new MemoryKeyStore()
      const first = new Vault({ dataDir: home, keyStore, log: memoryLogger() })
      await first.create({ mode: 'keychain' })
      first.close()
      chmodSync(home, 0o755)
      chmodSync(join(home, 'vault.db'), 0o644)
      const again = new Vault({ dataDir: home, keyStore, log: memoryLogger() })
      expect(again.status().state).toBe('locked')
      expect(mode(home)).toBe(0o700)
      for (const file of ['vault.db', 'vault.db-wal', 'vault.db-shm'])
        expect(mode(join(home, file)), file).toBe(0o600)
      again.close()
    })

    it('refuses a folder others can write to, naming the fix, and changes nothing', () => {
      const shared = mkdtempSync(join(tmpdir(), 'bk-modes-'))
      chmodSync(shared, 0o777)
      expect(() => ensurePrivateFolder(shared)).toThrow(
        expect.objectContaining({
          message: `The data folder ${shared} can be written to by other users (mode 0777).`,
          hint: expect.stringContaining(`chmod 700 '${shared}'`) as string,
        }),
      )
      expect(mode(shared)).toBe(0o777)
      const file = join(shared, 'file')
      writeFileSync(file, '')
      expect(() => ensurePrivateFolder(file)).toThrow(`The data folder ${file} is not a folder.`)
    })
  },
)

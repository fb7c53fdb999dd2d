// Vault figures: open + unlock with and without the keychain round-trip, creating
// and listing 10,000 connections, and decrypting secret fields. Run inside the private Secret
// Service (`bash scripts/with-secret-service.sh npm run bench -- vault`) for unlock_keychain_ms.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { memoryLogger } from '../src/main/log'
import { decryptField } from '../src/main/security/envelope'
import { createOsKeyStore, MemoryKeyStore, type KeyStore } from '../src/main/security/keystore'
import { ConnectionsRepository } from '../src/main/services/connections/connections-repository'
import { ConnectionsService } from '../src/main/services/connections/connections-service'
import { Vault } from '../src/main/services/vault/vault'
import { providers } from '../src/shared/providers'
import { canaryValues } from '../test/catalog-values'
import { report, round, sample, summarize } from './lib/measure'

const COUNT = 10_000
const log = memoryLogger()
const dirs: string[] = []

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bk-bench-vault-'))
  dirs.push(dir)
  return dir
}

async function unlockMedian(keyStore: KeyStore, runs: number): Promise<number> {
  const dataDir = tempDir()
  const creator = new Vault({ dataDir, keyStore, log })
  await creator.create({ mode: 'keychain' })
  creator.close()
  const samples = await sample(async () => {
    const vault = new Vault({ dataDir, keyStore, log })
    await vault.unlock({ method: 'keychain' })
    vault.close()
  }, runs)
  return summarize(samples).median
}

async function main(): Promise<void> {
  const unlockMs = await unlockMedian(new MemoryKeyStore(), 50)
  const unlockKeychainMs =
    process.env.BRIDGEKEEP_SECRET_SERVICE === 'private'
      ? await unlockMedian(createOsKeyStore('dev.bridgekeep.vault.bench'), 20)
      : null

  const vault = new Vault({ dataDir: tempDir(), keyStore: new MemoryKeyStore(), log })
  await vault.create({ mode: 'keychain' })
  const connections = new ConnectionsService({ vault, log })
  // Each connection gets its own random token (the catalog's example, randomized and re-validated).
  const github = providers.find((provider) => provider.id === 'github')!
  const inputs = Array.from({ length: COUNT }, (_, i) => ({
    name: `github-${String(i).padStart(5, '0')}`,
    provider: 'github',
    authMode: 'inline',
    values: canaryValues(github, 'inline').values,
    labels: ['bench'],
  }))
  const createStart = performance.now()
  connections.createMany(inputs)
  const createMs = performance.now() - createStart

  const list = summarize(await sample(() => connections.list(), 20))
  const listed = connections.list().length

  const key = vault.requireKey()
  const vaultId = vault.vaultId()
  const fields = new ConnectionsRepository(vault.database()).allFields()
  const decryptStart = performance.now()
  for (const field of fields) {
    decryptField(key, field.ciphertext, {
      vaultId,
      connectionId: field.connection_id,
      field: field.field,
      secretVersion: field.version,
    })
  }
  const decryptSeconds = (performance.now() - decryptStart) / 1000
  vault.close()

  report({
    bench: 'vault',
    connections: listed,
    unlock_ms: round(unlockMs),
    unlock_keychain_ms: unlockKeychainMs === null ? null : round(unlockKeychainMs),
    create_10k_ms: round(createMs, 1),
    list_10k_ms: round(list.median),
    decrypt_fields: fields.length,
    decrypt_fields_per_s: Math.round(fields.length / decryptSeconds),
  })
}

main().finally(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

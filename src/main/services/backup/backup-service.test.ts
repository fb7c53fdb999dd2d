import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentsBesidesAudit } from '../../../../test/audit-trail'
import { connectionInput, freshServices, unlockedServices } from '../../../../test/services'
import type { Services } from '..'
import { LATEST_SCHEMA_VERSION } from '../../db/database'
import { wrapKey } from '../../security/envelope'
import { BACKUP_MAGIC, encodeBackup, fileKeyPurpose, type BackupHeader } from './backup-file'

/** A vault with two connections whose secrets are random canaries. */
async function vaultWithSecrets() {
  const setup = await unlockedServices()
  const canaries: Record<string, string> = {}
  const ids: string[] = []
  for (const name of ['prod-github', 'ci-github']) {
    const input = connectionInput('github', name)
    const token = `ghp_${randomBytes(18).toString('hex')}`
    const created = setup.services.connections.create({
      ...input,
      values: { ...input.values, token },
    })
    canaries[created.id] = token
    ids.push(created.id)
  }
  return { ...setup, canaries, ids }
}

/** Every canary token reads back equal from `services`' vault, under its connection's id. */
function expectSecretsReadBack(services: Services, canaries: Record<string, string>): void {
  for (const [id, token] of Object.entries(canaries))
    expect(services.connections.reveal(id, 'token')).toBe(token)
}

describe('BackupService', () => {
  it('restores into a fresh data folder with only the recovery key: the secrets read back equal', async () => {
    const source = await vaultWithSecrets()
    const made = await source.services.backup.create()
    expect(made.filename).toMatch(/^bridgekeep-\d{8}-\d{6}\.bkbackup$/)
    expect(made.bytes.subarray(0, BACKUP_MAGIC.length).toString()).toBe(BACKUP_MAGIC)
    for (const canary of Object.values(source.canaries))
      expect(made.bytes.includes(Buffer.from(canary))).toBe(false)

    const target = freshServices()
    // An empty database, open in this process, as any look at the vault's tables leaves it.
    target.services.vault.database()
    expect(target.services.vault.status()).toEqual({ state: 'missing' })
    const result = await target.services.backup.restore({
      data: made.bytes,
      recoveryKey: source.recoveryKey,
      replaceExisting: false,
    })
    expect(result).toMatchObject({
      vaultId: source.services.vault.vaultId(),
      replacedExisting: false,
    })
    expectSecretsReadBack(target.services, source.canaries)
    const actions = target.services.audit.query().entries.map((entry) => entry.action)
    expect(actions.filter((action) => action !== 'connection.reveal').slice(0, 2)).toEqual([
      'backup.restored',
      'vault.unlock',
    ])
    // The source recorded the backup, with its name and nothing secret.
    const created = source.services.audit.query().entries[0]
    expect(created).toMatchObject({ action: 'backup.created', outcome: 'success' })
    expect(created?.detail).toContain(made.filename)
    expect(statSync(target.services.vault.path).mode & 0o777).toBe(0o600)
    expect(readdirSync(target.dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('replaces the open vault in place when asked: the same services then read the restored one', async () => {
    const source = await vaultWithSecrets()
    const made = await source.services.backup.create()
    const other = await vaultWithSecrets()
    const otherIds = other.services.connections.list().map((c) => c.id)

    await expect(
      other.services.backup.restore({
        data: made.bytes,
        recoveryKey: source.recoveryKey,
        replaceExisting: false,
      }),
    ).rejects.toMatchObject({ code: 'VAULT_EXISTS' })
    expect(other.services.connections.list().map((c) => c.id)).toEqual(otherIds)

    const result = await other.services.backup.restore({
      data: made.bytes,
      recoveryKey: source.recoveryKey,
      replaceExisting: true,
    })
    expect(result.replacedExisting).toBe(true)
    expect(other.services.vault.vaultId()).toBe(source.services.vault.vaultId())
    expectSecretsReadBack(other.services, source.canaries)
    // Nothing of the replaced vault is left in the folder.
    expect(readdirSync(other.dataDir).filter((name) => name.includes('replaced'))).toEqual([])
  })

  it('replaces a vault file too damaged to open, the case its integrity error points here for', async () => {
    const source = await vaultWithSecrets()
    const made = await source.services.backup.create()
    const target = freshServices()
    writeFileSync(target.services.vault.path, randomBytes(64 * 1024))
    await expect(
      target.services.backup.restore({
        data: made.bytes,
        recoveryKey: source.recoveryKey,
        replaceExisting: false,
      }),
    ).rejects.toMatchObject({ code: 'VAULT_EXISTS' })
    await target.services.backup.restore({
      data: made.bytes,
      recoveryKey: source.recoveryKey,
      replaceExisting: true,
    })
    expectSecretsReadBack(target.services, source.canaries)
  })

  it('refuses foreign, damaged, too new and wrong-key files with distinct codes, changing nothing', async () => {
    const source = await vaultWithSecrets()
    const { bytes } = await source.services.backup.create()
    const target = await vaultWithSecrets()
    target.services.vault.close()
    const before = contentsBesidesAudit(target.services.vault.path)
    const headerAt = BACKUP_MAGIC.length + 10
    const flipped = (at: number) => {
      const copy = Buffer.from(bytes)
      copy[at] = copy[at]! ^ 0x01
      return copy
    }
    const tooNew = tooNewBackup(source.services.vault.vaultId())
    const cases: [Buffer, string, RegExp][] = [
      [randomBytes(4096), 'BACKUP_FOREIGN', /is not a Bridgekeep backup/],
      [readFileSync(source.services.vault.path), 'BACKUP_FOREIGN', /is not a Bridgekeep backup/],
      [bytes.subarray(0, bytes.length - 100), 'BACKUP_DAMAGED', /integrity check/],
      [bytes.subarray(0, BACKUP_MAGIC.length + 20), 'BACKUP_DAMAGED', /header/],
      [flipped(headerAt), 'BACKUP_DAMAGED', /does not match its checksum/],
      [flipped(bytes.length - 5000), 'BACKUP_DAMAGED', /integrity check/],
      [tooNew, 'BACKUP_TOO_NEW', /newer version/],
    ]
    for (const [data, code, message] of cases) {
      await expect(
        target.services.backup.restore({
          data,
          recoveryKey: source.recoveryKey,
          replaceExisting: true,
        }),
      ).rejects.toMatchObject({ code, message: expect.stringMatching(message) })
    }
    await expect(
      target.services.backup.restore({
        data: bytes,
        recoveryKey: target.recoveryKey,
        replaceExisting: true,
      }),
    ).rejects.toMatchObject({
      code: 'WRONG_RECOVERY_KEY',
      message: 'That recovery key does not open this backup.',
    })
    target.services.vault.close()
    // Every table but the audit trail's, which records each refusal (the test below).
    expect(contentsBesidesAudit(target.services.vault.path)).toEqual(before)
  })

  it('audits refused restores in the vault they were tried against, with the reason', async () => {
    const source = await vaultWithSecrets()
    const { bytes } = await source.services.backup.create()
    const target = await vaultWithSecrets()
    const attempts = [
      { data: bytes, recoveryKey: source.recoveryKey, replaceExisting: false },
      { data: randomBytes(4096), recoveryKey: source.recoveryKey, replaceExisting: true },
      { data: bytes, recoveryKey: target.recoveryKey, replaceExisting: true },
    ]
    for (const attempt of attempts)
      await expect(target.services.backup.restore(attempt)).rejects.toThrow()
    const refused = target.services.audit
      .query({ filter: { outcome: 'failure' }, limit: 10 })
      .entries.filter((entry) => entry.action === 'backup.restored')
      .map((entry) => entry.detail)
    expect(refused.sort()).toEqual([
      'Restoring; BACKUP_FOREIGN',
      'Restoring; VAULT_EXISTS',
      'Restoring; WRONG_RECOVERY_KEY',
    ])
    expectSecretsReadBack(target.services, target.canaries)
  })

  it('needs the vault unlocked to make a backup, and never writes over a file', async () => {
    const source = await vaultWithSecrets()
    const path = join(source.dataDir, 'mine.bkbackup')
    writeFileSync(path, 'keep me')
    await expect(source.services.backup.createFile(path)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(path),
    })
    expect(readFileSync(path, 'utf8')).toBe('keep me')
    const fresh = join(source.dataDir, 'new.bkbackup')
    await source.services.backup.createFile(fresh)
    expect(statSync(fresh).mode & 0o777).toBe(0o600)

    source.services.vaultLifecycle.lock()
    await expect(source.services.backup.create()).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
  })

  it('removes stale snapshot files at the next backup, and leaves young ones alone', async () => {
    const { services, dataDir } = await vaultWithSecrets()
    const stale = join(dataDir, '.backup-0123456789ab.tmp')
    const young = join(dataDir, '.restore-ba9876543210.tmp')
    writeFileSync(stale, 'x')
    writeFileSync(young, 'x')
    const hoursAgo = (Date.now() - 2 * 60 * 60 * 1000) / 1000
    utimesSync(stale, hoursAgo, hoursAgo)
    await services.backup.create()
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(young)).toBe(true)
  })
})

/** A well-formed backup whose header says it holds a schema this version does not know. */
function tooNewBackup(vaultId: string): Buffer {
  const dataKey = randomBytes(32)
  const fileKey = randomBytes(32)
  const header: BackupHeader = {
    format: 1,
    vaultId,
    createdAt: new Date().toISOString(),
    appVersion: '99.0.0',
    schemaVersion: LATEST_SCHEMA_VERSION + 1,
    recoverySlot: wrapKey(randomBytes(32), dataKey, 'x').toString('base64'),
    fileKey: wrapKey(dataKey, fileKey, fileKeyPurpose(vaultId)).toString('base64'),
  }
  return encodeBackup(header, fileKey, Buffer.from('not read'))
}

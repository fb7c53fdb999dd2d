import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IpcResult } from '../../../shared/ipc/result'
import {
  headRow,
  peek,
  rebuildChain,
  servicesAt,
  tamper,
  unsealed,
  withEntries,
} from '../../../../test/audit-trail'
import { openDatabase } from '../../db/database'
import { migrations } from '../../db/migrations'
import { MemoryKeyStore } from '../../security/keystore'
import { AUDIT_COLUMNS, chainHash, GENESIS_HASH, type AuditRowValues } from './audit-chain'

/**
 * The keyed audit trail over time: entries recorded while locked are sealed at the next unlock, a
 * trail from before keying is sealed at the first unlock after the upgrade, and a new data key
 * re-keys it. (What verify finds in a tampered trail: audit-tamper.test.ts.)
 */

describe('the keyed audit trail: entries recorded while locked', () => {
  it('are appended without a MAC, sealed at the next unlock in one go, and verify', async () => {
    const { services } = await withEntries(3)
    const path = services.vault.path
    services.vault.lock()
    services.audit.record({
      action: 'vault.unlock',
      outcome: 'failure',
      detail: 'WRONG_PASSPHRASE',
    })
    services.audit.record({
      action: 'vault.unlock',
      outcome: 'failure',
      detail: 'WRONG_PASSPHRASE',
    })
    expect(unsealed(path)).toEqual([4, 5])
    expect(headRow(path)).toMatchObject({ entries: 3, while_locked: 0 })

    await services.vault.unlock({ method: 'keychain' })
    expect(unsealed(path)).toEqual([])
    expect(headRow(path)).toMatchObject({ entries: 5, while_locked: 2 })
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: true,
      checked: 5,
      damage: [],
      seal: { status: 'valid', entries: 5, whileLocked: 2, pending: 0 },
    })
    expect(result.message).toBe(
      'All 5 entries verify. 2 entries recorded while the vault was locked were sealed at the next unlock. ' +
        'Until sealed, entries recorded while locked are protected by the hash chain only: any removed from the end before that unlock would not show.',
    )
    // Once sealed they are as protected as any other.
    tamper(path, (db) => db.prepare('DELETE FROM audit_log WHERE id = 5').run())
    expect(services.audit.verify()).toMatchObject({
      damage: ['truncated'],
      truncated: { sealed: 5, found: 4, missing: 1 },
    })
  })

  it('recorded by another process while this one is unlocked: pending, then sealed by the next append', async () => {
    const { services, dataDir } = await withEntries(2)
    // The CLI, say, whose keychain lookup failed: it records the failure while locked.
    const cli = servicesAt(dataDir, new MemoryKeyStore()).services
    cli.audit.record({
      action: 'vault.unlock',
      outcome: 'failure',
      detail: 'KEYCHAIN_ITEM_MISSING',
    })
    const pending = services.audit.verify()
    expect(pending).toMatchObject({
      ok: true,
      checked: 3,
      seal: { entries: 2, whileLocked: 0, pending: 1 },
    })
    expect(pending.message).toContain(
      '1 entry recorded while the vault was locked is not sealed yet',
    )
    services.audit.record({ action: 'vault.lock' })
    expect(unsealed(services.vault.path)).toEqual([])
    expect(services.audit.verify()).toMatchObject({
      ok: true,
      checked: 4,
      seal: { entries: 4, whileLocked: 1, pending: 0 },
    })
    cli.vault.close()
  })

  it('the limitation, by design: one removed before the next unlock does not show', async () => {
    const { services } = await withEntries(3)
    services.vault.lock()
    services.audit.record({ action: 'vault.unlock', outcome: 'failure', detail: 'first' })
    services.audit.record({ action: 'vault.unlock', outcome: 'failure', detail: 'second' })
    // Unsealed entries at the end are protected by the plain hash chain only.
    tamper(services.vault.path, (db) => db.prepare('DELETE FROM audit_log WHERE id = 5').run())
    await services.vault.unlock({ method: 'keychain' })
    expect(services.audit.verify()).toMatchObject({
      ok: true,
      checked: 4,
      seal: { entries: 4, whileLocked: 1 },
    })
  })
})

describe('the keyed audit trail: keys and versions', () => {
  it('a vault from schema 5, with a trail, is sealed at the first unlock after the upgrade', async () => {
    const keyStore = new MemoryKeyStore()
    // A real vault's key slots...
    const source = servicesAt(mkdtempSync(join(tmpdir(), 'bk-seal-src-')), keyStore).services
    await source.vault.create({ mode: 'keychain' })
    const vaultId = source.vault.vaultId()
    source.vault.close()
    // ...in a schema-5 database, as the previous release left it, with the trail it wrote.
    const dataDir = mkdtempSync(join(tmpdir(), 'bk-seal-v5-'))
    const path = join(dataDir, 'vault.db')
    const v5 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 5) })
    expect(v5.pragma('user_version', { simple: true })).toBe(5)
    v5.exec(`ATTACH DATABASE '${source.vault.path}' AS source`)
    v5.exec('INSERT INTO meta SELECT * FROM source.meta')
    v5.exec('INSERT INTO key_slots SELECT * FROM source.key_slots')
    v5.exec('DETACH DATABASE source')
    const insert = v5.prepare(
      `INSERT INTO audit_log (${AUDIT_COLUMNS.join(', ')}) VALUES (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
    )
    let previous = GENESIS_HASH
    for (let id = 1; id <= 12; id++) {
      const row: AuditRowValues = [
        id,
        new Date(Date.UTC(2026, 0, id)).toISOString(),
        'someone',
        vaultId,
        id === 1 ? 'vault.create' : 'connection.reveal',
        id === 1 ? 'vault' : 'connection',
        id === 1 ? vaultId : `c-${id}`,
        null,
        null,
        null,
        'success',
        `entry ${id}`,
        '',
      ]
      row[12] = previous = chainHash(previous, row)
      insert.run(row)
    }
    v5.close()

    const { services, log } = servicesAt(dataDir, keyStore)
    // Opening runs migration 006; locked, nothing can be MAC'd yet.
    expect(services.vault.status()).toMatchObject({ state: 'locked' })
    expect(headRow(path)).toMatchObject({ entries: 0, before_keying: 12, mac: null })
    expect(unsealed(path)).toHaveLength(12)
    // A failed unlock recorded after the upgrade, before the first unlock.
    services.audit.record({ action: 'vault.unlock', outcome: 'failure', detail: 'KEYCHAIN_LOCKED' })

    await services.vault.unlock({ method: 'keychain' })
    expect(unsealed(path)).toEqual([])
    expect(headRow(path)).toMatchObject({ entries: 13, before_keying: 12, while_locked: 1 })
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        event: 'audit.sealed',
        fields: { whileLocked: 1, beforeKeying: 12 },
      }),
    )
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: true,
      checked: 13,
      damage: [],
      seal: { status: 'valid', entries: 13, beforeKeying: 12, whileLocked: 1, pending: 0 },
    })
    expect(result.seal.keyedAt).toEqual(expect.any(String))
    expect(result.message).toContain(
      'All 13 entries verify. 12 of them were written by an earlier version',
    )

    // From then on the old entries are sealed too: cutting them off, or rebuilding them, shows.
    tamper(path, (db) => {
      db.prepare("UPDATE audit_log SET detail = 'rewritten' WHERE id = 3").run()
      rebuildChain(db)
    })
    expect(services.audit.verify()).toMatchObject({
      ok: false,
      brokenCount: 0,
      damage: ['rewritten'],
      rewritten: { id: 3, count: 11 },
    })
    services.vault.close()
  })

  it('a new data key (re-encrypt) re-keys every MAC and the head; tampering still shows', async () => {
    const { services, call } = await withEntries(5)
    const path = services.vault.path
    const before = peek(path, (db) => db.prepare('SELECT mac FROM audit_log WHERE id = 1').get())
    const result = (await call('vault:reencrypt', {})) as IpcResult<unknown>
    expect(result.ok).toBe(true)
    const after = peek(path, (db) => db.prepare('SELECT mac FROM audit_log WHERE id = 1').get())
    expect(after).not.toEqual(before)
    expect(headRow(path)).toMatchObject({ entries: 6 })
    expect(services.audit.verify()).toMatchObject({
      ok: true,
      checked: 6,
      seal: { status: 'valid', entries: 6 },
    })
    // The re-keying went through the trigger's one exception, which is closed again.
    expect(peek(path, (db) => db.prepare('SELECT rekeying FROM audit_head').get())).toEqual({
      rekeying: 0,
    })
    services.vault.lock()
    await services.vault.unlock({ method: 'keychain' })
    services.audit.record({ action: 'vault.lock' })
    expect(services.audit.verify()).toMatchObject({ ok: true, checked: 7 })
    tamper(path, (db) => db.prepare('DELETE FROM audit_log WHERE id > 5').run())
    expect(services.audit.verify()).toMatchObject({
      damage: ['truncated'],
      truncated: { sealed: 7, found: 5, missing: 2 },
    })
  })
})

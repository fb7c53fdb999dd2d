import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { IpcResult } from '../../../shared/ipc/result'
import { unlockedServices } from '../../../../test/services'
import { openDatabase } from '../../db/database'
import { migrations } from '../../db/migrations'
import { memoryLogger } from '../../log'
import { MemoryKeyStore, type KeyStore } from '../../security/keystore'
import { createServices } from '..'
import { AUDIT_COLUMNS, chainHash, GENESIS_HASH, type AuditRowValues } from './audit-chain'

/**
 * The keyed audit trail: what the plain SHA-256 chain cannot show, cutting
 * entries off its end and rebuilding it after an edit, shows once it is sealed under the vault's
 * key; and entries recorded while locked are sealed at the next unlock.
 */

/** Edits the vault file behind the app's back, dropping every trigger first, as an attacker would. */
function tamper(path: string, edit: (db: BetterSqlite3.Database) => void): void {
  const raw = new BetterSqlite3(path)
  const triggers = raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'")
    .all() as { name: string }[]
  for (const { name } of triggers) raw.exec(`DROP TRIGGER "${name}"`)
  edit(raw)
  raw.close()
}

/** Reads the file as it is, without the service. */
function peek<T>(path: string, read: (db: BetterSqlite3.Database) => T): T {
  const raw = new BetterSqlite3(path, { readonly: true })
  try {
    return read(raw)
  } finally {
    raw.close()
  }
}

const unsealed = (path: string) =>
  peek(path, (db) =>
    (
      db.prepare('SELECT id FROM audit_log WHERE mac IS NULL ORDER BY id').all() as { id: number }[]
    ).map((row) => row.id),
  )

const headRow = (path: string) =>
  peek(
    path,
    (db) =>
      db
        .prepare(
          'SELECT entries, last_hash, before_keying, while_locked, keyed_at, mac FROM audit_head',
        )
        .get() as {
        entries: number
        last_hash: string
        before_keying: number
        while_locked: number
        keyed_at: string | null
        mac: string | null
      },
  )

/** Recomputes every hash from the first entry: what anyone with the file can do, no key needed. */
function rebuildChain(db: BetterSqlite3.Database): void {
  const rows = db
    .prepare(`SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit_log ORDER BY id`)
    .raw()
    .all() as AuditRowValues[]
  const update = db.prepare('UPDATE audit_log SET hash = ? WHERE id = ?')
  let previous = GENESIS_HASH
  for (const row of rows) {
    previous = chainHash(previous, row)
    update.run(previous, row[0])
  }
}

async function withEntries(count: number) {
  const setup = await unlockedServices()
  for (let i = 0; i < count; i++) {
    setup.services.audit.record({
      action: 'environment.describe',
      target: { type: 'environment', id: `env-${i}`, name: `env ${i}` },
      detail: `entry ${i}`,
    })
  }
  return setup
}

function servicesAt(dataDir: string, keyStore: KeyStore) {
  const log = memoryLogger()
  const services = createServices({
    dataDir,
    appInfo: { name: 'Bridgekeep', version: 'test', platform: 'linux', host: 'electron' },
    log,
    keyStore,
  })
  return { services, log }
}

describe('the keyed audit trail: what verify finds, and names', () => {
  it('every keyed entry carries a MAC and the sealed head follows each append', async () => {
    const { services } = await withEntries(4)
    const path = services.vault.path
    expect(unsealed(path)).toEqual([])
    const head = headRow(path)
    expect(head).toMatchObject({ entries: 4, before_keying: 0, while_locked: 0 })
    expect(head.mac).toMatch(/^[0-9a-f]{64}$/)
    const last = peek(path, (db) => db.prepare('SELECT hash FROM audit_log WHERE id = 4').get())
    expect(last).toEqual({ hash: head.last_hash })
    expect(services.audit.verify()).toMatchObject({
      ok: true,
      damage: [],
      truncated: null,
      rewritten: null,
      seal: { status: 'valid', entries: 4, whileLocked: 0, pending: 0, beforeKeying: 0 },
      message: 'All 4 entries verify.',
    })
  })

  it('(b) truncation: entries deleted from the end are found missing, and how many', async () => {
    const { services, log } = await withEntries(20)
    tamper(services.vault.path, (db) => db.prepare('DELETE FROM audit_log WHERE id > 17').run())
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      checked: 17,
      // The plain chain still links: it is what is missing that shows.
      brokenCount: 0,
      firstBroken: null,
      damage: ['truncated'],
      truncated: { sealed: 20, found: 17, missing: 3 },
      rewritten: null,
    })
    expect(result.message).toContain(
      'The audit trail was truncated: its seal vouches for 20 entries but only the first 17 remain — the last 3 were removed.',
    )

    // The app keeps recording (it must), but never seals over the cut: the evidence stays.
    const head = headRow(services.vault.path)
    for (let i = 0; i < 5; i++) services.audit.record({ action: 'vault.lock' })
    expect(headRow(services.vault.path)).toEqual(head)
    const refusals = log.lines.filter((line) => line.event === 'audit.seal-refused')
    expect(refusals[0]).toMatchObject({ level: 'warn', fields: { reason: 'truncated' } })
    const later = services.audit.verify()
    expect(later).toMatchObject({
      ok: false,
      checked: 22,
      brokenCount: 0,
      damage: ['truncated'],
      truncated: { sealed: 20, found: 17, missing: 3 },
    })
    expect(later.message).toContain('The 5 entries after #17 carry no seal')
  })

  it('(c) rewriting: a chain rebuilt consistently after an edit links up, but its MACs fail', async () => {
    const { services } = await withEntries(10)
    tamper(services.vault.path, (db) => {
      db.prepare("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 5").run()
      rebuildChain(db)
    })
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      checked: 10,
      brokenCount: 0,
      firstBroken: null,
      truncated: null,
      damage: ['rewritten'],
      rewritten: { id: 5, action: 'environment.describe', count: 6 },
      seal: { status: 'valid', entries: 10 },
    })
    expect(result.message).toMatch(
      /^The audit trail was rewritten: entry #5 \(.+, environment\.describe\) and 5 more after it link up but do not carry the vault's seal/,
    )
  })

  it('(c) + (d): a rebuilt chain with its head forged to match, or removed', async () => {
    const forged = await withEntries(6)
    tamper(forged.services.vault.path, (db) => {
      db.prepare("UPDATE audit_log SET outcome = 'failure' WHERE id = 2").run()
      rebuildChain(db)
      const last = db.prepare('SELECT hash FROM audit_log WHERE id = 6').get() as { hash: string }
      // Point the head at the new chain; its MAC cannot be recomputed without the key.
      db.prepare('UPDATE audit_head SET last_hash = ?').run(last.hash)
    })
    const result = forged.services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      brokenCount: 0,
      damage: ['rewritten', 'head-forged'],
      rewritten: { id: 2, count: 5 },
      seal: { status: 'forged', entries: 0 },
    })
    expect(result.message).toContain("The audit trail's seal does not verify: it was forged")

    const removed = await withEntries(6)
    tamper(removed.services.vault.path, (db) => {
      db.prepare('DELETE FROM audit_log WHERE id > 4').run()
      db.prepare('DELETE FROM audit_head').run()
    })
    expect(removed.services.audit.verify()).toMatchObject({
      ok: false,
      brokenCount: 0,
      damage: ['head-missing'],
      seal: { status: 'missing' },
      message: expect.stringContaining("The audit trail's seal is missing") as string,
    })
    // Stripping the head's MAC (so it looks never sealed) is the same: entries carry MACs.
    const stripped = await withEntries(3)
    tamper(stripped.services.vault.path, (db) =>
      db.prepare('UPDATE audit_head SET mac = NULL').run(),
    )
    expect(stripped.services.audit.verify()).toMatchObject({
      ok: false,
      damage: ['head-missing'],
    })
  })

  it('(d) an older head put back (to hide entries after it) is named as forged', async () => {
    const { services } = await withEntries(5)
    const old = headRow(services.vault.path)
    services.audit.record({ action: 'vault.lock' })
    services.audit.record({ action: 'vault.lock' })
    tamper(services.vault.path, (db) =>
      db
        .prepare('UPDATE audit_head SET entries = ?, last_hash = ?, mac = ?')
        .run(old.entries, old.last_hash, old.mac),
    )
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      damage: ['head-forged'],
      seal: { status: 'stale' },
    })
    expect(result.message).toContain('replaced with an older one')
  })

  it('(a) one edited entry: still its own broken link, and nothing else', async () => {
    const { services } = await withEntries(10)
    tamper(services.vault.path, (db) =>
      db.prepare("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 4").run(),
    )
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      brokenCount: 1,
      firstBroken: { id: 4, reason: 'altered' },
      damage: ['altered'],
      truncated: null,
      rewritten: null,
      seal: { status: 'valid', entries: 10 },
    })
    expect(result.message).toMatch(
      /^The audit trail was tampered with: entry #4 \(.+\) does not match the chain/,
    )
  })
})

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

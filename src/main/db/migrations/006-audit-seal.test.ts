import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'bk-m6-')), 'vault.db')

const insertEntry = `INSERT INTO audit_log (id, time, actor_user, actor_vault, action, target_type, outcome, detail, hash)
  VALUES (?, '2026-01-01T00:00:00.000Z', 'u', 'v', 'vault.lock', 'vault', 'success', '', ?)`

describe('migration 006: the sealed audit trail', () => {
  it('upgrades a schema-5 trail: every entry unsealed, the head remembering how many predate it', () => {
    const path = tempDb()
    const v5 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 5) })
    for (let id = 1; id <= 3; id++) v5.prepare(insertEntry).run(id, `h${id}`)
    v5.close()

    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 6) })
    expect(db.pragma('user_version', { simple: true })).toBe(6)
    expect(db.prepare('SELECT id, mac FROM audit_log ORDER BY id').all()).toEqual([
      { id: 1, mac: null },
      { id: 2, mac: null },
      { id: 3, mac: null },
    ])
    expect(db.prepare('SELECT * FROM audit_head').all()).toEqual([
      {
        id: 1,
        entries: 0,
        last_hash: '0'.repeat(64),
        before_keying: 3,
        while_locked: 0,
        keyed_at: null,
        mac: null,
        rekeying: 0,
      },
    ])
    db.close()
  })

  it('keeps the trail append-only: a MAC may be set once, nothing else changes', () => {
    const db = openDatabase(tempDb())
    db.prepare(insertEntry).run(1, 'h1')
    // Sealing: mac from NULL to a value, every other column as it was.
    db.prepare("UPDATE audit_log SET mac = 'm1' WHERE id = 1").run()
    for (const sql of [
      "UPDATE audit_log SET mac = 'm2' WHERE id = 1",
      'UPDATE audit_log SET mac = NULL WHERE id = 1',
      "UPDATE audit_log SET detail = 'x' WHERE id = 1",
      "UPDATE audit_log SET hash = 'x', mac = 'm3' WHERE id = 1",
      'DELETE FROM audit_log',
    ])
      expect(() => db.prepare(sql).run(), sql).toThrow(/append-only/)
    db.prepare(insertEntry).run(2, 'h2')
    expect(() =>
      db.prepare("UPDATE audit_log SET mac = 'm', detail = 'x' WHERE id = 2").run(),
    ).toThrow(/append-only/)
    // Re-keying, and only while the flag is set, may replace a MAC (never the content).
    db.prepare('UPDATE audit_head SET rekeying = 1').run()
    db.prepare("UPDATE audit_log SET mac = 'm2' WHERE id = 1").run()
    expect(() => db.prepare("UPDATE audit_log SET detail = 'x' WHERE id = 1").run()).toThrow(
      /append-only/,
    )
    db.prepare('UPDATE audit_head SET rekeying = 0').run()
    expect(() => db.prepare("UPDATE audit_log SET mac = 'm3' WHERE id = 1").run()).toThrow(
      /append-only/,
    )
    expect(db.prepare('SELECT id, detail, mac FROM audit_log ORDER BY id').all()).toEqual([
      { id: 1, detail: '', mac: 'm2' },
      { id: 2, detail: '', mac: null },
    ])
    // One head, which cannot be removed.
    expect(() => db.prepare('DELETE FROM audit_head').run()).toThrow(/cannot be removed/)
    expect(() =>
      db.prepare("INSERT INTO audit_head (id, entries, last_hash) VALUES (2, 0, '')").run(),
    ).toThrow(/CHECK/)
    db.close()
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

describe('migration 009: short-lived credentials only, per connection', () => {
  it('keeps a schema-8 connection handing out what it stores, and takes only 0 or 1', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-m9-')), 'vault.db')
    const v8 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 8) })
    v8.prepare(
      `INSERT INTO connections (id, name, slug, provider, auth_mode, config, labels, notes, current_version, created_at, updated_at)
       VALUES ('c1', 'x', 'x', 'aws', 'inline', '{}', '[]', '', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
    ).run()
    v8.close()

    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 9) })
    expect(db.pragma('user_version', { simple: true })).toBe(9)
    expect(db.prepare('SELECT id, short_lived_only FROM connections').all()).toEqual([
      { id: 'c1', short_lived_only: 0 },
    ])
    expect(() =>
      db.prepare("UPDATE connections SET short_lived_only = 2 WHERE id = 'c1'").run(),
    ).toThrow(/CHECK constraint/)
    db.close()
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

describe('migration 011: runner names', () => {
  it('names the local runner local and earlier remote runners by their id, uniquely', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-m11-')), 'vault.db')
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 11) })
    const insert = before.prepare(
      `INSERT INTO runners (id, kind, label, created_at) VALUES (?, ?, ?, '2026-01-01T00:00:00Z')`,
    )
    insert.run('local', 'local', 'Local runner')
    insert.run('3F2A9C10-0000-4000-8000-000000000000', 'remote', 'Remote runner')
    before.close()

    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 11) })
    expect(db.pragma('user_version', { simple: true })).toBe(11)
    expect(db.prepare('SELECT id, name FROM runners ORDER BY kind').all()).toEqual([
      { id: 'local', name: 'local' },
      { id: '3F2A9C10-0000-4000-8000-000000000000', name: 'remote-3f2a9c10' },
    ])
    expect(() =>
      db
        .prepare(
          `INSERT INTO runners (id, kind, label, created_at, name) VALUES ('x', 'remote', 'x', 'now', 'local')`,
        )
        .run(),
    ).toThrow(/UNIQUE/)
    expect(
      db
        .prepare(
          "SELECT name FROM pragma_table_info('connection_health') WHERE name = 'checked_by'",
        )
        .get(),
    ).toEqual({ name: 'checked_by' })
    db.close()
  })
})

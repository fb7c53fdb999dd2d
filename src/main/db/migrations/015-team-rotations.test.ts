import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

const columns = (db: ReturnType<typeof openDatabase>, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)

describe('migration 015 (team rotations)', () => {
  it('adds the list of team secrets to rotate, keeping the team spaces and their copy', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-015-')), 'vault.db')
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 15) })
    before
      .prepare(
        "INSERT INTO team_spaces VALUES ('t1', 'platform', 'c1', 'e1', 'key', 3, 'hash', '2026-01-01', '2026-01-02')",
      )
      .run()
    before.close()
    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 15) })
    expect(db.pragma('user_version', { simple: true })).toBe(15)
    expect(db.prepare('SELECT name, seen_seq, synced_at FROM team_spaces').all()).toEqual([
      { name: 'platform', seen_seq: 3, synced_at: '2026-01-02' },
    ])
    // Who could read which connection, and since when: names and public keys, no secret.
    expect(columns(db, 'team_rotations')).toEqual([
      'team_id',
      'connection_id',
      'connection_name',
      'member_key',
      'member_name',
      'left_at',
    ])
    const insert = db.prepare(
      "INSERT INTO team_rotations VALUES ('t1', 'c9', 'app-db', 'k', 'Bob', ?)",
    )
    insert.run('2026-02-01')
    // One row per connection and person: recording the same removal again adds nothing.
    expect(() => insert.run('2026-02-02')).toThrow(/UNIQUE/)
    db.close()
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

const columns = (db: ReturnType<typeof openDatabase>, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)

describe('migration 016 (team checkpoints)', () => {
  it('adds the sealed checkpoints of team spaces, keeping the team spaces and their copy', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-016-')), 'vault.db')
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 16) })
    before
      .prepare(
        "INSERT INTO team_spaces VALUES ('t1', 'platform', 'c1', 'e1', 'key', 3, 'hash', '2026-01-01', '2026-01-02')",
      )
      .run()
    before
      .prepare("INSERT INTO team_rotations VALUES ('t1', 'c9', 'app-db', 'k', 'Bob', '2026-02-01')")
      .run()
    before.close()
    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 16) })
    expect(db.pragma('user_version', { simple: true })).toBe(16)
    expect(db.prepare('SELECT name, seen_seq, synced_at FROM team_spaces').all()).toEqual([
      { name: 'platform', seen_seq: 3, synced_at: '2026-01-02' },
    ])
    expect(db.prepare('SELECT count(*) AS n FROM team_rotations').get()).toEqual({ n: 1 })
    // The head in clear (to find it without opening it), the state and audit mark sealed.
    expect(columns(db, 'team_checkpoints')).toEqual([
      'team_id',
      'founder_key',
      'head_seq',
      'head_hash',
      'state',
      'audit',
    ])
    const insert = db.prepare(
      "INSERT INTO team_checkpoints VALUES ('t1', 'key', 3, 'hash', ?, NULL)",
    )
    insert.run(Buffer.from('sealed'))
    // One checkpoint per team: a newer one replaces it, never sits beside it.
    expect(() => insert.run(Buffer.from('another'))).toThrow(/UNIQUE|PRIMARY/)
    // STRICT: a state that is not bytes is refused.
    expect(() =>
      db.prepare("INSERT INTO team_checkpoints VALUES ('t2', 'key', 3, 'hash', 42, NULL)").run(),
    ).toThrow(/cannot store INT value in BLOB column/)
    db.close()
  })
})

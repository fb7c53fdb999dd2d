import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

const columns = (db: ReturnType<typeof openDatabase>, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name)

describe('migration 014 (team connection cache)', () => {
  it('adds the ciphertext copy of team connections, keeping the team spaces', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-014-')), 'vault.db')
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 14) })
    before
      .prepare(
        "INSERT INTO team_spaces VALUES ('t1', 'platform', 'c1', 'e1', 'key', 3, 'hash', '2026-01-01')",
      )
      .run()
    before.close()
    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 14) })
    expect(db.pragma('user_version', { simple: true })).toBe(14)
    expect(db.prepare('SELECT name, seen_seq, synced_at FROM team_spaces').all()).toEqual([
      { name: 'platform', seen_seq: 3, synced_at: null },
    ])
    expect(columns(db, 'team_change_cache')).toEqual([
      'team_id',
      'seq',
      'author',
      'kind',
      'body',
      'prev_hash',
      'hash',
      'signature',
    ])
    // Ciphertext and this member's wrapped key: no column for a secret or a key in clear.
    expect(columns(db, 'team_sealed_cache')).toEqual([
      'team_id',
      'connection_id',
      'version',
      'ciphertext',
      'wrapped_key',
    ])
    db.close()
  })
})

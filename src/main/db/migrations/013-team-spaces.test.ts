import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

describe('migration 013 (team spaces)', () => {
  it('adds the table of team spaces to a vault at the previous version, keeping its rows', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-013-')), 'vault.db')
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 13) })
    const version = before.pragma('user_version', { simple: true }) as number
    const connections = before.prepare('SELECT count(*) AS n FROM connections').get()
    before.close()
    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 13) })
    expect(db.pragma('user_version', { simple: true })).toBe(13)
    expect(version).toBeLessThan(13)
    expect(db.prepare('SELECT count(*) AS n FROM connections').get()).toEqual(connections)
    const columns = (db.prepare('PRAGMA table_info(team_spaces)').all() as { name: string }[]).map(
      (c) => c.name,
    )
    expect(columns).toEqual([
      'team_id',
      'name',
      'connection_id',
      'environment_id',
      'founder_key',
      'seen_seq',
      'seen_hash',
      'joined_at',
    ])
    db.close()
  })
})

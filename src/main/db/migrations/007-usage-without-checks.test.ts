import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'bk-m7-')), 'vault.db')

describe('migration 007: health checks are not uses', () => {
  it('drops the check rows of a schema-6 vault and recomputes "last used" from real uses', () => {
    const path = tempDb()
    const v6 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 6) })
    const at = '2026-01-01T00:00:00.000Z'
    const connection = v6.prepare(
      `INSERT INTO connections (id, name, slug, provider, auth_mode, config, current_version, created_at, updated_at)
       VALUES (?, ?, ?, 'aws', 'inline', '{}', 1, ?, ?)`,
    )
    const use = v6.prepare(
      `INSERT INTO usage_counts (connection_id, environment_id, operation, count, first_used_at, last_used_at)
       VALUES (?, 'env-dev', ?, ?, ?, ?)`,
    )
    const last = v6.prepare('INSERT INTO usage_last (connection_id, last_used_at) VALUES (?, ?)')
    // used: exec in January, then checked every six hours until December.
    connection.run('used', 'used', 'used', at, at)
    use.run('used', 'exec', 3, at, '2026-01-15T00:00:00.000Z')
    use.run('used', 'verify', 1300, at, '2026-12-01T00:00:00.000Z')
    last.run('used', '2026-12-01T00:00:00.000Z')
    // checked: only ever checked, never used.
    connection.run('checked', 'checked', 'checked', at, at)
    use.run('checked', 'verify', 40, at, '2026-12-01T00:00:00.000Z')
    last.run('checked', '2026-12-01T00:00:00.000Z')
    v6.close()

    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 7) })
    expect(db.pragma('user_version', { simple: true })).toBe(7)
    expect(db.prepare('SELECT connection_id, operation, count FROM usage_counts').all()).toEqual([
      { connection_id: 'used', operation: 'exec', count: 3 },
    ])
    expect(db.prepare('SELECT * FROM usage_last').all()).toEqual([
      { connection_id: 'used', last_used_at: '2026-01-15T00:00:00.000Z' },
    ])
    db.close()
  })
})

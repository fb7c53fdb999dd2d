import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

describe('migration 008: whether the name on shares was chosen', () => {
  it('keeps a schema-7 identity and marks its name as not chosen yet', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-m8-')), 'vault.db')
    const v7 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 7) })
    v7.prepare(
      `INSERT INTO sharing_identity (id, display_name, age_recipient, age_identity, signing_public, signing_private, created_at)
       VALUES (1, 'root', 'age1x', x'00', 'pub', x'00', '2026-01-01T00:00:00.000Z')`,
    ).run()
    v7.close()

    const db = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 8) })
    expect(db.pragma('user_version', { simple: true })).toBe(8)
    expect(db.prepare('SELECT display_name, name_chosen FROM sharing_identity').all()).toEqual([
      { display_name: 'root', name_chosen: 0 },
    ])
    db.close()
  })
})

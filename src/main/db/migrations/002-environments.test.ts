import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { vault001 } from './001-vault'
import { environments002 } from './002-environments'

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'bk-m2-')), 'vault.db')

const seeded = (db: BetterSqlite3.Database) =>
  db.prepare('SELECT name, slug, protected, position FROM environments ORDER BY position').all()

describe('migration 002: environments', () => {
  it('seeds development, staging and production (protected) into a new database', () => {
    const db = openDatabase(tempDb())
    expect(seeded(db)).toEqual([
      { name: 'development', slug: 'development', protected: 0, position: 0 },
      { name: 'staging', slug: 'staging', protected: 0, position: 1 },
      { name: 'production', slug: 'production', protected: 1, position: 2 },
    ])
    db.close()
  })

  it('upgrades a schema-1 vault in place: its connections stay, the environments appear', () => {
    const path = tempDb()
    const v1 = openDatabase(path, { migrations: [vault001] })
    const at = new Date().toISOString()
    v1.prepare(
      `INSERT INTO connections (id, name, slug, provider, auth_mode, config, current_version, created_at, updated_at)
       VALUES ('c1', 'old', 'old', 'github', 'inline', '{}', 1, ?, ?)`,
    ).run(at, at)
    expect(v1.pragma('user_version', { simple: true })).toBe(1)
    v1.close()

    const db = openDatabase(path, { migrations: [vault001, environments002] })
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(db.prepare('SELECT id, name FROM connections').all()).toEqual([
      { id: 'c1', name: 'old' },
    ])
    expect(seeded(db).map((env) => (env as { name: string }).name)).toEqual([
      'development',
      'staging',
      'production',
    ])
    db.close()
    // Opening again applies nothing twice.
    const again = openDatabase(path)
    expect(seeded(again)).toHaveLength(3)
    again.close()
  })

  it('keeps environment names unique whatever their case', () => {
    const db = openDatabase(tempDb())
    expect(() =>
      db
        .prepare(
          `INSERT INTO environments (id, name, slug, color, position, created_at, updated_at)
           VALUES ('x', 'Production', 'production-2', '#000000', 9, '', '')`,
        )
        .run(),
    ).toThrow(/UNIQUE/)
    db.close()
  })

  it('makes the audit trail append-only', () => {
    const db = openDatabase(tempDb())
    db.prepare(
      `INSERT INTO audit_log (id, time, actor_user, actor_vault, action, target_type, outcome, detail, hash)
       VALUES (1, 't', 'u', 'v', 'vault.create', 'vault', 'success', '', 'h')`,
    ).run()
    expect(() => db.prepare("UPDATE audit_log SET detail = 'x'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 })
    db.close()
  })

  it('removes authorizations and defaults with their connection or environment', () => {
    const db = openDatabase(tempDb())
    const at = new Date().toISOString()
    db.prepare(
      `INSERT INTO connections (id, name, slug, provider, auth_mode, config, current_version, created_at, updated_at)
       VALUES ('c1', 'a', 'a', 'aws', 'inline', '{}', 1, ?, ?)`,
    ).run(at, at)
    const env = db.prepare("SELECT id FROM environments WHERE name = 'staging'").get() as {
      id: string
    }
    db.prepare('INSERT INTO authorizations VALUES (?, ?, ?)').run('c1', env.id, at)
    db.prepare('INSERT INTO environment_defaults VALUES (?, ?, ?)').run(env.id, 'aws', 'c1')
    db.prepare('DELETE FROM connections').run()
    expect(db.prepare('SELECT count(*) AS n FROM authorizations').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM environment_defaults').get()).toEqual({ n: 0 })
    db.close()
  })
})

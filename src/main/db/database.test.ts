import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { LATEST_SCHEMA_VERSION, openDatabase } from './database'
import { migrations } from './migrations'
import type { Migration } from './migrations/types'

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'bk-db-')), 'vault.db')

describe('openDatabase', () => {
  it('creates the schema with WAL, foreign keys, a busy timeout and full sync', () => {
    const db = openDatabase(tempDb())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string
      }[]
    ).map((t) => t.name)
    expect(tables).toEqual([
      'audit_head',
      'audit_log',
      'authorization_changes',
      'authorizations',
      'connection_health',
      'connections',
      'contacts',
      'environment_defaults',
      'environments',
      'key_slots',
      'meta',
      'received_shares',
      'runner_ca',
      'runner_credentials',
      'runner_settings',
      'runners',
      'secret_fields',
      'secret_versions',
      'shares',
      'sharing_identity',
      'team_change_cache',
      'team_checkpoints',
      'team_rotations',
      'team_sealed_cache',
      'team_spaces',
      'usage_counts',
      'usage_last',
    ])
    db.close()
  })

  it('applies each migration once, in order, and only moves forward', () => {
    const path = tempDb()
    const applied: number[] = []
    const steps: Migration[] = [1, 2, 3].map((version) => ({
      version,
      name: `m${version}`,
      up: (db) => {
        applied.push(version)
        db.exec(`CREATE TABLE t${version} (x INTEGER)`)
      },
    }))
    openDatabase(path, { migrations: steps.slice(0, 2) }).close()
    openDatabase(path, { migrations: steps }).close()
    openDatabase(path, { migrations: steps }).close()
    expect(applied).toEqual([1, 2, 3])
  })

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const path = tempDb()
    const steps: Migration[] = [
      { version: 1, name: 'ok', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') },
      {
        version: 2,
        name: 'fails half-way',
        up: (db) => {
          db.exec('CREATE TABLE b (x INTEGER)')
          throw new Error('boom')
        },
      },
    ]
    expect(() => openDatabase(path, { migrations: steps })).toThrow()
    const raw = new BetterSqlite3(path)
    expect(raw.pragma('user_version', { simple: true })).toBe(1)
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({
      n: 0,
    })
    raw.close()
  })

  it('refuses a database from a newer Bridgekeep, naming the versions, and leaves it untouched', () => {
    const path = tempDb()
    const raw = new BetterSqlite3(path)
    raw.exec('CREATE TABLE future (x INTEGER)')
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`)
    raw.close()
    const before = readFileSync(path)
    expect(() => openDatabase(path)).toThrow(
      expect.objectContaining({
        code: 'DATABASE_TOO_NEW',
        message: expect.stringContaining(`schema ${LATEST_SCHEMA_VERSION + 7}`) as string,
        hint: 'Update Bridgekeep to open this vault.',
      }),
    )
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('reports a file that is not a database, without changing it', () => {
    const path = tempDb()
    writeFileSync(path, 'this is not sqlite '.repeat(100))
    const before = readFileSync(path)
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DATABASE_CORRUPT' }))
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('has migrations numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
  })
})

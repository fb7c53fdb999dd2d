import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { vault001 } from './001-vault'
import { environments002 } from './002-environments'
import { sharing004 } from './004-sharing'

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'bk-m4-')), 'vault.db')

describe('migration 004: sharing', () => {
  it('upgrades a schema-2 vault: its connections are not use-only, the sharing tables appear', () => {
    const path = tempDb()
    const v2 = openDatabase(path, { migrations: [vault001, environments002] })
    const at = new Date().toISOString()
    v2.prepare(
      `INSERT INTO connections (id, name, slug, provider, auth_mode, config, current_version, created_at, updated_at)
       VALUES ('c1', 'old', 'old', 'github', 'inline', '{}', 1, ?, ?)`,
    ).run(at, at)
    v2.close()

    const db = openDatabase(path, { migrations: [vault001, environments002, sharing004] })
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    expect(db.prepare('SELECT id, use_only FROM connections').all()).toEqual([
      { id: 'c1', use_only: 0 },
    ])
    for (const table of ['sharing_identity', 'contacts', 'shares', 'received_shares']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get(), table).toEqual({ n: 0 })
    }
    expect(() => db.prepare("UPDATE connections SET use_only = 2 WHERE id = 'c1'").run()).toThrow(
      /CHECK/,
    )
    db.close()
  })

  it('keeps one identity row, and drops what a purged connection received with it', () => {
    const db = openDatabase(tempDb(), { migrations: [vault001, environments002, sharing004] })
    const identity = db.prepare(
      `INSERT INTO sharing_identity (id, display_name, age_recipient, age_identity, signing_public, signing_private, created_at)
       VALUES (?, 'n', 'age1', x'00', 'k', x'00', '')`,
    )
    identity.run(1)
    expect(() => identity.run(2)).toThrow(/CHECK/)
    const at = new Date().toISOString()
    db.prepare(
      `INSERT INTO connections (id, name, slug, provider, auth_mode, config, current_version, created_at, updated_at, use_only)
       VALUES ('c1', 'x', 'x', 'aws', 'inline', '{}', 1, ?, ?, 1)`,
    ).run(at, at)
    db.prepare(
      `INSERT INTO received_shares VALUES ('c1', 's', 'Alice', 'addr', 'FP', '[]', ?, ?)`,
    ).run(at, at)
    db.prepare('DELETE FROM connections').run()
    expect(db.prepare('SELECT count(*) AS n FROM received_shares').get()).toEqual({ n: 0 })
    db.close()
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../database'
import { migrations } from '.'

describe('migration 010: where an imported connection came from', () => {
  it('keeps an earlier received share, with no source to match a re-sent one against', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bk-m10-')), 'vault.db')
    const before = openDatabase(path, { migrations: migrations.filter((m) => m.version < 10) })
    before
      .prepare(
        `INSERT INTO connections (id, name, slug, provider, auth_mode, config, labels, notes, current_version, created_at, updated_at)
         VALUES ('c1', 'Prod', 'prod', 'aws', 'inline', '{}', '[]', '', 1, 't', 't')`,
      )
      .run()
    before
      .prepare(
        `INSERT INTO received_shares (connection_id, share_id, sender_name, sender_address, sender_fingerprint, scope, expires_at, imported_at)
         VALUES ('c1', 's1', 'Alice', 'bkshare1:x', 'F', '["staging"]', 'e', 'i')`,
      )
      .run()
    before.close()

    const db = openDatabase(path, { migrations })
    expect(
      db
        .prepare(
          'SELECT share_id, sender_signing_key, source_connection_id, source_version, shared_at FROM received_shares',
        )
        .all(),
    ).toEqual([
      {
        share_id: 's1',
        sender_signing_key: null,
        source_connection_id: null,
        source_version: null,
        shared_at: null,
      },
    ])
    db.close()
  })
})

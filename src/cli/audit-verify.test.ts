import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'

describe.skipIf(!privateKeyring)('bridgekeep audit verify: which damage', SLOW, () => {
  it('names a truncated trail, and how many entries are missing, in text and JSON', async () => {
    const vault = await cliVault()
    for (let i = 0; i < 6; i++) vault.services.audit.record({ action: 'vault.lock' })
    vault.services.vault.close()

    // Cut the last two entries off behind the app's back (dropping the triggers first).
    const db = new BetterSqlite3(join(vault.home, 'vault.db'))
    const triggers = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
      .all() as { name: string }[]
    for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`)
    db.prepare('DELETE FROM audit_log WHERE id > 4').run()
    db.close()

    const text = await vault.cli(['audit', 'verify'])
    expect(text.code).toBe(1)
    expect(text.stderr).toContain('The audit trail was truncated')
    expect(text.stderr).toContain('the last 2 were removed')
    const json = await vault.cli(['audit', 'verify', '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      brokenCount: 0,
      damage: ['truncated'],
      truncated: { sealed: 6, found: 4, missing: 2 },
    })
  })
})

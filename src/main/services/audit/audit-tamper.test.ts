import { describe, expect, it } from 'vitest'
import {
  headRow,
  peek,
  rebuildChain,
  tamper,
  unsealed,
  withEntries,
} from '../../../../test/audit-trail'

/**
 * The keyed audit trail against tampering: what the plain SHA-256 chain cannot show, cutting
 * entries off its end and rebuilding it after an edit, shows once it is sealed under the vault's
 * key. (Sealing over time, while locked and across keys and versions: audit-seal.test.ts.)
 */

describe('the keyed audit trail: what verify finds, and names', () => {
  it('every keyed entry carries a MAC and the sealed head follows each append', async () => {
    const { services } = await withEntries(4)
    const path = services.vault.path
    expect(unsealed(path)).toEqual([])
    const head = headRow(path)
    expect(head).toMatchObject({ entries: 4, before_keying: 0, while_locked: 0 })
    expect(head.mac).toMatch(/^[0-9a-f]{64}$/)
    const last = peek(path, (db) => db.prepare('SELECT hash FROM audit_log WHERE id = 4').get())
    expect(last).toEqual({ hash: head.last_hash })
    expect(services.audit.verify()).toMatchObject({
      ok: true,
      damage: [],
      truncated: null,
      rewritten: null,
      seal: { status: 'valid', entries: 4, whileLocked: 0, pending: 0, beforeKeying: 0 },
      message: 'All 4 entries verify.',
    })
  })

  it('(b) truncation: entries deleted from the end are found missing, and how many', async () => {
    const { services, log } = await withEntries(20)
    tamper(services.vault.path, (db) => db.prepare('DELETE FROM audit_log WHERE id > 17').run())
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      checked: 17,
      // The plain chain still links: it is what is missing that shows.
      brokenCount: 0,
      firstBroken: null,
      damage: ['truncated'],
      truncated: { sealed: 20, found: 17, missing: 3 },
      rewritten: null,
    })
    expect(result.message).toContain(
      'The audit trail was truncated: its seal vouches for 20 entries but only the first 17 remain — the last 3 were removed.',
    )

    // The app keeps recording (it must), but never seals over the cut: the evidence stays.
    const head = headRow(services.vault.path)
    for (let i = 0; i < 5; i++) services.audit.record({ action: 'vault.lock' })
    expect(headRow(services.vault.path)).toEqual(head)
    const refusals = log.lines.filter((line) => line.event === 'audit.seal-refused')
    expect(refusals[0]).toMatchObject({ level: 'warn', fields: { reason: 'truncated' } })
    const later = services.audit.verify()
    expect(later).toMatchObject({
      ok: false,
      checked: 22,
      brokenCount: 0,
      damage: ['truncated'],
      truncated: { sealed: 20, found: 17, missing: 3 },
    })
    expect(later.message).toContain('The 5 entries after #17 carry no seal')
  })

  it('(c) rewriting: a chain rebuilt consistently after an edit links up, but its MACs fail', async () => {
    const { services } = await withEntries(10)
    tamper(services.vault.path, (db) => {
      db.prepare("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 5").run()
      rebuildChain(db)
    })
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      checked: 10,
      brokenCount: 0,
      firstBroken: null,
      truncated: null,
      damage: ['rewritten'],
      rewritten: { id: 5, action: 'environment.describe', count: 6 },
      seal: { status: 'valid', entries: 10 },
    })
    expect(result.message).toMatch(
      /^The audit trail was rewritten: entry #5 \(.+, Environment description changed\) and 5 more after it link up but do not carry the vault's seal/,
    )
  })

  it('(c) + (d): a rebuilt chain with its head forged to match, or removed', async () => {
    const forged = await withEntries(6)
    tamper(forged.services.vault.path, (db) => {
      db.prepare("UPDATE audit_log SET outcome = 'failure' WHERE id = 2").run()
      rebuildChain(db)
      const last = db.prepare('SELECT hash FROM audit_log WHERE id = 6').get() as { hash: string }
      // Point the head at the new chain; its MAC cannot be recomputed without the key.
      db.prepare('UPDATE audit_head SET last_hash = ?').run(last.hash)
    })
    const result = forged.services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      brokenCount: 0,
      damage: ['rewritten', 'head-forged'],
      rewritten: { id: 2, count: 5 },
      seal: { status: 'forged', entries: 0 },
    })
    expect(result.message).toContain("The audit trail's seal does not verify: it was forged")

    const removed = await withEntries(6)
    tamper(removed.services.vault.path, (db) => {
      db.prepare('DELETE FROM audit_log WHERE id > 4').run()
      db.prepare('DELETE FROM audit_head').run()
    })
    expect(removed.services.audit.verify()).toMatchObject({
      ok: false,
      brokenCount: 0,
      damage: ['head-missing'],
      seal: { status: 'missing' },
      message: expect.stringContaining("The audit trail's seal is missing") as string,
    })
    // Stripping the head's MAC (so it looks never sealed) is the same: entries carry MACs.
    const stripped = await withEntries(3)
    tamper(stripped.services.vault.path, (db) =>
      db.prepare('UPDATE audit_head SET mac = NULL').run(),
    )
    expect(stripped.services.audit.verify()).toMatchObject({
      ok: false,
      damage: ['head-missing'],
    })
  })

  it('(d) an older head put back (to hide entries after it) is named as forged', async () => {
    const { services } = await withEntries(5)
    const old = headRow(services.vault.path)
    services.audit.record({ action: 'vault.lock' })
    services.audit.record({ action: 'vault.lock' })
    tamper(services.vault.path, (db) =>
      db
        .prepare('UPDATE audit_head SET entries = ?, last_hash = ?, mac = ?')
        .run(old.entries, old.last_hash, old.mac),
    )
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      damage: ['head-forged'],
      seal: { status: 'stale' },
    })
    expect(result.message).toContain('replaced with an older one')
  })

  it('(a) one edited entry: still its own broken link, and nothing else', async () => {
    const { services } = await withEntries(10)
    tamper(services.vault.path, (db) =>
      db.prepare("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 4").run(),
    )
    const result = services.audit.verify()
    expect(result).toMatchObject({
      ok: false,
      brokenCount: 1,
      firstBroken: { id: 4, reason: 'altered' },
      damage: ['altered'],
      truncated: null,
      rewritten: null,
      seal: { status: 'valid', entries: 10 },
    })
    expect(result.message).toMatch(
      /^The audit trail was tampered with: entry #4 \(.+\) does not match the chain/,
    )
  })
})

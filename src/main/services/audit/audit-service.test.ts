import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { tamper, withEntries } from '../../../../test/audit-trail'
import { connectionInput, environmentIds, unlockedServices } from '../../../../test/services'
import { memoryLogger } from '../../log'
import { AuditService } from './audit-service'
import { csvCell } from './audit-export'

describe('AuditService: the hash chain', () => {
  it('chains every entry to the one before and verifies an untouched trail', async () => {
    const { services } = await withEntries(20)
    const result = services.audit.verify()
    // vault.create is not recorded by the service itself (the IPC handler does): 20 entries.
    expect(result).toMatchObject({ ok: true, checked: 20, brokenCount: 0, firstBroken: null })
    expect(result.message).toBe('All 20 entries verify.')
  })

  it('finds exactly the one row edited in the DB file with a separate connection', async () => {
    const { services } = await withEntries(50)
    const victim = services.audit
      .query({ filter: {}, limit: 1000 })
      .entries.find((e) => e.id === 23)!
    tamper(services.vault.path, (db) =>
      db.prepare("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 23").run(),
    )
    const result = services.audit.verify()
    expect(result.ok).toBe(false)
    expect(result.brokenCount).toBe(1)
    expect(result.firstBroken).toEqual({
      id: 23,
      time: victim.time,
      action: 'environment.describe',
      reason: 'altered',
    })
    expect(result.message).toContain('entry #23')
  })

  it('an edit that also recomputes the row hash breaks the next link instead', async () => {
    const { services } = await withEntries(10)
    tamper(services.vault.path, (db) => {
      // A forged hash: what a careless attacker would write; the next entry no longer links.
      db.prepare(`UPDATE audit_log SET outcome = 'failure', hash = ? WHERE id = 4`).run(
        'f'.repeat(64),
      )
    })
    const result = services.audit.verify()
    expect(result.brokenCount).toBe(2)
    expect(result.firstBroken?.id).toBe(4)
  })

  it('names the entry after a removed one, and a changed action or time', async () => {
    const { services } = await withEntries(10)
    tamper(services.vault.path, (db) => db.prepare('DELETE FROM audit_log WHERE id = 6').run())
    expect(services.audit.verify()).toMatchObject({
      ok: false,
      brokenCount: 1,
      firstBroken: { id: 7, reason: 'gap' },
    })

    const other = await withEntries(5)
    tamper(other.services.vault.path, (db) =>
      db.prepare("UPDATE audit_log SET time = '2020-01-01T00:00:00.000Z' WHERE id = 2").run(),
    )
    expect(other.services.audit.verify().firstBroken).toMatchObject({ id: 2, reason: 'altered' })
  })

  it('keeps chaining correctly after a rolled-back transaction and after another writer', async () => {
    const { services } = await withEntries(3)
    const db = services.vault.database()
    expect(() =>
      db.transaction(() => {
        services.audit.record({ action: 'vault.lock' })
        throw new Error('roll back')
      })(),
    ).toThrow('roll back')
    services.audit.record({ action: 'vault.lock' })
    // A second service instance (the CLI, later) appends to the same file.
    const other = new AuditService({ vault: services.vault, log: memoryLogger(), user: 'cli' })
    other.record({ action: 'vault.unlock' })
    services.audit.record({ action: 'vault.lock' })
    // The hard case: a rollback, then another writer takes the very id that was rolled back.
    expect(() =>
      db.transaction(() => {
        services.audit.record({ action: 'vault.lock' })
        throw new Error('roll back')
      })(),
    ).toThrow('roll back')
    other.record({ action: 'vault.unlock' })
    services.audit.record({ action: 'vault.lock' })
    const result = services.audit.verify()
    expect(result).toMatchObject({ ok: true, checked: 8 })
  })

  it('records the OS user and the vault id, and refuses reading while locked', async () => {
    const { services } = await withEntries(1)
    const [entry] = services.audit.query().entries
    expect(entry).toMatchObject({
      actorVault: services.vault.vaultId(),
      actorUser: expect.any(String) as string,
      outcome: 'success',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
    })
    expect(entry!.actorUser.length).toBeGreaterThan(0)
    services.vault.lock()
    // Appending needs no key (a failed unlock is recorded while locked); reading does.
    services.audit.record({ action: 'vault.unlock', outcome: 'failure', detail: 'With passphrase' })
    for (const read of [
      () => services.audit.query(),
      () => services.audit.verify(),
      () => services.audit.export({ format: 'csv' }),
    ])
      expect(read).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
  })

  it('cuts a long detail short', async () => {
    const { services } = await unlockedServices()
    services.audit.record({ action: 'vault.lock', detail: 'x'.repeat(2000) })
    const [entry] = services.audit.query().entries
    expect(entry!.detail).toHaveLength(500)
    expect(entry!.detail.endsWith('…')).toBe(true)
  })
})

describe('AuditService: timeline queries', () => {
  it('filters by connection, environment, action, outcome and time, and pages by cursor', async () => {
    let now = new Date('2026-03-01T10:00:00Z')
    const { services } = await unlockedServices()
    Object.assign(services.audit, { now: () => now })
    const a = services.connections.create(connectionInput('github', 'a'))
    const b = services.connections.create(connectionInput('aws', 'b'))
    const env = environmentIds(services)
    now = new Date('2026-03-02T10:00:00Z')
    services.authorizations.applyChanges({
      grants: [{ connectionId: a.id, environmentId: env.staging! }],
    })
    services.connections.trash(b.id)
    now = new Date('2026-03-03T10:00:00Z')
    services.audit.record({
      action: 'connection.reveal',
      outcome: 'failure',
      target: { type: 'connection', id: a.id },
      detail: 'Field token; VAULT_INTEGRITY',
    })

    const actions = (filter: Parameters<typeof services.audit.query>[0]) =>
      services.audit.query(filter).entries.map((e) => e.action)
    expect(actions({ filter: { connectionId: a.id } })).toEqual([
      'connection.reveal',
      'authorization.change',
      'connection.create',
    ])
    expect(actions({ filter: { environmentId: env.staging! } })).toEqual(['authorization.change'])
    expect(actions({ filter: { actions: ['connection.trash', 'connection.create'] } })).toEqual([
      'connection.trash',
      'connection.create',
      'connection.create',
    ])
    expect(actions({ filter: { outcome: 'failure' } })).toEqual(['connection.reveal'])
    expect(
      actions({ filter: { from: '2026-03-02T00:00:00Z', to: '2026-03-02T23:59:59+00:00' } }),
    ).toEqual(['connection.trash', 'authorization.change'])
    // An offset is a point in time: 12:00 at +02:00 is 10:00Z, so this excludes 10:00Z.
    expect(actions({ filter: { to: '2026-03-01T12:00:00+02:00' } })).toEqual([])
    // The reveal names the connection though the caller only gave its id.
    expect(services.audit.query({ filter: { outcome: 'failure' } }).entries[0]).toMatchObject({
      targetId: a.id,
      targetName: 'a',
    })

    const first = services.audit.query({ limit: 2 })
    expect(first.total).toBe(5)
    expect(first.entries.map((e) => e.id)).toEqual([5, 4])
    expect(first.nextCursor).toBe(4)
    const second = services.audit.query({ before: first.nextCursor!, limit: 2 })
    expect(second.entries.map((e) => e.id)).toEqual([3, 2])
    expect(second.total).toBeUndefined()
    const last = services.audit.query({ before: second.nextCursor!, limit: 2 })
    expect(last.entries.map((e) => e.id)).toEqual([1])
    expect(last.nextCursor).toBeNull()
  })
})

describe('AuditService: export', () => {
  it('writes JSON Lines and CSV that quote names with commas, quotes and line breaks', async () => {
    const { services } = await unlockedServices()
    const tricky = 'Prod, "EU"\nsecond line'
    // Names refuse line breaks now, but a trail written by an earlier version may hold one: an
    // entry recorded with such a name stands for it.
    const created = { id: randomUUID() }
    services.audit.record({
      action: 'connection.create',
      target: { type: 'connection', id: created.id, name: tricky },
    })
    services.connections.create(connectionInput('github', '=HYPERLINK("x")'))

    const jsonl = services.audit.export({ format: 'jsonl' })
    expect(jsonl.count).toBe(2)
    expect(jsonl.filename).toMatch(/^bridgekeep-audit-\d{8}T\d{6}Z\.jsonl$/)
    const lines = jsonl.content.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0]!)).toMatchObject({
      id: 1,
      action: 'connection.create',
      targetId: created.id,
      targetName: tricky,
    })

    const csv = services.audit.export({ format: 'csv', filter: { connectionId: created.id } })
    expect(csv.count).toBe(1)
    expect(csv.mediaType).toBe('text/csv')
    const rows = parseCsv(csv.content)
    expect(rows[0]).toEqual([
      'id',
      'time',
      'actor_user',
      'actor_vault',
      'action',
      'target_type',
      'target_id',
      'target_name',
      'environment_id',
      'environment_name',
      'outcome',
      'detail',
      'hash',
    ])
    expect(rows).toHaveLength(2)
    expect(rows[1]![7]).toBe(tricky)
    expect(rows[1]![8]).toBe('')
    expect(rows[1]![4]).toBe('connection.create')
    expect(csv.content.endsWith('\r\n')).toBe(true)

    const formula = parseCsv(services.audit.export({ format: 'csv' }).content)[2]!
    expect(formula[7]).toBe(`'=HYPERLINK("x")`)
  })

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    [' padded', '" padded"'],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('csvCell(%j) = %s', (value, expected) => {
    expect(csvCell(value)).toBe(expected)
  })
})

/** A small RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(cell)
      cell = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += char
  }
  return rows
}

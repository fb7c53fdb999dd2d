import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { hasPutEntry, putDetail, teamAuditEntry, verifyTeamAudit } from './team-audit'
import type { SignedRow } from './signed-chain'
import { testIdentities, type TestIdentity } from './team-test-support'

let ada: TestIdentity
let mallory: TestIdentity

beforeAll(async () => {
  ;[ada, mallory] = await testIdentities('Ada', 'Mallory')
})

function trail(count: number): SignedRow[] {
  const team = randomUUID()
  const rows: SignedRow[] = []
  for (let i = 0; i < count; i++)
    rows.push(
      teamAuditEntry(
        team,
        rows.at(-1),
        { signingKey: ada.signingKey, key: ada.key },
        'member.add',
        `entry ${i}`,
        new Date(0).toISOString(),
      ),
    )
  return rows
}

describe('the team audit trail', () => {
  const members = () => new Set([ada.signingKey])

  it('verifies an intact trail', () => {
    const rows = trail(4)
    expect(verifyTeamAudit(rows, members())).toEqual({
      ok: true,
      entries: 4,
      intactTo: { seq: 4, hash: rows[3]!.hash },
    })
  })

  it('continues from an entry checked before: only the entries after it, with the same rules', () => {
    const rows = trail(6)
    const mark = { seq: 3, hash: rows[2]!.hash }
    expect(verifyTeamAudit(rows.slice(3), members(), mark)).toEqual({
      ok: true,
      entries: 6,
      intactTo: { seq: 6, hash: rows[5]!.hash },
    })
    // Nothing new: the mark stands.
    expect(verifyTeamAudit([], members(), mark)).toEqual({ ok: true, entries: 3, intactTo: mark })
    // An entry after the mark that does not follow it, one missing, one edited: named, and the
    // chain is intact up to the entry before it.
    const other = trail(5)
    expect(verifyTeamAudit([other[3]!], members(), mark)).toMatchObject({
      ok: false,
      firstBroken: {
        seq: 4,
        message: expect.stringContaining('does not follow the entry before it'),
      },
      intactTo: mark,
    })
    expect(verifyTeamAudit(rows.slice(4), members(), mark).firstBroken?.message).toBe(
      'The team audit trail is broken at entry #5: entry #4 is missing.',
    )
    const edited = rows.map((r) => ({ ...r }))
    edited[4]!.body = edited[4]!.body.replace('entry 4', 'nothing happened')
    expect(verifyTeamAudit(edited.slice(3), members(), mark)).toMatchObject({
      firstBroken: { seq: 5 },
      intactTo: { seq: 4, hash: rows[3]!.hash },
    })
  })

  it('names the first broken link: an edited entry, a removed one, a forged author', () => {
    const edited = trail(4)
    edited[2]!.body = edited[2]!.body.replace('entry 2', 'nothing happened')
    expect(verifyTeamAudit(edited, members()).firstBroken).toEqual({
      seq: 3,
      message:
        'The team audit trail is broken at entry #3: its content does not match its hash (it was edited after it was written).',
    })
    const cut = trail(4)
    cut.splice(1, 1)
    expect(verifyTeamAudit(cut, members()).firstBroken?.message).toBe(
      'The team audit trail is broken at entry #3: entry #2 is missing.',
    )
    const forged = trail(2)
    forged.push(
      teamAuditEntry(
        forged[0]!.teamId,
        forged.at(-1),
        { signingKey: mallory.signingKey, key: mallory.key },
        'member.add',
        'x',
        'y',
      ),
    )
    expect(verifyTeamAudit(forged, members()).firstBroken?.message).toMatch(
      /^The team audit trail is broken at entry #3: its author key .{8}… was never a member\.$/,
    )
  })

  it("finds a version's connection.put entry by its detail, environments or not", () => {
    const team = randomUUID()
    const put = (detail: string, action: 'connection.put' | 'connection.use' = 'connection.put') =>
      teamAuditEntry(
        team,
        undefined,
        { signingKey: ada.signingKey, key: ada.key },
        action,
        detail,
        'at',
      )
    const rows = [
      put(putDetail('app-db', 12, ['dev', 'staging'])),
      put(putDetail('ci-db', 1)),
      put(putDetail('web-db', 3), 'connection.use'),
    ]
    expect(rows[0]!.body).toContain('app-db version 12; environments dev, staging')
    expect(hasPutEntry(rows, 'app-db', 12)).toBe(true)
    expect(hasPutEntry(rows, 'ci-db', 1)).toBe(true)
    // Another version, a name that only begins the same, another action: not that entry.
    expect(hasPutEntry(rows, 'app-db', 1)).toBe(false)
    expect(hasPutEntry(rows, 'ci', 1)).toBe(false)
    expect(hasPutEntry(rows, 'web-db', 3)).toBe(false)
    expect(putDetail('x', 2, [])).toBe('x version 2; environments none')
  })
})

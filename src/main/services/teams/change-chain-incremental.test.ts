import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { replayChanges, type TeamState } from './change-chain'
import { TestLog, testIdentities, type TestIdentity } from './team-test-support'

let founder: TestIdentity
let bob: TestIdentity
let carol: TestIdentity

beforeAll(async () => {
  ;[founder, bob, carol] = await testIdentities('Ada', 'Bob', 'Carol')
})

const pinOf = (log: TestLog, seen?: { seq: number; hash: string }) => ({
  teamId: log.teamId,
  founderKey: founder.signingKey,
  seen,
})

/** What a reader verified before: the full replay of the log as it was. */
function verifiedBefore(log: TestLog): TeamState {
  const { state, warnings } = replayChanges(log.rows, pinOf(log))
  expect(warnings).toEqual([])
  return state
}

const rolesOf = (state: TeamState) =>
  Object.fromEntries([...state.members.values()].map((m) => [m.name, m.role] as const))

describe('replaying only the changes after the ones this vault verified', () => {
  it('sees a change by another member, exactly as a full replay does', () => {
    const log = new TestLog(randomUUID())
    log.found(founder)
    log.add(founder, bob, 'admin')
    const before = verifiedBefore(log)
    const mark = { ...before.head }
    log.add(bob, carol, 'use-only') // Bob, on another machine
    const newer = log.rows.filter((r) => r.seq > before.lastSeq)
    expect(newer).toHaveLength(1)
    const incremental = replayChanges(newer, pinOf(log, mark), before)
    const full = replayChanges(log.rows, pinOf(log, mark))
    expect(incremental.warnings).toEqual([])
    expect(incremental.seenLost).toBe(false)
    expect(rolesOf(incremental.state)).toEqual({ Ada: 'admin', Bob: 'admin', Carol: 'use-only' })
    expect(incremental.state.head).toEqual(full.state.head)
    expect(incremental.state.lastSeq).toBe(full.state.lastSeq)
    // The state it started from is left as it was (it is kept for the next read).
    expect(rolesOf(before)).toEqual({ Ada: 'admin', Bob: 'admin' })
  })

  it('refuses newer changes built on a rewritten row at the mark', () => {
    const log = new TestLog(randomUUID())
    log.found(founder)
    log.add(founder, bob, 'member')
    const before = verifiedBefore(log)
    // The row at the mark is replaced (same position, another hash) and a change is written on
    // top of the replacement: it does not follow the head this vault verified. (The reader's
    // check of the row at the mark, in team-session.ts, sends it to the full replay first.)
    log.rows.pop()
    log.add(founder, carol, 'admin')
    log.write(founder, 'member.role', { signingKey: bob.signingKey, role: 'admin' })
    const newer = log.rows.filter((r) => r.seq > before.lastSeq)
    expect(newer).toHaveLength(1)
    const { state, warnings } = replayChanges(newer, pinOf(log, before.head), before)
    expect(state.members.has(carol.signingKey)).toBe(false)
    expect(state.head).toEqual(before.head)
    expect(warnings.map((w) => w.message).join('\n')).toMatch(/does not follow the last trusted/)
  })

  it('leaves the verified state alone when the connections matrix changes on top of it', () => {
    const log = new TestLog(randomUUID())
    log.found(founder)
    const before = verifiedBefore(log)
    log.add(founder, bob, 'member')
    const newer = log.rows.filter((r) => r.seq > before.lastSeq)
    const { state } = replayChanges(newer, pinOf(log), before)
    expect(state.members.size).toBe(2)
    expect(before.members.size).toBe(1)
    expect(state.connections).not.toBe(before.connections)
  })
})

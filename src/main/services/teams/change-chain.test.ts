import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { replayChanges } from './change-chain'
import { rowHash } from './signed-chain'
import { CHANGE_DOMAIN } from './change-chain'
import { TestLog, testIdentities, type TestIdentity } from './team-test-support'

let founder: TestIdentity
let bob: TestIdentity
let carol: TestIdentity
let mallory: TestIdentity

beforeAll(async () => {
  ;[founder, bob, carol, mallory] = await testIdentities('Ada', 'Bob', 'Carol', 'Mallory')
})

/** A row the replay must refuse: honest writers do not build on it. */
const NO = { advance: false }

function team() {
  const log = new TestLog(randomUUID())
  log.found(founder)
  return log
}

const replay = (log: TestLog, seen?: { seq: number; hash: string }) =>
  replayChanges(log.rows, { teamId: log.teamId, founderKey: founder.signingKey, seen })

const roles = (log: TestLog, seen?: { seq: number; hash: string }) =>
  Object.fromEntries(
    [...replay(log, seen).state.members.values()].map((m) => [m.name, m.role] as const),
  )

describe('replaying a team change log', () => {
  it('accepts the founder and the changes admins sign, in order', () => {
    const log = team()
    log.add(founder, bob, 'member')
    log.add(founder, carol, 'use-only')
    log.write(founder, 'member.role', { signingKey: bob.signingKey, role: 'admin' })
    // Bob, an admin now, may change the team himself.
    log.write(bob, 'member.role', { signingKey: carol.signingKey, role: 'member' })
    log.write(bob, 'member.remove', { signingKey: founder.signingKey })
    const { state, warnings } = replay(log)
    expect(warnings).toEqual([])
    expect(state.name).toBe('platform')
    expect(roles(log)).toEqual({ Bob: 'admin', Carol: 'member' })
    expect(state.head).toEqual({ seq: 6, hash: log.head })
    expect([...state.everMembers].sort()).toEqual(
      [founder, bob, carol].map((i) => i.signingKey).sort(),
    )
  })

  it('trusts nothing when the founding change is not signed by the pinned founder', () => {
    const log = new TestLog(randomUUID())
    log.found(mallory)
    log.add(mallory, bob, 'admin')
    const { state, warnings } = replay(log)
    expect(state.name).toBeUndefined()
    expect(state.members.size).toBe(0)
    expect(warnings[0]!.message).toMatch(
      /^Change #1 \(team\.found by key .{8}…\) ignored: it founds the team but is not signed by the pinned founder\.$/,
    )
    expect(warnings[1]!.message).toMatch(
      /^Change #2 .* ignored: it comes before the team was founded\.$/,
    )
  })

  it('ignores a change signed by a member who is not an admin, naming the row', () => {
    const log = team()
    log.add(founder, bob, 'member')
    log.add(bob, mallory, 'admin', NO) // signed by Bob, a plain member
    const { warnings } = replay(log)
    expect(roles(log)).toEqual({ Ada: 'admin', Bob: 'member' })
    expect(warnings.map((w) => w.message)).toEqual([
      `Change #3 (member.add by key ${bob.signingKey.slice(0, 8)}…) ignored: its author was not an admin of the team at that point.`,
    ])
  })

  it('ignores a change whose signature is not its author’s (a DBA signing as the founder)', () => {
    const log = team()
    const forged = log.add(mallory, mallory, 'admin')
    // Claims the founder wrote it, hash recomputed, but signed with Mallory's key.
    forged.author = founder.signingKey
    forged.hash = rowHash(CHANGE_DOMAIN, forged)
    const { warnings } = replay(log)
    expect(roles(log)).toEqual({ Ada: 'admin' })
    expect(warnings[0]!.message).toContain('Change #2 (member.add by key')
    expect(warnings[0]!.message).toContain('its signature does not match its author')
  })

  it('ignores a row edited after it was signed (role raised in the database)', () => {
    const log = team()
    const row = log.add(founder, bob, 'use-only')
    row.body = row.body.replace('"use-only"', '"admin"')
    const { warnings } = replay(log)
    expect(roles(log)).toEqual({ Ada: 'admin' })
    expect(warnings[0]!.message).toContain('its content does not match its hash')
  })

  it('ignores an unsigned row', () => {
    const log = team()
    log.add(founder, bob, 'member').signature = ''
    expect(replay(log).warnings[0]!.message).toContain('its signature does not match its author')
  })

  it('ignores a row out of chain, and keeps accepting honest changes written on the trusted head', () => {
    const log = team()
    const trusted = log.head
    // A forged row the honest clients never accept; they keep writing on the trusted head.
    log.write(mallory, 'member.add', { ...pick(mallory), role: 'admin' }, { advance: false })
    log.add(founder, bob, 'member')
    // A genuinely signed change that follows something else (an old head, replayed).
    log.write(founder, 'member.remove', { signingKey: bob.signingKey }, { prevHash: trusted })
    const { state, warnings } = replay(log)
    expect(roles(log)).toEqual({ Ada: 'admin', Bob: 'member' })
    expect(state.head.seq).toBe(3)
    expect(warnings.map((w) => w.seq)).toEqual([2, 4])
    expect(warnings[1]!.message).toContain('out of chain')
  })

  it('ignores changes by an admin after their removal', () => {
    const log = team()
    log.add(founder, bob, 'admin')
    log.write(founder, 'member.remove', { signingKey: bob.signingKey })
    log.add(bob, mallory, 'admin', NO)
    expect(roles(log)).toEqual({ Ada: 'admin' })
    expect(replay(log).warnings[0]!.message).toMatch(/^Change #4 .*not an admin/)
  })

  it('never lets the last admin be removed or demoted', () => {
    const log = team()
    log.add(founder, bob, 'member')
    log.write(founder, 'member.role', { signingKey: founder.signingKey, role: 'member' }, NO)
    log.write(founder, 'member.remove', { signingKey: founder.signingKey }, NO)
    const { warnings } = replay(log)
    expect(roles(log)).toEqual({ Ada: 'admin', Bob: 'member' })
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringContaining('it would leave the team without an admin'),
      expect.stringContaining('it would leave the team without an admin'),
    ])
  })

  it('ignores nonsense: a second founding, a duplicate member, an unknown kind, a bad body, another team', () => {
    const log = team()
    log.add(founder, bob, 'member')
    log.found(founder, 'again', NO)
    log.add(founder, bob, 'admin', NO)
    log.write(
      founder,
      'member.promote' as 'member.role',
      { signingKey: bob.signingKey, role: 'admin' },
      NO,
    )
    log.write(founder, 'member.role', { signingKey: bob.signingKey, role: 'owner' as 'admin' }, NO)
    log.write(founder, 'member.remove', { signingKey: carol.signingKey }, NO)
    const other = new TestLog(randomUUID())
    other.found(founder)
    log.rows.push({ ...other.rows[0]!, seq: 99 })
    const { warnings } = replay(log)
    expect(roles(log)).toEqual({ Ada: 'admin', Bob: 'member' })
    expect(warnings.map((w) => w.message.replace(/^Change #\d+ \(.*?\) ignored: /, ''))).toEqual([
      'the team was already founded.',
      'that identity is already a member.',
      'its kind is unknown.',
      'its content is not a valid change of its kind.',
      `key ${carol.signingKey.slice(0, 8)}… is not a member.`,
      'it belongs to another team.',
    ])
  })

  it('notices a log cut back below what this vault verified before', () => {
    const log = team()
    log.add(founder, bob, 'member')
    const seen = { seq: 2, hash: log.head }
    expect(replay(log, seen).warnings).toEqual([])
    log.rows.pop() // a DBA deletes the newest change (e.g. to undo a removal)
    const { warnings } = replay(log, seen)
    expect(warnings).toEqual([
      {
        seq: 2,
        message: expect.stringContaining('Change #2, which this vault verified before, is missing'),
      },
    ])
  })

  it('notices a verified row replaced by another one at the same position', () => {
    const log = team()
    log.add(founder, bob, 'member')
    const seen = { seq: 2, hash: log.head }
    log.rows.pop()
    log.head = log.rows[0]!.hash
    log.add(founder, carol, 'member')
    expect(replay(log, seen).warnings[0]!.message).toContain('cut back or rewritten')
  })
})

function pick(identity: TestIdentity) {
  const { signingKey, ageRecipient, name } = identity
  return { signingKey, ageRecipient, name }
}

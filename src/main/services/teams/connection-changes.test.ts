import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { replayChanges } from './change-chain'
import { TestLog, testIdentities, type TestIdentity } from './team-test-support'

let ada: TestIdentity
let bob: TestIdentity

beforeAll(async () => {
  ;[ada, bob] = await testIdentities('Ada', 'Bob')
})

const NO = { advance: false }
const HASH = 'ab'.repeat(32)

function put(id: string, version: number, baseVersion: number, name = 'app-db') {
  return {
    connectionId: id,
    version,
    baseVersion,
    name,
    provider: 'postgres',
    authMode: 'inline',
    fields: { host: 'db.example' },
    secretsHash: HASH,
    at: '2026-12-07T10:00:00.000Z',
  }
}

function team() {
  const log = new TestLog(randomUUID())
  log.found(ada)
  log.add(ada, bob, 'member')
  return log
}

const replay = (log: TestLog) =>
  replayChanges(log.rows, { teamId: log.teamId, founderKey: ada.signingKey })

describe('replaying connection changes', () => {
  it('applies versions, the matrix and removal in order', () => {
    const log = team()
    const id = randomUUID()
    log.write(ada, 'connection.put', put(id, 1, 0))
    log.write(ada, 'connection.environments', {
      connectionId: id,
      environments: ['staging', 'dev'],
    })
    log.write(ada, 'connection.put', put(id, 2, 1, 'app-db-2'))
    const { state, warnings } = replay(log)
    expect(warnings).toEqual([])
    expect(state.connections.live.get(id)).toMatchObject({
      name: 'app-db-2',
      version: 2,
      environments: ['dev', 'staging'],
      author: ada.signingKey,
      seq: 5,
    })
    log.write(ada, 'connection.remove', { connectionId: id, baseVersion: 2 })
    expect(replay(log).state.connections.live.size).toBe(0)
    // A removed connection does not come back under its id.
    log.write(ada, 'connection.put', put(id, 3, 0), NO)
    expect(replay(log).warnings.map((w) => w.message)).toEqual([
      `Change #7 (connection.put by key ${ada.signingKey.slice(0, 8)}…) ignored: connection ${id} was removed; it cannot come back.`,
    ])
  })

  it('refuses a stale base, a version that does not increase, a taken name and a non-admin', () => {
    const log = team()
    const [one, two] = [randomUUID(), randomUUID()]
    log.write(ada, 'connection.put', put(one, 1, 0))
    log.write(ada, 'connection.put', put(one, 2, 1))
    log.write(ada, 'connection.put', put(one, 2, 1), NO) // based on 1, the current is 2
    log.write(ada, 'connection.put', put(one, 2, 2), NO) // 2 does not increase
    log.write(ada, 'connection.put', put(two, 1, 0, 'APP-DB'), NO) // the name is taken
    log.write(bob, 'connection.put', put(two, 1, 0, 'other'), NO) // Bob is not an admin
    log.write(bob, 'connection.environments', { connectionId: one, environments: ['prod'] }, NO)
    log.write(ada, 'connection.put', { ...put(two, 1, 0, 'x'), provider: 'nope' }, NO)
    const { state, warnings } = replay(log)
    const by = (who: TestIdentity) => `by key ${who.signingKey.slice(0, 8)}…`
    expect(warnings.map((w) => w.message)).toEqual([
      `Change #5 (connection.put ${by(ada)}) ignored: it replaces version 1 of "app-db", but the current version is 2.`,
      `Change #6 (connection.put ${by(ada)}) ignored: its version 2 does not increase (the current version is 2).`,
      `Change #7 (connection.put ${by(ada)}) ignored: the name "APP-DB" is taken by another connection of the team.`,
      `Change #8 (connection.put ${by(bob)}) ignored: its author was not an admin of the team at that point.`,
      `Change #9 (connection.environments ${by(bob)}) ignored: its author was not an admin of the team at that point.`,
      `Change #10 (connection.put ${by(ada)}) ignored: its provider nope is unknown.`,
    ])
    expect([...state.connections.live.values()].map((c) => [c.name, c.version])).toEqual([
      ['app-db', 2],
    ])
    expect(state.connections.live.get(one)!.environments).toEqual([])
  })

  it('a name freed by a rename or a removal is taken by another connection; a name in use is not', () => {
    const log = team()
    const [one, two, three] = [randomUUID(), randomUUID(), randomUUID()]
    log.write(ada, 'connection.put', put(one, 1, 0, 'app-db'))
    log.write(ada, 'connection.put', put(one, 2, 1, 'App-DB-old')) // renamed: app-db is free
    log.write(ada, 'connection.put', put(two, 1, 0, 'APP-DB'))
    log.write(ada, 'connection.put', put(three, 1, 0, 'app-db-OLD'), NO) // still one's
    log.write(ada, 'connection.remove', { connectionId: one, baseVersion: 2 })
    log.write(ada, 'connection.put', put(three, 1, 0, 'app-db-old')) // freed by the removal
    log.write(ada, 'connection.put', put(two, 2, 1, 'app-db')) // its own name, any case
    const { state, warnings } = replay(log)
    expect(warnings.map((w) => w.seq)).toEqual([6])
    expect([...state.connections.live.values()].map((c) => [c.id, c.name]).sort()).toEqual(
      [
        [two, 'app-db'],
        [three, 'app-db-old'],
      ].sort(),
    )
  })

  it('refuses a change whose body carries more than its kind allows (a secret field, say)', () => {
    const log = team()
    log.write(ada, 'connection.put', { ...put(randomUUID(), 1, 0), password: 'x' } as never, NO)
    expect(replay(log).warnings[0]!.message).toMatch(
      /ignored: its content is not a valid change of its kind\.$/,
    )
  })
})

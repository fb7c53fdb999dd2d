import { existsSync, readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { servicesAt } from '../../../../test/audit-trail'
import { expectNoSecrets } from '../../../../test/fixtures/canary'
import {
  dbaEdit,
  signingKeyOf,
  teamOfThree,
  type TeamOfThree,
  type TeamVault,
} from '../../../../test/team-connections'
import { decryptFieldBytes } from '../../security/envelope'
import { forgetVerifiedSignatures } from './signed-chain'
import { forgetTeamAudit } from './team-audit-reads'
import { TeamStore } from './team-database-repository'
import { forgetReplay } from './team-replay-memory'

let t: TeamOfThree
let ada: TeamVault
let bob: TeamVault
let founderKey: string

/** Ada pushes app-db (allowed in staging); Bob syncs it, which writes his vault's checkpoint. */
beforeAll(async () => {
  t = await teamOfThree()
  ;({ ada, bob } = t)
  founderKey = await signingKeyOf(ada)
  t.appDb(ada, 'app-db')
  await ada.services.teamConnections.push('platform', 'app-db', { environments: ['staging'] })
  await bob.services.teamConnections.sync('platform')
}, 120_000)
afterAll(() => t?.team.server.stop())
afterEach(() => vi.restoreAllMocks())

/**
 * `vault` opened again as a new process opens it: a second services instance on the same vault
 * file, unlocked from the same keychain, with nothing of the team left in this process's memory
 * (no replayed state, no audit mark, no signature verified).
 */
async function anew(vault: TeamVault) {
  forgetReplay({ teamId: t.teamId, founderKey })
  forgetTeamAudit({ teamId: t.teamId, founderKey })
  forgetVerifiedSignatures()
  const opened = servicesAt(vault.dataDir, vault.keyStore)
  await opened.services.vault.unlock({ method: 'keychain' })
  return opened
}

/** What a read fetches from the team database: whole (log, trail) or from a position on. */
function countReads() {
  const spies = {
    log: vi.spyOn(TeamStore.prototype, 'changes'),
    logFrom: vi.spyOn(TeamStore.prototype, 'changesFrom'),
    trail: vi.spyOn(TeamStore.prototype, 'auditRows'),
    trailFrom: vi.spyOn(TeamStore.prototype, 'auditRowsFrom'),
  }
  // Spying again on a method returns its spy as it is: count from now on.
  for (const spy of Object.values(spies)) spy.mockClear()
  const rowsOf = async (spy: (typeof spies)[keyof typeof spies]) =>
    (await Promise.all(spy.mock.results.map((r) => r.value as Promise<unknown[]>))).map(
      (rows) => rows.length,
    )
  return {
    calls: () => ({
      log: spies.log.mock.calls.length,
      logFrom: spies.logFrom.mock.calls.length,
      trail: spies.trail.mock.calls.length,
      trailFrom: spies.trailFrom.mock.calls.length,
    }),
    /** How many change rows each incremental read returned. */
    logFromRows: () => rowsOf(spies.logFrom),
    /** How many audit entries each incremental read of the trail returned. */
    trailFromRows: () => rowsOf(spies.trailFrom),
  }
}

type Db = ReturnType<TeamVault['services']['vault']['database']>
interface Stored {
  head_seq: number
  head_hash: string
  state: Buffer
  audit: Buffer | null
}
const checkpointOf = (db: Db) =>
  db
    .prepare('SELECT head_seq, head_hash, state, audit FROM team_checkpoints WHERE team_id = ?')
    .get(t.teamId) as Stored | undefined
const seenOf = (db: Db) =>
  db.prepare('SELECT seen_seq, seen_hash FROM team_spaces WHERE team_id = ?').get(t.teamId) as {
    seen_seq: number
    seen_hash: string
  }
const setCheckpoint = (db: Db, stored: Stored) =>
  db
    .prepare(
      'UPDATE team_checkpoints SET head_seq = ?, head_hash = ?, state = ?, audit = ? WHERE team_id = ?',
    )
    .run(stored.head_seq, stored.head_hash, stored.state, stored.audit, t.teamId)

const environmentsIn = (vault: { services: TeamVault['services'] }) =>
  vault.services.teamConnections.list('platform').connections[0]!.environments

describe('a new process continues from the vault checkpoint', { timeout: 90_000 }, () => {
  it('reads only the rows after it, and sees a change another member made meanwhile', async () => {
    const db = bob.services.vault.database()
    const seen = seenOf(db)
    expect(checkpointOf(db)).toMatchObject({ head_seq: seen.seen_seq, head_hash: seen.seen_hash })
    await ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['dev'] })
    const bob2 = await anew(bob)
    const reads = countReads()
    const synced = await bob2.services.teamConnections.sync('platform')
    expect(synced.warnings).toEqual([])
    // The row at the checkpoint's head (checked unchanged) and Ada's change: nothing before it.
    expect(reads.calls()).toEqual({ log: 0, logFrom: 1, trail: 0, trailFrom: 1 })
    expect(await reads.logFromRows()).toEqual([2])
    expect(environmentsIn(bob2)).toEqual(['dev', 'staging'])
    const opened = await bob2.services.teamConnections.open('platform', 'app-db', 'dev')
    expect(opened.offline).toBe(false)
    // The checkpoint moved to the new mark, with the mark.
    const after = seenOf(db)
    expect(after.seen_seq).toBe(seen.seen_seq + 1)
    expect(checkpointOf(db)).toMatchObject({
      head_seq: after.seen_seq,
      head_hash: after.seen_hash,
    })
  })

  it('is not written again by a read that found nothing new', async () => {
    const db = bob.services.vault.database()
    await bob.services.teamConnections.sync('platform')
    const before = checkpointOf(db)!
    const bob2 = await anew(bob)
    const reads = countReads()
    expect((await bob2.services.teams.members('platform')).members).toHaveLength(3)
    expect(reads.calls()).toMatchObject({ log: 0, logFrom: 1 })
    // Sealed with a fresh nonce each time: the same bytes are the same write, not a new one.
    expect(checkpointOf(db)!.state.equals(before.state)).toBe(true)
  })

  it('only the audit mark is written again when only the trail grew (a use)', async () => {
    const db = bob.services.vault.database()
    await bob.services.teamConnections.open('platform', 'app-db', 'staging') // connection.use
    await bob.services.teams.members('platform') // finds that entry intact: the mark moves
    const before = checkpointOf(db)!
    await bob.services.teamConnections.open('platform', 'app-db', 'staging')
    await bob.services.teams.members('platform')
    const after = checkpointOf(db)!
    expect(after.state.equals(before.state)).toBe(true)
    expect(after.audit!.equals(before.audit!)).toBe(false)
    const bob2 = await anew(bob)
    const reads = countReads()
    await bob2.services.teams.members('platform')
    // The entry at the mark only: the use before it was checked by the earlier process.
    expect(reads.calls()).toMatchObject({ trail: 0, trailFrom: 1 })
    expect(await reads.trailFromRows()).toEqual([1])
  })

  it('holds no secret: the opened state has the fields, never a secret; nor has the vault file', async () => {
    const services = bob.services
    const stored = checkpointOf(services.vault.database())!
    const plaintext = decryptFieldBytes(services.vault.requireKey(), stored.state, {
      vaultId: services.vault.vaultId(),
      connectionId: `team-checkpoint/${t.teamId}`,
      field: `state/${founderKey}/${stored.head_seq}/${stored.head_hash}`,
      secretVersion: 1,
    }).toString('utf8')
    // The non-secret fields are there (so the grep can fail), the planted secrets are not.
    expect(plaintext).toContain('db.internal.example')
    expect(t.canaries).toHaveLength(1)
    expectNoSecrets(plaintext, t.canaries)
    services.vault.database().pragma('wal_checkpoint(PASSIVE)')
    const files = [services.vault.path, `${services.vault.path}-wal`].filter((f) => existsSync(f))
    const vaultFile = files.map((f) => readFileSync(f).toString('latin1')).join('\n')
    expect(vaultFile).toContain('db.internal.example') // the copy's signed change, in clear
    expectNoSecrets(vaultFile, t.canaries)
    expect(vaultFile).not.toContain('"everMembers":[')
  })
})

describe('a checkpoint that cannot be trusted is ignored', { timeout: 90_000 }, () => {
  it('edited in the vault file: the whole log is replayed, still correct, and it is written again', async () => {
    const db = bob.services.vault.database()
    await bob.services.teamConnections.sync('platform')
    const stored = checkpointOf(db)!
    const edited = Buffer.from(stored.state)
    edited[edited.length - 20]! ^= 1
    setCheckpoint(db, { ...stored, state: edited })
    const bob2 = await anew(bob)
    const reads = countReads()
    expect((await bob2.services.teamConnections.sync('platform')).warnings).toEqual([])
    expect(reads.calls()).toMatchObject({ log: 1, logFrom: 0, trail: 1, trailFrom: 0 })
    expect(environmentsIn(bob2)).toEqual(['dev', 'staging'])
    expect(bob2.log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        event: 'team.checkpoint',
        fields: { team: 'platform', ignored: 'it does not open with the vault key' },
      }),
    )
    // Replaced by the state this replay verified: the next new process continues from it.
    expect(checkpointOf(db)!.state.equals(edited)).toBe(false)
    const bob3 = await anew(bob)
    const again = countReads()
    await bob3.services.teamConnections.sync('platform')
    expect(again.calls()).toMatchObject({ log: 0, logFrom: 1 })
  })

  it('an older state put under the newer head (dev allowed, since denied) does not open: dev stays refused', async () => {
    const db = bob.services.vault.database()
    await bob.services.teamConnections.sync('platform')
    const older = checkpointOf(db)! // dev and staging
    await ada.services.teamConnections.setEnvironments('platform', 'app-db', { deny: ['dev'] })
    await bob.services.teamConnections.sync('platform')
    const newer = checkpointOf(db)!
    expect(newer.head_seq).toBe(older.head_seq + 1)
    // Someone with the vault file but not the keychain: the older state under the newer head.
    setCheckpoint(db, { ...newer, state: older.state, audit: older.audit })
    const bob2 = await anew(bob)
    const reads = countReads()
    expect((await bob2.services.teamConnections.sync('platform')).warnings).toEqual([])
    expect(reads.calls()).toMatchObject({ log: 1, logFrom: 0 })
    expect(environmentsIn(bob2)).toEqual(['staging'])
    await expect(
      bob2.services.teamConnections.open('platform', 'app-db', 'dev'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('an older checkpoint put back WITH its older mark: it opens, and the rows after it still apply', async () => {
    const db = bob.services.vault.database()
    const older = { checkpoint: checkpointOf(db)!, seen: seenOf(db) } // staging only
    await ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['qa'] })
    await bob.services.teamConnections.sync('platform')
    expect(seenOf(db).seen_seq).toBe(older.seen.seen_seq + 1)
    // A copy of the vault file's older rows: the checkpoint and the mark it was written with.
    setCheckpoint(db, older.checkpoint)
    db.prepare('UPDATE team_spaces SET seen_seq = ?, seen_hash = ? WHERE team_id = ?').run(
      older.seen.seen_seq,
      older.seen.seen_hash,
      t.teamId,
    )
    const bob2 = await anew(bob)
    const reads = countReads()
    expect((await bob2.services.teamConnections.sync('platform')).warnings).toEqual([])
    expect(reads.calls()).toMatchObject({ log: 0, logFrom: 1 })
    expect(environmentsIn(bob2)).toEqual(['qa', 'staging'])
  })
})

describe('what the log says still wins over the checkpoint', { timeout: 90_000 }, () => {
  it('a log cut back below the checkpoint: lost changes, nothing opened, until they are back', async () => {
    const db = bob.services.vault.database()
    await bob.services.teamConnections.sync('platform')
    const head = checkpointOf(db)!
    const { rows } = await t.team.dba(
      'SELECT * FROM bridgekeep.changes WHERE team_id = $1 AND seq >= $2 ORDER BY seq',
      [t.teamId, head.head_seq - 1],
    )
    expect(rows).toHaveLength(2)
    await dbaEdit(t.team, 'DELETE FROM bridgekeep.changes WHERE team_id = $1 AND seq >= $2', [
      t.teamId,
      head.head_seq - 1,
    ])
    try {
      const bob2 = await anew(bob)
      const synced = await bob2.services.teamConnections.sync('platform')
      expect(synced.warnings).toContainEqual(
        expect.stringContaining(
          `Change #${head.head_seq}, which this vault verified before, is missing`,
        ),
      )
      await expect(
        bob2.services.teamConnections.open('platform', 'app-db', 'staging'),
      ).rejects.toMatchObject({ code: 'TEAM_TAMPERED' })
      // Neither the mark nor the checkpoint moved back to the cut log.
      expect(checkpointOf(db)!.state.equals(head.state)).toBe(true)
      expect(seenOf(db).seen_seq).toBe(head.head_seq)
      // Another new process warns again.
      const bob3 = await anew(bob)
      expect((await bob3.services.teamConnections.sync('platform')).warnings).toContainEqual(
        expect.stringContaining('which this vault verified before, is missing'),
      )
    } finally {
      for (const row of rows as Record<string, unknown>[]) {
        const columns = Object.keys(row)
        await dbaEdit(
          t.team,
          `INSERT INTO bridgekeep.changes (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          Object.values(row),
        )
      }
    }
    const bob4 = await anew(bob)
    const reads = countReads()
    expect((await bob4.services.teamConnections.sync('platform')).warnings).toEqual([])
    expect(reads.calls()).toMatchObject({ log: 0, logFrom: 1 })
  })

  it('a reader removed meanwhile is refused at once, from its checkpoint', async () => {
    const dan = await t.newMember('Dan', 'bob_login', 'member')
    await dan.services.teamConnections.sync('platform')
    await dan.services.teamConnections.sync('platform') // a read continuing: the checkpoint
    const db = dan.services.vault.database()
    expect(checkpointOf(db)?.head_seq).toBe(seenOf(db).seen_seq)
    await ada.services.teams.remove('platform', 'Dan')
    const dan2 = await anew(dan)
    const reads = countReads()
    await expect(
      dan2.services.teamConnections.open('platform', 'app-db', 'staging'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/no longer a member/),
    })
    expect(reads.calls()).toMatchObject({ log: 0, logFrom: 1 })
  })
})

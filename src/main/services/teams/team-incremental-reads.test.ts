import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  dbaEdit,
  teamOfThree,
  type TeamOfThree,
  type TeamVault,
} from '../../../../test/team-connections'

let t: TeamOfThree
let ada: TeamVault
let bob: TeamVault

/** Ada pushes app-db (allowed in staging); Bob syncs it (his reads continue from there). */
beforeAll(async () => {
  t = await teamOfThree()
  ;({ ada, bob } = t)
  t.appDb(ada, 'app-db')
  await ada.services.teamConnections.push('platform', 'app-db', { environments: ['staging'] })
  await bob.services.teamConnections.sync('platform')
}, 120_000)
afterAll(() => t?.team.server.stop())

const newestChange = async () =>
  (
    await t.team.dba(
      'SELECT * FROM bridgekeep.changes WHERE team_id = $1 ORDER BY seq DESC LIMIT 1',
      [t.teamId],
    )
  ).rows[0] as Record<string, unknown> & { seq: string; body: string }

const environmentsBobSees = () =>
  bob.services.teamConnections.list('platform').connections[0]!.environments

describe(
  'routine team reads continue from the changes verified before',
  { timeout: 60_000 },
  () => {
    it('a change by another member is seen by the next routine read', async () => {
      await ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['dev'] })
      const synced = await bob.services.teamConnections.sync('platform')
      expect(synced.warnings).toEqual([])
      expect(environmentsBobSees()).toEqual(['dev', 'staging'])
      expect((await bob.services.teamConnections.open('platform', 'app-db', 'dev')).offline).toBe(
        false,
      )
    })

    it('the row at the mark edited in the database: the full replay, and its cut-back warning', async () => {
      await bob.services.teamConnections.sync('platform') // Bob's mark: the newest change
      const newest = await newestChange()
      expect(newest.kind).toBe('connection.environments')
      const forged = newest.body.replace('"dev"', '"production"')
      expect(forged).not.toBe(newest.body)
      await dbaEdit(
        t.team,
        'UPDATE bridgekeep.changes SET body = $1 WHERE team_id = $2 AND seq = $3',
        [forged, t.teamId, newest.seq],
      )
      const synced = await bob.services.teamConnections.sync('platform')
      expect(synced.warnings).toEqual([
        expect.stringMatching(new RegExp(`^Change #${newest.seq} .* does not match its hash`)),
        expect.stringContaining(
          `Change #${newest.seq}, which this vault verified before, is missing`,
        ),
      ])
      await expect(
        bob.services.teamConnections.open('platform', 'app-db', 'production'),
      ).rejects.toMatchObject({ code: 'TEAM_TAMPERED' })
      await dbaEdit(
        t.team,
        'UPDATE bridgekeep.changes SET body = $1 WHERE team_id = $2 AND seq = $3',
        [newest.body, t.teamId, newest.seq],
      )
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
    })

    it('the row at the mark deleted: the full replay, and its cut-back warning', async () => {
      await bob.services.teamConnections.sync('platform')
      const newest = await newestChange()
      await dbaEdit(t.team, 'DELETE FROM bridgekeep.changes WHERE team_id = $1 AND seq = $2', [
        t.teamId,
        newest.seq,
      ])
      const synced = await bob.services.teamConnections.sync('platform')
      expect(synced.warnings).toEqual([
        expect.stringContaining(
          `Change #${newest.seq}, which this vault verified before, is missing`,
        ),
      ])
      const columns = Object.keys(newest)
      await dbaEdit(
        t.team,
        `INSERT INTO bridgekeep.changes (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(newest),
      )
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
    })

    it('an OLD row edited: found by team verify (the full replay), harmless to routine reads', async () => {
      const oldest = (
        await t.team.dba(
          "SELECT seq, body FROM bridgekeep.changes WHERE team_id = $1 AND kind = 'connection.environments' ORDER BY seq LIMIT 1",
          [t.teamId],
        )
      ).rows[0] as { seq: string; body: string }
      const forged = oldest.body.replace('"staging"', '"production","staging"')
      await dbaEdit(
        t.team,
        'UPDATE bridgekeep.changes SET body = $1 WHERE team_id = $2 AND seq = $3',
        [forged, t.teamId, oldest.seq],
      )
      // Harmless to the incremental reader: its state came from the row as it was verified, and
      // the edited row is not read again; production stays refused, nothing is warned.
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
      expect(environmentsBobSees()).toEqual(['dev', 'staging'])
      await expect(
        bob.services.teamConnections.open('platform', 'app-db', 'production'),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' })
      const verified = await bob.services.teams.verify('platform')
      expect(verified.warnings[0]).toMatch(
        new RegExp(`^Change #${oldest.seq} .* ignored: its content does not match its hash`),
      )
      await dbaEdit(
        t.team,
        'UPDATE bridgekeep.changes SET body = $1 WHERE team_id = $2 AND seq = $3',
        [oldest.body, t.teamId, oldest.seq],
      )
      expect((await bob.services.teams.verify('platform')).warnings).toEqual([])
    })
  },
)

const auditRow = async (order: 'ASC' | 'DESC') =>
  (
    await t.team.dba(
      `SELECT * FROM bridgekeep.audit WHERE team_id = $1 ORDER BY seq ${order} LIMIT 1`,
      [t.teamId],
    )
  ).rows[0] as Record<string, unknown> & { seq: string; body: string; hash: string }

const editAuditBody = (seq: string, body: string) =>
  dbaEdit(t.team, 'UPDATE bridgekeep.audit SET body = $1 WHERE team_id = $2 AND seq = $3', [
    body,
    t.teamId,
    seq,
  ])

describe(
  'routine reads check the team audit trail from the entry verified before',
  { timeout: 60_000 },
  () => {
    it('a forged entry after it is named at every read, until it is gone', async () => {
      await bob.services.teamConnections.sync('platform') // the mark: the newest entry
      const newest = await auditRow('DESC')
      const forged = {
        ...newest,
        seq: String(Number(newest.seq) + 1),
        prev_hash: newest.hash,
        body: newest.body.replace(/"detail":"/, '"detail":"forged: '),
      }
      const columns = Object.keys(forged)
      await dbaEdit(
        t.team,
        `INSERT INTO bridgekeep.audit (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(forged),
      )
      const broken = `The team audit trail is broken at entry #${forged.seq}: its content does not match its hash (it was edited after it was written).`
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([broken])
      // The mark stayed on the last intact entry: the next read names it again.
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([broken])
      await dbaEdit(t.team, 'DELETE FROM bridgekeep.audit WHERE team_id = $1 AND seq = $2', [
        t.teamId,
        forged.seq,
      ])
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
    })

    it('the entry at the mark edited: the whole trail is read, and the break named', async () => {
      await ada.services.teamConnections.setEnvironments('platform', 'app-db', { allow: ['qa'] })
      await bob.services.teamConnections.sync('platform')
      const newest = await auditRow('DESC')
      expect(newest.kind).toBe('connection.environments')
      await editAuditBody(newest.seq, newest.body.replace('qa', 'production'))
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([
        `The team audit trail is broken at entry #${newest.seq}: its content does not match its hash (it was edited after it was written).`,
      ])
      await editAuditBody(newest.seq, newest.body)
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
    })

    it('an OLD entry edited: found by team verify (the whole trail), not by routine reads', async () => {
      const oldest = await auditRow('ASC')
      await editAuditBody(oldest.seq, oldest.body.replace('"detail":"', '"detail":"rewritten: '))
      expect((await bob.services.teamConnections.sync('platform')).warnings).toEqual([])
      const verified = await bob.services.teams.verify('platform')
      expect(verified.warnings).toEqual([
        `The team audit trail is broken at entry #${oldest.seq}: its content does not match its hash (it was edited after it was written).`,
      ])
      expect(verified.auditEntries).toBe(Number((await auditRow('DESC')).seq))
      await editAuditBody(oldest.seq, oldest.body)
      expect((await bob.services.teams.verify('platform')).warnings).toEqual([])
    })
  },
)

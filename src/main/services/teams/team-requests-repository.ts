import { BridgekeepError } from '../../../shared/errors'
import type { TeamStore } from './team-database-repository'
import type { AnswerRow, RequestRow } from './team-requests'

/**
 * SQL for team runner requests and answers (schema version 3), on a team store's connection.
 * Rows in, rows out: it verifies nothing (team-requests.ts does).
 */
export async function insertRequest(store: TeamStore, row: RequestRow): Promise<void> {
  await store.query(
    'INSERT INTO bridgekeep.requests (team_id, id, requester, body, signature) VALUES ($1, $2, $3, $4, $5)',
    [row.teamId, row.id, row.requester, row.body, row.signature],
  )
}

/** Requests of a team that have no answer yet, oldest first (at most `limit`). */
export async function unansweredRequests(
  store: TeamStore,
  teamId: string,
  limit = 100,
): Promise<RequestRow[]> {
  const rows = await store.query<{
    team_id: string
    id: string
    requester: string
    body: string
    signature: string
  }>(
    `SELECT r.team_id, r.id, r.requester, r.body, r.signature
       FROM bridgekeep.requests r
      WHERE r.team_id = $1
        AND NOT EXISTS (SELECT 1 FROM bridgekeep.answers a
                         WHERE a.team_id = r.team_id AND a.request_id = r.id)
      ORDER BY r.created_at, r.id LIMIT $2`,
    [teamId, limit],
  )
  return rows.map((r) => ({
    teamId: r.team_id,
    id: r.id,
    requester: r.requester,
    body: r.body,
    signature: r.signature,
  }))
}

/**
 * Writes an answer; false when the request was answered already (another runner of the team
 * took it first: each request has one answer, the database's primary key says so).
 */
export async function insertAnswer(store: TeamStore, row: AnswerRow): Promise<boolean> {
  try {
    await store.query(
      'INSERT INTO bridgekeep.answers (team_id, request_id, runner, body, signature, status) VALUES ($1, $2, $3, $4, $5, $6)',
      [row.teamId, row.requestId, row.runner, row.body, row.signature, row.status],
    )
    return true
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return false
    throw error
  }
}

export async function answerOf(
  store: TeamStore,
  teamId: string,
  requestId: string,
): Promise<AnswerRow | undefined> {
  const rows = await store.query<{
    team_id: string
    request_id: string
    runner: string
    body: string
    signature: string
    status: string
  }>(
    'SELECT team_id, request_id, runner, body, signature, status FROM bridgekeep.answers WHERE team_id = $1 AND request_id = $2',
    [teamId, requestId],
  )
  const row = rows[0]
  if (!row) return undefined
  if (row.status !== 'issued' && row.status !== 'refused')
    throw new BridgekeepError('TEAM_TAMPERED', `The answer to request ${requestId} is malformed.`)
  return {
    teamId: row.team_id,
    requestId: row.request_id,
    runner: row.runner,
    body: row.body,
    signature: row.signature,
    status: row.status,
  }
}

/**
 * The team audit trail's runner entries written in the last `ms` (by the database's clock), with
 * when: what a restarting runner remembers answering.
 */
export async function recentRunnerEntries(
  store: TeamStore,
  teamId: string,
  ms: number,
): Promise<{ body: string; at: Date }[]> {
  return store.query<{ body: string; at: Date }>(
    `SELECT body, at FROM bridgekeep.audit
      WHERE team_id = $1 AND kind IN ('runner.issue', 'runner.refuse')
        AND at > now() - make_interval(secs => $2)`,
    [teamId, ms / 1000],
  )
}

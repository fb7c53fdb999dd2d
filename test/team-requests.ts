// A request written to the team database as a member's login would write it, and the runner's
// answer read back and checked (signed by `runner`, answering that request): for tests that send
// requests a client would not (forged, stale, replayed, an older requester's operation).
import { expect } from 'vitest'
import { readAnswer, type RequestRow } from '../src/main/services/teams/team-requests'
import type { TeamServer } from './teams'

/** Writes `request` as `login`, waits for the answer of `runner` (its signing key): its refusal reason, if any. */
export async function answerTo(
  team: TeamServer,
  runner: string,
  request: RequestRow,
  login = 'carol_login',
): Promise<string | undefined> {
  const client = await team.client(login)
  try {
    await client.query(
      'INSERT INTO bridgekeep.requests (team_id, id, requester, body, signature) VALUES ($1, $2, $3, $4, $5)',
      [request.teamId, request.id, request.requester, request.body, request.signature],
    )
  } finally {
    await client.end()
  }
  for (let waited = 0; waited < 10_000; waited += 100) {
    const { rows } = await team.dba(
      'SELECT team_id, request_id, runner, body, signature, status FROM bridgekeep.answers WHERE request_id = $1',
      [request.id],
    )
    if (rows[0]) {
      const read = readAnswer(
        {
          teamId: rows[0].team_id,
          requestId: rows[0].request_id,
          runner: rows[0].runner,
          body: rows[0].body,
          signature: rows[0].signature,
          status: rows[0].status,
        },
        request,
      )
      if ('problem' in read) throw new Error(read.problem)
      expect(rows[0].runner).toBe(runner)
      return read.body.reason
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`no answer to ${request.id}`)
}

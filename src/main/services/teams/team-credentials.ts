import type { KeyObject } from 'node:crypto'
import { BridgekeepError } from '../../../shared/errors'
import { decryptAgeFile, readAgeFile } from '../sharing/age-file'
import type { TeamState } from './change-chain'
import { shortKey } from './signed-chain'
import { sealedCredentialsSchema, type SealedCredentials } from './team-issued'
import type { TeamStore } from './team-database-repository'
import {
  ISSUE_CREDENTIALS,
  newRequestBody,
  readAnswer,
  signRequest,
  type AnswerRow,
  type RequestRow,
} from './team-requests'
import { answerOf, insertRequest } from './team-requests-repository'
import { Wakeup } from './team-wakeup'

/**
 * Short-lived credentials a team runner issued to this vault (an AWS session, a GCP or Azure
 * access token, by `kind`), the settings its tools need beside them, and the admin whose runner
 * answered.
 */
export type TeamSession = SealedCredentials & { runner: string }

export interface AskOptions {
  /** How long to wait for an answer; then RUNNER_TIMEOUT. */
  timeoutMs: number
  /** The fallback poll while waiting (a notification wakes it sooner). */
  pollMs: number
  now: Date
}

/**
 * The requester's side: a request signed with this vault's key, written to the team database;
 * then the wait for its answer (LISTEN, and a poll), which must be signed by an admin of the
 * team as this vault verified it, and whose credentials only this vault's age identity opens.
 * The team is verified (`team.verified`: the change log replayed, this vault still a member)
 * while a runner answers, not before the request is written: nothing is trusted before it is
 * done, and the request carries nothing the team database does not see anyway. A refusal is
 * RUNNER_REFUSED with the runner's reason.
 */
export async function askTeamRunner(
  store: TeamStore,
  team: { id: string; name: string; verified: () => Promise<TeamState> },
  me: { signingKey: string; key: KeyObject; ageIdentity: string },
  use: { connection: string; environment: string },
  options: AskOptions,
): Promise<TeamSession> {
  const wake = new Wakeup()
  const request = signRequest(
    newRequestBody(team.id, { ...use, operation: ISSUE_CREDENTIALS }, options.now),
    me,
  )
  // Listening before the request is written: its answer's notification (which names the
  // request) cannot come before the wait. Other requests' answers do not wake this one.
  await store.listen(
    'bridgekeep_answers',
    (requestId) => {
      if (requestId === request.id) wake.notify()
    },
    () => wake.lost(),
  )
  // A vault no longer a member (or a team that cannot be trusted) is told so first, even when
  // the database refused its request too.
  const refused = await insertRequest(store, request).then(
    () => undefined,
    (error: unknown) => ({ error }),
  )
  const state = await team.verified()
  if (refused) throw refused.error
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const left = deadline - Date.now()
    if (left <= 0)
      throw new BridgekeepError(
        'RUNNER_TIMEOUT',
        `No team runner of ${team.name} answered within ${Math.round(options.timeoutMs / 1000)} s.`,
        'Ask a team admin to start one (bridgekeep team runner), then ask again.',
      )
    if ((await wake.wait(Math.min(options.pollMs, left))) === 'lost')
      throw new BridgekeepError(
        'TEAM_UNAVAILABLE',
        `The connection to ${store.where} was lost while waiting for the team runner.`,
        'Ask again once the team database is back.',
      )
    // Notified of this answer, or the poll (a notification can be lost): read it.
    const answer = await answerOf(store, team.id, request.id)
    if (answer) return openAnswer(answer, request, state, me.ageIdentity)
  }
}

async function openAnswer(
  row: AnswerRow,
  request: RequestRow,
  state: TeamState,
  ageIdentity: string,
): Promise<TeamSession> {
  const read = readAnswer(row, request)
  const runner = state.members.get(row.runner)
  const problem =
    'problem' in read
      ? read.problem
      : runner?.role !== 'admin'
        ? `it is signed by ${runner ? `${runner.name}, who is not an admin` : shortKey(row.runner)}, not by an admin of the team`
        : undefined
  if (problem || 'problem' in read)
    throw new BridgekeepError(
      'TEAM_TAMPERED',
      `The answer to request ${request.id} cannot be trusted: ${problem}.`,
      'Nothing was used. Ask a team admin to check who can write to the team database.',
    )
  const body = read.body
  if (body.status === 'refused')
    throw new BridgekeepError(
      'RUNNER_REFUSED',
      `The team runner (${runner!.name}) refused: ${body.reason ?? 'no reason given'}`,
    )
  let plaintext: Uint8Array | undefined
  try {
    plaintext = await decryptAgeFile(
      await readAgeFile(Buffer.from(body.credentials ?? '', 'base64')),
      { identity: ageIdentity },
    )
    const issued = sealedCredentialsSchema.parse(
      JSON.parse(Buffer.from(plaintext).toString('utf8')),
    )
    return { ...issued, runner: runner!.name }
  } catch {
    throw new BridgekeepError(
      'TEAM_TAMPERED',
      `The credentials in the answer to request ${request.id} do not open with this vault's identity, or are not credentials of a kind this version knows.`,
      'Nothing was used. Ask again; if it repeats, ask a team admin to check the team runner.',
    )
  } finally {
    plaintext?.fill(0)
  }
}

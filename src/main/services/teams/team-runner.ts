import type { KeyObject } from 'node:crypto'
import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import { encryptToRecipients } from '../sharing/age-file'
import { issuedExpiry, issuedKinds, type IssuedCredentials } from '../../../shared/operations'
import type { UnlockedIdentity } from '../sharing/identity'
import type { TeamState } from './change-chain'
import type { TeamStore } from './team-database-repository'
import type { TeamSpaceRow } from './team-repository'
import type { VerifiedTeam } from './team-session'
import { shortKey } from './signed-chain'
import { issueProblem, refuseBorrowing, toolSettings, type SealedCredentials } from './team-issued'
import {
  readRequest,
  signAnswer,
  teamOperations,
  type AnswerBody,
  type AnswerRow,
  type RequestBody,
  type RequestRow,
} from './team-requests'

/**
 * A team runner's decision on one request, and the credentials it issues. It answers every
 * request it reads, with a signed answer: the credentials, encrypted to the requester, or a
 * refusal saying why. Checked in this order: the signature and the row; the requester is a
 * member now (by the change log, replayed just before); the request is fresh and not seen
 * before; the operation is one it does; the connection's provider issues credentials (an AWS
 * session, a GCP or Azure token: team-issued.ts); the team's matrix authorizes the connection in
 * the environment. The connection's long-lived secret is read for the one use and never leaves
 * this process: only the short-lived credentials do, as age ciphertext.
 */

/** How old a request may be when the runner reads it, and how far ahead a clock may run. */
export const REQUEST_MAX_AGE_MS = 60_000
export const CLOCK_SKEW_MS = 30_000
/** The lifetime of issued AWS sessions: STS's shortest. GCP and Azure tokens last an hour. */
export const SESSION_SECONDS = 900

/** A team connection, as the team's verified state describes it (never its secrets). */
export interface TeamConnectionInfo {
  id: string
  name: string
  provider: string
  /** The environments the team's matrix authorizes it for (their names or slugs). */
  environments: readonly string[]
}

/** A team connection's values for one use, decrypted in the runner's process only. */
export interface TeamConnectionSecrets {
  connection: { id: string; name: string; provider: string; authMode: string }
  config: Record<string, string>
  secrets: Record<string, string>
}

/**
 * Where a team runner's connections come from, for one pass over pending requests: the team
 * connections (sealed in the team database, keys wrapped to full members, the matrix as signed
 * changes), read on the runner's own connection to the team database. `describe` says what the
 * verified team says; `open` unwraps the current version with the runner admin's identity. Both
 * refuse, with BridgekeepError, what they cannot vouch for.
 */
export interface TeamSecretsSource {
  describe(connection: string): TeamConnectionInfo | undefined
  open(connection: string, environment: string): Promise<TeamConnectionSecrets>
}

/** One pass of a runner: its open team database, the team as it just verified it, and who runs it. */
export interface RunnerPass {
  store: TeamStore
  row: TeamSpaceRow
  team: VerifiedTeam
  me: UnlockedIdentity
}

/** The connections a runner serves in one pass (TeamConnectionsService.runnerSource). */
export type TeamSecretsFor = (pass: RunnerPass) => TeamSecretsSource

/** Issues short-lived credentials for a connection's values (the runner's own operation). */
export type IssueCredentials = (subject: TeamConnectionSecrets) => Promise<IssuedCredentials>

/** How the audit summaries above name a request: what a restarted runner reads back. */
export const REQUEST_IN_SUMMARY = /\(request ([0-9a-f-]{36})\)/

/**
 * Request ids this runner has answered, remembered for as long as such a request could still
 * be fresh: a request written again (a replay) is refused, even when its first answer was
 * removed from the database. Older ids need no memory: the freshness check refuses them. A
 * runner (re)starting reads the ids of the last such minutes back from the team's audit trail,
 * whose entries are signed and chained: removing one breaks the chain for every verifier.
 */
export class AnsweredRequests {
  private readonly ids = new Map<string, number>()

  /** True when `id` was seen before; records it either way. */
  seenBefore(id: string, now: number): boolean {
    for (const [known, until] of this.ids) if (until < now) this.ids.delete(known)
    const seen = this.ids.has(id)
    this.remember(id, now)
    return seen
  }

  /** A request answered at `at` (by this runner, or an earlier run: the team's audit says). */
  remember(id: string, at: number): void {
    this.ids.set(id, at + REQUEST_MAX_AGE_MS + CLOCK_SKEW_MS)
  }
}

export interface RunnerContext {
  /** The team as the runner's vault just verified it (its change log replayed). */
  state: TeamState
  /** The runner's admin identity: signs answers. */
  runner: { signingKey: string; key: KeyObject }
  answered: AnsweredRequests
  secrets: TeamSecretsSource
  issue: IssueCredentials
  now: Date
  log: Logger
}

/** What the runner did with one request: the answer to write, and a line for the audit. */
export interface RunnerDecision {
  answer: AnswerRow
  /** Who asked, what, and the outcome: for the team's audit trail and the runner's log. */
  summary: string
}

export async function decide(row: RequestRow, context: RunnerContext): Promise<RunnerDecision> {
  const at = context.now.toISOString()
  const answer = (fields: Pick<AnswerBody, 'status' | 'reason' | 'credentials' | 'expiration'>) =>
    signAnswer(
      {
        requestId: row.id,
        teamId: row.teamId,
        requester: row.requester,
        ...fields,
        answeredAt: at,
      },
      context.runner,
    )
  const who = context.state.members.get(row.requester)?.name ?? shortKey(row.requester)
  const refuse = (reason: string, what = 'a request'): RunnerDecision => ({
    answer: answer({ status: 'refused', reason }),
    summary: `Refused ${what} from ${who} (request ${row.id}): ${reason}`,
  })
  const read = readRequest(row)
  if ('problem' in read) return refuse(`${read.problem}.`)
  const body = read.body
  const where = `${body.connection.slice(0, 100)} in ${body.environment.slice(0, 100)}`
  const what = `${body.operation.slice(0, 60)} of ${where}`
  const problem = requestProblem(body, row, context)
  if (problem) return refuse(problem, what)
  const member = context.state.members.get(row.requester)!
  try {
    const info = context.secrets.describe(body.connection)
    const denied = matrixProblem(body, info)
    if (denied || !info) return refuse(denied ?? 'no such connection.', what)
    const secrets = await context.secrets.open(info.name, body.environment)
    refuseBorrowing(secrets)
    const issued = await context.issue(secrets)
    const kind = issuedKinds[info.provider as keyof typeof issuedKinds]
    if (issued.kind !== kind)
      throw new BridgekeepError('INTERNAL', `The runner issued ${issued.kind}, not ${kind}.`)
    const settings = toolSettings(issued, secrets)
    const sealedPayload: SealedCredentials = { ...issued, ...(settings ? { settings } : {}) }
    const plaintext = Buffer.from(JSON.stringify(sealedPayload), 'utf8')
    let sealed: Uint8Array
    try {
      sealed = await encryptToRecipients(plaintext, [member.ageRecipient])
    } finally {
      plaintext.fill(0)
    }
    const expiration = issuedExpiry(issued)
    return {
      answer: answer({
        status: 'issued',
        credentials: Buffer.from(sealed).toString('base64'),
        expiration,
      }),
      summary: `Issued ${issued.kind} of ${where} to ${who} (request ${row.id}), until ${expiration}`,
    }
  } catch (error) {
    // The provider's own message (secrets scrubbed by the runner's operation), never a stack;
    // an unexpected error is logged by its name only (its message could quote anything).
    if (!isBridgekeepError(error))
      context.log.error('team.runner.unexpected', {
        request: row.id,
        error: error instanceof Error ? error.name : typeof error,
      })
    const reason = isBridgekeepError(error)
      ? `${error.message}${error.hint ? ` ${error.hint}` : ''}`
      : 'an unexpected error in the runner (its log names it); ask the admin who runs it.'
    return refuse(`credentials were not issued: ${reason.slice(0, 400)}`, what)
  }
}

/** Why a well-signed request is refused before any secret is touched, or undefined. */
function requestProblem(
  body: RequestBody,
  row: RequestRow,
  context: RunnerContext,
): string | undefined {
  const member = context.state.members.get(row.requester)
  if (!member)
    return 'the requester is not a member of the team (removed, or never added by a trusted change).'
  const now = context.now.getTime()
  const issued = Date.parse(body.issuedAt)
  if (issued < now - REQUEST_MAX_AGE_MS)
    return `the request is stale: issued at ${body.issuedAt}, more than ${REQUEST_MAX_AGE_MS / 1000} s before the runner read it (a replay, or a clock far behind). Ask again.`
  if (issued > now + CLOCK_SKEW_MS)
    return `the request was issued at ${body.issuedAt}, in the runner's future: check this machine's clock.`
  if (context.answered.seenBefore(body.id, now))
    return 'this request was answered before: a request is used once (a replay).'
  if (!(teamOperations as readonly string[]).includes(body.operation))
    return `the team runner does not do ${body.operation.slice(0, 60)}; it does ${teamOperations.join(', ')}.`
  return undefined
}

/** Why the team's matrix does not let this request's connection be used where it asks. */
function matrixProblem(
  body: RequestBody,
  info: TeamConnectionInfo | undefined,
): string | undefined {
  const name = body.connection.slice(0, 100)
  if (!info)
    return `the team has no connection named ${name} (a connection in an admin's own vault is served only once an admin pushes it: bridgekeep team push ${name} --env ${body.environment.slice(0, 63)}).`
  const cannot = issueProblem(body.operation, info)
  if (cannot) return cannot
  const wanted = body.environment.toLowerCase()
  if (!info.environments.some((env) => env.toLowerCase() === wanted))
    return `${info.name} is not authorized for environment ${body.environment.slice(0, 100)} by the team's matrix${info.environments.length ? ` (it is for ${info.environments.join(', ')})` : ''}.`
  return undefined
}

import { BridgekeepError, isBridgekeepError } from '../../../shared/errors'
import type { Logger } from '../../log'
import { issuedExpiry, issuedKinds, issuesCredentials } from '../../../shared/operations'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { EnvironmentsService } from '../environments/environments-service'
import { issueThroughRunner, providerRunner } from '../issued-sessions/runner-issue'
import type { UseSecrets } from '../references/secrets-for-use'
import type { ResolutionService } from '../resolution/resolution-service'
import type { UnlockedIdentity } from '../sharing/identity'
import type { Vault } from '../vault/vault'
import { askTeamRunner, type TeamSession } from './team-credentials'
import { useTeamDatabase } from './team-database'
import type { TeamStore } from './team-database-repository'
import { requireAdmin } from './team-members'
import type { TeamSpaceRow } from './team-repository'
import { insertAnswer, recentRunnerEntries, unansweredRequests } from './team-requests-repository'
import {
  AnsweredRequests,
  CLOCK_SKEW_MS,
  decide,
  REQUEST_IN_SUMMARY,
  REQUEST_MAX_AGE_MS,
  SESSION_SECONDS,
  type IssueCredentials,
  type TeamSecretsFor,
} from './team-runner'
import { appendTeamAudit, verifyJoinedTeam } from './team-session'
import { TeamSpaces } from './team-spaces'
import { Wakeup } from './team-wakeup'

export interface TeamRunnerServiceOptions {
  vault: Vault
  audit: AuditService
  connections: ConnectionsService
  environments: EnvironmentsService
  resolution: ResolutionService
  useSecrets: UseSecrets
  identity: () => Promise<UnlockedIdentity>
  log: Logger
  /** Where a runner's connections come from: the team's connections (team-connections.ts). */
  secrets: TeamSecretsFor
  /** How a runner issues credentials: the runner's own issue-credentials, in this process. */
  issue?: IssueCredentials
  now?: () => Date
}

export interface ServeOptions {
  /** Ends the runner: it finishes the request at hand, then closes its connection. */
  signal: AbortSignal
  /** The fallback poll: requests are read this often even if no notification arrives. */
  pollMs?: number
  /** Called each time the runner is connected and listening (again, after a reconnection). */
  onListening?: (team: string) => void
}

/** The fallback poll of a team runner and the requester's wait: a notification comes sooner. */
export const RUNNER_POLL_MS = 5_000
export const REQUESTER_POLL_MS = 1_000
export const REQUESTER_TIMEOUT_MS = 30_000
const RECONNECT_MAX_MS = 30_000

/** The runner's own issue-credentials of the connection's provider (decide refuses the others). */
const issueTeamCredentials: IssueCredentials = async ({ connection, ...values }) => {
  const provider = connection.provider
  if (!issuesCredentials(provider))
    throw new BridgekeepError('INTERNAL', `${provider} connections have no credentials to issue.`)
  const aws = issuedKinds[provider] === 'aws-session'
  const issuing = issueThroughRunner(
    providerRunner(provider),
    { connection, ...values },
    aws ? { durationSeconds: SESSION_SECONDS } : {},
  )
  return (await issuing).credentials
}

/**
 * Team runners and their requesters. A team runner is an admin's vault serving the team's
 * use-only members (and anyone else who asks): it listens for requests in the team database,
 * answers each with short-lived credentials encrypted to the requester, or a signed refusal, and
 * records every answer in the team's audit trail and its own vault's. A requester asks and
 * waits (see team-credentials.ts).
 */
export class TeamRunnerService {
  private readonly spaces: TeamSpaces

  constructor(private readonly options: TeamRunnerServiceOptions) {
    this.spaces = new TeamSpaces(options)
  }

  private now(): Date {
    return this.options.now?.() ?? new Date()
  }

  /**
   * Runs the team runner until `signal` aborts: connects, refuses a vault that is not an admin
   * of the team, listens, answers; after a lost connection it reconnects with backoff.
   */
  async serve(teamName: string | undefined, options: ServeOptions): Promise<void> {
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    const answered = new AnsweredRequests()
    for (let failures = 0; !options.signal.aborted;) {
      try {
        await useTeamDatabase(
          this.options,
          this.spaces.databaseOf(row),
          `Ran the team runner of ${row.name}`,
          async (store) => {
            const wake = new Wakeup()
            await store.listen(
              'bridgekeep_requests',
              () => wake.notify(),
              () => wake.lost(),
            )
            // Refused before listening is announced: only an admin runs a team runner.
            await this.verifyRunner(store, row, me)
            await rememberRecentAnswers(store, row.team_id, answered)
            this.rememberOwnAnswers(row.team_id, answered)
            options.onListening?.(row.name)
            failures = 0
            for (;;) {
              await this.answerPending(store, row, me, answered)
              const why = await wake.wait(options.pollMs ?? RUNNER_POLL_MS, options.signal)
              if (why === 'stop') return
              if (why === 'lost')
                throw new BridgekeepError(
                  'TEAM_UNAVAILABLE',
                  `The connection to ${store.where} was lost.`,
                )
            }
          },
        )
      } catch (error) {
        if (options.signal.aborted) return
        // Only the database being away is waited out; anything else (not an admin, the team
        // connection not authorized, a tampered team) stops the runner with its reason.
        if (isBridgekeepError(error) && error.code !== 'TEAM_UNAVAILABLE') throw error
        failures++
        const delay = Math.min(RECONNECT_MAX_MS, 500 * 2 ** Math.min(failures, 6))
        this.options.log.warn('team.runner.reconnect', {
          team: row.name,
          reason: isBridgekeepError(error) ? error.message : 'unexpected error',
          retryInMs: delay,
        })
        await new Wakeup().wait(delay, options.signal)
      }
    }
  }

  /** Asks a team runner for short-lived credentials of a team connection in an environment. */
  async credentials(
    teamName: string | undefined,
    use: { connection: string; environment: string },
    options: { timeoutMs?: number; pollMs?: number } = {},
  ): Promise<TeamSession> {
    const row = this.spaces.find(teamName)
    const me = await this.options.identity()
    const what = `${use.connection} in ${use.environment}`
    const target = { type: 'team' as const, id: row.team_id, name: row.name }
    try {
      const session = await useTeamDatabase(
        this.options,
        this.spaces.databaseOf(row),
        `Asked the team runner of ${row.name} for ${what}`,
        async (store) => {
          // The team is verified while a runner answers: the answer is trusted only against it.
          const verified = async () => {
            const team = await verifyJoinedTeam(store, row, {
              spaces: this.spaces,
              log: this.options.log,
            })
            if (!team.seenLost) this.spaces.markSeen(row, team.state.head)
            if (!team.state.members.has(me.address.signingKey))
              throw new BridgekeepError(
                'FORBIDDEN',
                `This vault is no longer a member of ${row.name}.`,
                'Ask a team admin.',
              )
            return team.state
          }
          return askTeamRunner(
            store,
            { id: row.team_id, name: row.name, verified },
            { signingKey: me.address.signingKey, key: me.signingKey, ageIdentity: me.ageIdentity },
            use,
            {
              timeoutMs: options.timeoutMs ?? REQUESTER_TIMEOUT_MS,
              pollMs: options.pollMs ?? REQUESTER_POLL_MS,
              now: this.now(),
            },
          )
        },
      )
      this.options.audit.record({
        action: 'team.credentials',
        target,
        detail: `${session.kind} of ${what} from ${session.runner}'s team runner, until ${issuedExpiry(session)}`,
      })
      return session
    } catch (error) {
      this.options.audit.recordFailure(
        { action: 'team.credentials', target, detail: `Credentials of ${what}` },
        error,
      )
      throw error
    }
  }

  /**
   * Requests this vault's runner answered within the freshness window, from its own audit trail
   * (`team.answer`): the team's audit could have lost its newest entries to a DBA, this vault's
   * trail is out of the database's reach. A runner of another admin's vault, starting within
   * that window, has only the team's audit (docs/teams.md says so).
   */
  private rememberOwnAnswers(teamId: string, answered: AnsweredRequests): void {
    const since = this.now().getTime() - REQUEST_MAX_AGE_MS - CLOCK_SKEW_MS
    const { entries } = this.options.audit.query({
      filter: { actions: ['team.answer'], from: new Date(since).toISOString() },
      limit: 1000,
    })
    for (const entry of entries) {
      const id = entry.targetId === teamId ? REQUEST_IN_SUMMARY.exec(entry.detail)?.[1] : undefined
      if (id) answered.remember(id, Date.parse(entry.time))
    }
  }

  private async verifyRunner(store: TeamStore, row: TeamSpaceRow, me: UnlockedIdentity) {
    const team = await verifyJoinedTeam(store, row, { spaces: this.spaces, log: this.options.log })
    if (!team.seenLost) this.spaces.markSeen(row, team.state.head)
    requireAdmin(team.state, me.address.signingKey, 'run its team runner')
    return team
  }

  /**
   * One pass: every request without an answer gets one. The change log is replayed first, so a
   * member removed a moment ago is refused, and a runner whose admin was demoted stops.
   */
  private async answerPending(
    store: TeamStore,
    row: TeamSpaceRow,
    me: UnlockedIdentity,
    answered: AnsweredRequests,
  ): Promise<void> {
    const pending = await unansweredRequests(store, row.team_id)
    if (!pending.length) return
    const team = await this.verifyRunner(store, row, me)
    const runner = { signingKey: me.address.signingKey, key: me.signingKey }
    const secrets = this.options.secrets({ store, row, team, me })
    for (const request of pending) {
      const decision = await decide(request, {
        state: team.state,
        runner,
        answered,
        secrets,
        issue: this.options.issue ?? issueTeamCredentials,
        now: this.now(),
        log: this.options.log,
      })
      // Another runner of the team answered first: its answer stands.
      if (!(await insertAnswer(store, decision.answer))) continue
      const issued = decision.answer.status === 'issued'
      await appendTeamAudit(
        store,
        row.team_id,
        runner,
        issued ? 'runner.issue' : 'runner.refuse',
        decision.summary,
        this.now().toISOString(),
      )
      this.options.audit.record({
        action: 'team.answer',
        outcome: issued ? 'success' : 'failure',
        target: { type: 'team', id: row.team_id, name: row.name },
        detail: decision.summary,
      })
      this.options.log.info('team.runner.answer', {
        team: row.name,
        request: request.id,
        status: decision.answer.status,
      })
    }
  }
}

/** Requests answered within the freshness window (by an earlier run too), from the team audit. */
async function rememberRecentAnswers(
  store: TeamStore,
  teamId: string,
  answered: AnsweredRequests,
): Promise<void> {
  for (const entry of await recentRunnerEntries(
    store,
    teamId,
    REQUEST_MAX_AGE_MS + CLOCK_SKEW_MS,
  )) {
    let detail: unknown
    try {
      detail = (JSON.parse(entry.body) as { detail?: unknown }).detail
    } catch {
      continue
    }
    const id = typeof detail === 'string' ? REQUEST_IN_SUMMARY.exec(detail)?.[1] : undefined
    if (id) answered.remember(id, entry.at.getTime())
  }
}

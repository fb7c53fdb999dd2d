// The world of the in-process team runner tests: a real PostgreSQL and a loopback STS that
// checks SigV4; Ada (admin) founds `platform` with the members asked for, pushes `prod-aws` (her
// AWS key at that STS) allowed in development, and serves as the team's runner in this process.
import { readFileSync } from 'node:fs'
import BetterSqlite3 from 'better-sqlite3'
import { expect } from 'vitest'
import type { TeamRole } from '../src/main/services/teams/change-chain'
import type { RequestRow } from '../src/main/services/teams/team-requests'
import { answerTo as answerFrom } from './team-requests'
import { deployer, startSts, type StsFixture, type StsIdentity } from './fixtures/sts'
import { inlineAwsConnection, unlockedServices } from './services'
import { foundTeam, startTeamServer, type TeamServer } from './teams'

export type Vault = Awaited<ReturnType<typeof unlockedServices>>

export interface RunnerWorldMember {
  name: string
  login: string
  role: TeamRole
}

export interface RunnerWorld<Members extends readonly RunnerWorldMember[]> {
  /** The user behind `prod-aws`. */
  user: StsIdentity
  /** Starts everything, the runner serving once it listens: Ada, then the members in order. */
  start(): Promise<{
    team: TeamServer
    sts: StsFixture
    teamId: string
    ada: Vault
    members: { [K in keyof Members]: Vault }
  }>
  /** Ada's vault as the team's runner, in this process, once it listens. */
  startRunner(): Promise<void>
  /** Stops the runner (if it serves) and waits for it to end. */
  stopRunner(): Promise<void>
  /** Writes `request` as `login` and waits for the runner's answer: its refusal reason, if any. */
  answerTo(request: RequestRow, login?: string): Promise<string | undefined>
  /**
   * No long-lived secret, nor any issued one, in a team table, the server's WAL or log, or the
   * vaults' audit trails and logs.
   */
  expectNoSecretAnywhere(vaults: Vault[]): Promise<void>
  /** The kinds of the team's audit entries. */
  teamAuditKinds(): Promise<string[]>
  stop(): Promise<void>
}

/** A world described now and built by start() (in a beforeAll). */
export function runnerWorld<const Members extends readonly RunnerWorldMember[]>(options: {
  userId: string
  members: Members
}): RunnerWorld<Members> {
  const user = deployer(options.userId)
  let started: Awaited<ReturnType<RunnerWorld<Members>['start']>> | undefined
  let runner: { stop: AbortController; serving: Promise<void> } | undefined
  // Kept as soon as each starts, so that stop() ends them even after a failed start().
  const servers: { team?: TeamServer; sts?: StsFixture } = {}
  const world = (): NonNullable<typeof started> => {
    if (!started) throw new Error('The runner world is not started (call start() in a beforeAll).')
    return started
  }
  const self: RunnerWorld<Members> = {
    user,
    async start() {
      const [team, sts] = await Promise.all([
        startTeamServer().then((team) => (servers.team = team)),
        startSts({ identities: [user] }).then((sts) => (servers.sts = sts)),
      ])
      const [ada, ...members] = await Promise.all(
        [null, ...options.members].map(() => unlockedServices()),
      )
      const teamId = await foundTeam(
        team,
        { services: ada!.services, name: 'Ada', login: 'bk_owner' },
        options.members.map((member, i) => ({ ...member, services: members[i]!.services })),
      )
      inlineAwsConnection(ada!.services, user, sts.url)
      // The runner serves team connections: pushed, allowed in development by the team's matrix.
      await ada!.services.teamConnections.push('platform', 'prod-aws', {
        environments: ['development'],
      })
      started = {
        team,
        sts,
        teamId,
        ada: ada!,
        members: members as unknown as { [K in keyof Members]: Vault },
      }
      await self.startRunner()
      return started
    },
    async startRunner() {
      const stop = new AbortController()
      let listening!: () => void
      const ready = new Promise<void>((resolve) => (listening = resolve))
      const serving = world().ada.services.teamRunner.serve('platform', {
        signal: stop.signal,
        // No poll within any test's time: every answer here comes through LISTEN/NOTIFY (the
        // CLI's test shows the poll answering a request whose notification never came).
        pollMs: 600_000,
        onListening: () => listening(),
      })
      runner = { stop, serving }
      await ready
    },
    async stopRunner() {
      runner?.stop.abort()
      await runner?.serving
    },
    async answerTo(request, login) {
      const { team, ada } = world()
      return answerFrom(team, (await signer(ada)).signingKey, request, login)
    },
    async expectNoSecretAnywhere(vaults) {
      const { team, sts } = world()
      const canaries = [
        user.secretAccessKey,
        ...sts.issued.flatMap((s) => [s.secretAccessKey, s.sessionToken!]),
      ]
      expect(canaries.length).toBeGreaterThan(3)
      const texts = await team.everything()
      for (const vault of vaults) {
        const raw = new BetterSqlite3(vault.services.vault.path, { readonly: true })
        texts.push(JSON.stringify(raw.prepare('SELECT * FROM audit_log').all()))
        raw.close()
        texts.push(JSON.stringify(vault.log.lines))
      }
      expect(readFileSync(team.server.logFile, 'utf8')).toContain('INSERT INTO bridgekeep.answers')
      for (const secret of canaries)
        for (const [i, text] of texts.entries())
          expect(text.includes(secret), `canary ${secret.slice(0, 4)}… in text ${i}`).toBe(false)
    },
    async teamAuditKinds() {
      const { team, teamId } = world()
      const { rows } = await team.dba('SELECT kind FROM bridgekeep.audit WHERE team_id = $1', [
        teamId,
      ])
      return rows.map((r) => r.kind)
    },
    async stop() {
      await self.stopRunner()
      await servers.team?.server.stop()
      await servers.sts?.close()
    },
  }
  return self
}

/** A vault's signing key pair, as a request's requester signs with it. */
export async function signer(v: Vault) {
  const me = await v.services.sharing.localIdentity()
  return { signingKey: me.address.signingKey, key: me.signingKey }
}

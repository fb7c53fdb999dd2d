// Team space figures (issue 23), against a real PostgreSQL (TLS, SCRAM logins) and a loopback
// STS that checks SigV4, all vaults in this process:
// - first_sync_ms: a new full member's vault joins and syncs the team (median of fresh vaults,
//   each starting with no signature verified in this process, as a new machine would);
// - change_visible_p95_ms: from an admin's matrix change committed to a watching member's copy
//   holding it (`watch`: LISTEN/NOTIFY, poll far beyond the run);
// - concurrent_clients / concurrent_errors: that many `open`s at once (each its own session:
//   verify, refresh the copy, open, the team audit entry), over the full members' vaults;
// - use_only_request_p95_ms: a use-only member's whole ask to the team runner (connect, replay,
//   signed request, the runner's checks and STS call, the answer, decrypt);
// - cli_read_after_checkpoint_ms / cli_read_full_replay_ms: a new process's first read of an
//   unchanged team (`team members`: a fresh services instance on a full member's vault file,
//   nothing of the team in memory), from the vault's checkpoint, and with none (the whole log
//   and trail, as before it); checkpoint_kb, the size of its sealed state;
// plus the setup's facts and costs. Argument: the number of connections (5000 by default).
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { teamRoleName, teamRoleNames } from '../src/main/db/team-migrations'
import { wrapToMembers } from '../src/main/services/teams/key-wrap'
import type { ChainPin } from '../src/main/services/teams/change-chain'
import { forgetVerifiedSignatures } from '../src/main/services/teams/signed-chain'
import { forgetTeamAudit } from '../src/main/services/teams/team-audit-reads'
import { forgetReplay } from '../src/main/services/teams/team-replay-memory'
import { servicesAt } from '../test/audit-trail'
import { canary } from '../test/fixtures/canary'
import { startSts, type StsIdentity } from '../test/fixtures/sts'
import { inlineAwsConnection, unlockedServices } from '../test/services'
import { foundTeam, startTeamServer, TEAM_DATABASE, teamDbConnection } from '../test/teams'
import { report, round, sample, summarize } from './lib/measure'
import {
  AdminWriter,
  connectionName,
  environmentNames,
  environmentsOf,
  strangerAddress,
} from './lib/team-load'

const CONNECTIONS = Number(process.argv[2] ?? 5000)
const MEMBERS = 50
const ENVIRONMENTS = 20
/** New full members whose first sync is measured (invited before the connections were pushed). */
const JOINERS = 3
const CHANGES = 50
const CLIENTS = 100
const REQUESTS = 100
/** Phases with many samples stop early past their budget (the count is in the output). */
const BUDGET_MS = 30_000

type Vault = Awaited<ReturnType<typeof unlockedServices>>
const ms = (start: number) => performance.now() - start
const log = (text: string) => process.stderr.write(`team bench: ${text}\n`)

async function main(): Promise<void> {
  const load = [loadavg()[0]!]
  const user: StsIdentity = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/bench',
    userId: 'AIDABENCHUSER0000001',
  }
  // Statements are not logged (no canary is grepped here, and 50,000 logged inserts would be
  // measured too); room for the clients at once, the watcher, the runner and the writer.
  const [team, sts] = await Promise.all([
    startTeamServer({ maxConnections: CLIENTS + 40, logStatements: false }),
    startSts({ identities: [user] }),
  ])
  const stop = new AbortController()
  try {
    const environments = environmentNames(ENVIRONMENTS)
    let t = performance.now()
    const [ada, wes, carol, ...joiners] = await Promise.all(
      Array.from({ length: 3 + JOINERS }, () => unlockedServices()),
    )
    const teamId = await foundTeam(
      team,
      { services: ada!.services, name: 'Ada', login: 'bk_owner' },
      [
        { services: wes!.services, name: 'Wes', login: 'wes_login', role: 'member' },
        { services: carol!.services, name: 'Carol', login: 'carol_login', role: 'use-only' },
      ],
    )
    const roles = teamRoleNames(teamRoleName(teamId))
    for (const [i, joiner] of joiners.entries()) {
      const login = `joiner_${i}`
      await team.login(login)
      await joiner.services.sharing.setName({ name: `Joiner ${i}` })
      teamDbConnection(joiner.services, team, login)
      await team.dba(`GRANT ${roles.member} TO ${login}`)
      const { address } = await joiner.services.sharing.identity()
      await ada!.services.teams.invite('platform', address, 'member', `Joiner ${i}`)
    }
    // The rest of the 50: identities added by signed invitations, use-only (no key wrapped).
    const strangers = MEMBERS - 3 - JOINERS
    for (let i = 0; i < strangers; i++)
      await ada!.services.teams.invite(
        'platform',
        await strangerAddress(),
        'use-only',
        `Member ${i}`,
      )
    const membersMs = ms(t)
    const fullMembers = 2 + JOINERS
    log(`${MEMBERS} members (${fullMembers} full) in ${Math.round(membersMs)} ms`)

    const me = await ada!.services.sharing.localIdentity()
    const founderKey = me.address.signingKey
    const pin = { teamId, founderKey }
    let writer = await AdminWriter.open(team, 'bk_owner', pin, me)
    const ids: string[] = []
    t = performance.now()
    for (let i = 0; i < CONNECTIONS; i++) {
      ids.push((await writer.push(i, environmentsOf(i, environments))).connectionId)
      if ((i + 1) % 1000 === 0) log(`${i + 1} connections pushed, ${Math.round(ms(t))} ms`)
    }
    const pushMs = ms(t)
    const wrapMs = await wrapCost(fullMembers)

    // One `team push` through the service at full size: what an admin's command costs now.
    forgetVerifiedSignatures()
    ada!.services.connections.create({
      name: 'bench-extra',
      provider: 'postgres',
      authMode: 'inline',
      values: {
        host: 'extra.internal.example',
        port: '5432',
        database: 'app',
        user: 'app',
        password: `pw-${canary.alnum(24)}`,
        sslmode: 'require',
      },
    })
    t = performance.now()
    await ada!.services.teamConnections.push('platform', 'bench-extra', {
      environments: ['env-00'],
    })
    const pushOneMs = ms(t)
    // Ada's push moved the head: the writer reads the log again.
    await writer.close()
    writer = await AdminWriter.open(team, 'bk_owner', pin, me)
    log(`one team push at ${CONNECTIONS}: ${Math.round(pushOneMs)} ms`)

    // first_sync_ms
    const founder = (await ada!.services.sharing.identity()).fingerprint
    const firstSync: number[] = []
    for (const joiner of joiners) {
      forgetVerifiedSignatures()
      t = performance.now()
      await joiner.services.teams.join(TEAM_DATABASE, 'platform', founder)
      const synced = await joiner.services.teamConnections.sync('platform')
      firstSync.push(ms(t))
      if (synced.connections !== CONNECTIONS + 1 || synced.warnings.length)
        throw new Error(
          `first sync: ${synced.connections} connections, ${synced.warnings.join(' ')}`,
        )
      log(`first sync ${Math.round(firstSync.at(-1)!)} ms`)
    }
    // The keys were wrapped to them: a use opens.
    await joiners[0]!.services.teamConnections.open(
      'platform',
      connectionName(0),
      environmentsOf(0, environments)[0]!,
    )

    const cli = await newProcessReads(joiners[0]!, pin)

    const visible = await changeVisible(wes!, writer, teamId, ids, environments)
    const concurrent = await concurrentOpens([wes!, ...joiners, ada!], environments)
    await writer.close()

    // use_only_request_p95_ms: Carol (use-only) asks the team runner Ada serves, as `team credentials` does.
    inlineAwsConnection(ada!.services, user, sts.url)
    // The runner serves team connections: pushed, allowed in development by the team's matrix.
    await ada!.services.teamConnections.push('platform', 'prod-aws', {
      environments: ['development'],
    })
    let listening!: () => void
    const ready = new Promise<void>((resolve) => (listening = resolve))
    const serving = ada!.services.teamRunner.serve('platform', {
      signal: stop.signal,
      pollMs: 600_000,
      onListening: () => listening(),
    })
    await ready
    const asked = { connection: 'prod-aws', environment: 'development' }
    const ask = () => carol!.services.teamRunner.credentials('platform', asked)
    for (let i = 0; i < 3; i++) await ask()
    const requests: number[] = []
    const started = performance.now()
    while (requests.length < REQUESTS && ms(started) < BUDGET_MS) {
      t = performance.now()
      await ask()
      requests.push(ms(t))
    }
    stop.abort()
    await serving
    load.push(loadavg()[0]!)

    const sync = summarize(firstSync)
    const use = summarize(requests)
    report({
      members: MEMBERS,
      full_members: fullMembers,
      connections: CONNECTIONS,
      environments: ENVIRONMENTS,
      first_sync_ms: round(sync.median, 1),
      first_sync_runs: sync.runs,
      change_visible_p95_ms: round(visible.p95, 1),
      change_visible_median_ms: round(visible.median, 1),
      change_visible_runs: visible.runs,
      concurrent_clients: concurrent.clients,
      concurrent_errors: concurrent.errors,
      concurrent_ms: round(concurrent.ms, 0),
      use_only_request_p95_ms: round(use.p95, 1),
      use_only_request_median_ms: round(use.median, 1),
      use_only_request_runs: use.runs,
      cli_read_after_checkpoint_ms: round(cli.checkpoint.median, 1),
      cli_read_full_replay_ms: round(cli.full.median, 1),
      cli_read_runs: cli.full.runs,
      checkpoint_kb: round(cli.checkpointBytes / 1024, 0),
      setup_members_ms: round(membersMs, 0),
      setup_push_ms: round(pushMs, 0),
      setup_push_per_connection_ms: round(pushMs / CONNECTIONS, 2),
      age_wrap_per_member_ms: round(wrapMs, 3),
      team_push_one_ms: round(pushOneMs, 0),
      cpus: cpus().length,
      load_1m: load.map((l) => round(l, 2)),
    })
  } finally {
    stop.abort()
    await team.server.stop()
    await sts.close()
  }
}

/** Wrapping one connection key with age, per full member (ms): the cost `push` pays per member. */
async function wrapCost(fullMembers: number): Promise<number> {
  const age = await import('../src/main/services/sharing/age-file').then((m) => m.loadAge())
  const members = await Promise.all(
    Array.from({ length: fullMembers }, async (_, i) => ({
      signingKey: `member-${i}`,
      ageRecipient: await age.identityToRecipient(await age.generateX25519Identity()),
      name: `Member ${i}`,
      role: 'member' as const,
      sinceSeq: 1,
    })),
  )
  const binding = { teamId: 'bench', connectionId: 'bench', version: 1 }
  const samples = await sample(() => wrapToMembers(Buffer.alloc(32, 7), binding, members), 50, 5)
  return summarize(samples).median / fullMembers
}

/**
 * A new process's first read of an unchanged team, as each `bridgekeep team …` command makes
 * one: a fresh services instance on `vault`'s file (unlocked before the clock starts), nothing
 * of the team in this process's memory, `team members` timed. Without a checkpoint (deleted
 * first: the whole log and trail are checked, and the checkpoint written), then from it.
 */
async function newProcessReads(vault: Vault, pin: ChainPin) {
  const db = vault.services.vault.database()
  const read = async (withCheckpoint: boolean) => {
    forgetReplay(pin)
    forgetTeamAudit(pin)
    forgetVerifiedSignatures()
    if (!withCheckpoint)
      db.prepare('DELETE FROM team_checkpoints WHERE team_id = ?').run(pin.teamId)
    const fresh = servicesAt(vault.dataDir, vault.keyStore)
    await fresh.services.vault.unlock({ method: 'keychain' })
    const t = performance.now()
    const { members } = await fresh.services.teams.members('platform')
    const took = ms(t)
    fresh.services.vault.lock()
    if (members.length !== MEMBERS) throw new Error(`a new process read ${members.length} members`)
    return took
  }
  // Its checkpoint at the current mark and audit trail (the joins after its sync added entries).
  await vault.services.teams.members('platform')
  const full: number[] = []
  const checkpoint: number[] = []
  for (let i = 0; i < 3; i++) {
    full.push(await read(false))
    checkpoint.push(await read(true))
  }
  const { bytes } = db
    .prepare('SELECT length(state) AS bytes FROM team_checkpoints WHERE team_id = ?')
    .get(pin.teamId) as { bytes: number }
  log(
    `a new process's read: ${Math.round(summarize(full).median)} ms in full, ${Math.round(summarize(checkpoint).median)} ms from the checkpoint (${Math.round(bytes / 1024)} kB)`,
  )
  return { full: summarize(full), checkpoint: summarize(checkpoint), checkpointBytes: bytes }
}

/** Wes watches; Ada changes a connection's matrix, one change at a time; when is it in Wes's copy? */
async function changeVisible(
  wes: Vault,
  writer: AdminWriter,
  teamId: string,
  ids: string[],
  environments: string[],
) {
  const copyHead = wes.services.vault
    .database()
    .prepare('SELECT coalesce(max(seq), 0) AS seq FROM team_change_cache WHERE team_id = ?')
  let waiter: { seq: number; resolve: (at: number) => void } | undefined
  let first!: () => void
  const firstSync = new Promise<void>((resolve) => (first = resolve))
  const watch = wes.services.teamConnections.watch(
    'platform',
    () => {
      const at = performance.now()
      first()
      const { seq } = copyHead.get(teamId) as { seq: number }
      if (waiter && seq >= waiter.seq) waiter.resolve(at)
    },
    { pollMs: 600_000 },
  )
  let t = performance.now()
  await firstSync
  log(`watch's first sync ${Math.round(ms(t))} ms`)
  const samples: number[] = []
  t = performance.now()
  for (let i = 0; i < CHANGES && ms(t) < BUDGET_MS; i++) {
    const index = i % ids.length
    // Two environments where it had three: always a change.
    const envs = [environments[i % ENVIRONMENTS]!, environments[(i + 1) % ENVIRONMENTS]!].sort()
    const seen = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`change ${i} not seen in 30 s`)), 30_000)
      waiter = { seq: Number.MAX_SAFE_INTEGER, resolve: (at) => (clearTimeout(timer), resolve(at)) }
    })
    const head = await writer.environments(ids[index]!, connectionName(index), envs)
    const committed = performance.now()
    waiter!.seq = head.seq
    // A wake-up already running may have read it: check once more before waiting.
    if ((copyHead.get(teamId) as { seq: number }).seq >= head.seq)
      waiter!.resolve(performance.now())
    samples.push((await seen) - committed)
  }
  await watch.stop()
  log(`${samples.length} changes seen, median ${Math.round(summarize(samples).median)} ms`)
  return summarize(samples)
}

/** CLIENTS opens at once, over the full members' vaults, each on its own database session. */
async function concurrentOpens(vaults: Vault[], environments: string[]) {
  const t = performance.now()
  const results = await Promise.allSettled(
    Array.from({ length: CLIENTS }, (_, i) => {
      // Connections the change phase left as pushed (their matrix is environmentsOf).
      const index = CHANGES + ((i * 37) % (CONNECTIONS - CHANGES))
      return vaults[i % vaults.length]!.services.teamConnections.open(
        'platform',
        connectionName(index),
        environmentsOf(index, environments)[i % 3]!,
      )
    }),
  )
  const failed = results.flatMap((r) =>
    r.status === 'rejected' ? [(r.reason as Error).message] : [],
  )
  const reasons = [...new Set(failed.map((m) => m.slice(0, 160)))]
  if (reasons.length) log(`concurrent errors: ${reasons.join(' | ')}`)
  const took = ms(t)
  log(`${CLIENTS} opens at once: ${Math.round(took)} ms, ${failed.length} errors`)
  return { clients: CLIENTS, errors: failed.length, ms: took }
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

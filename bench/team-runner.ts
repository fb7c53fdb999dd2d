// Team runner figures, against a real PostgreSQL and a loopback STS that checks SigV4: a
// use-only member asks for short-lived AWS credentials and an admin's team runner (in this
// process) answers through the team database. use_only_request_p95_ms is a whole ask, as
// `team credentials` makes it: connect (TLS), replay the team's log, sign and write the request,
// the runner's checks, opening the team connection and the STS call, the answer through LISTEN/NOTIFY (the runner's fallback poll
// is set far beyond the run, so it never answers one), decrypt and check.
import { canary } from '../test/fixtures/canary'
import { startSts, type StsIdentity } from '../test/fixtures/sts'
import { inlineAwsConnection, unlockedServices } from '../test/services'
import { foundTeam, startTeamServer } from '../test/teams'
import { report, round, sample, summarize } from './lib/measure'

const RUNS = 100

async function main(): Promise<void> {
  const user: StsIdentity = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/bench',
    userId: 'AIDABENCHUSER0000001',
  }
  const [team, sts] = await Promise.all([startTeamServer(), startSts({ identities: [user] })])
  const stop = new AbortController()
  try {
    const [ada, carol] = await Promise.all([unlockedServices(), unlockedServices()])
    await foundTeam(team, { services: ada.services, name: 'Ada', login: 'bk_owner' }, [
      { services: carol.services, name: 'Carol', login: 'carol_login', role: 'use-only' },
    ])
    inlineAwsConnection(ada.services, user, sts.url)
    // The runner serves team connections: pushed, allowed in development by the team's matrix.
    await ada.services.teamConnections.push('platform', 'prod-aws', {
      environments: ['development'],
    })
    let listening!: () => void
    const ready = new Promise<void>((resolve) => (listening = resolve))
    const serving = ada.services.teamRunner.serve('platform', {
      signal: stop.signal,
      pollMs: 600_000,
      onListening: () => listening(),
    })
    await ready
    const asked = { connection: 'prod-aws', environment: 'development' }
    const samples = await sample(
      () => carol.services.teamRunner.credentials('platform', asked),
      RUNS,
    )
    stop.abort()
    await serving
    const figures = summarize(samples)
    report({
      runs: figures.runs,
      use_only_request_median_ms: round(figures.median, 1),
      use_only_request_p95_ms: round(figures.p95, 1),
    })
  } finally {
    stop.abort()
    await team.server.stop()
    await sts.close()
  }
}

void main()

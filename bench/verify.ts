// Health figures, end to end through the app's services and a real runner process:
//  - verify_all_200_ms: Verify all of 200 connections (150 AWS against the local SigV4-checking
//    STS, 50 GitHub-style against a loopback API) at the default concurrency, including
//    resolution, the pinned secret, the store and the audit entry of each; median of 3 runs.
//  - verify_p95_ms: the 95th percentile of one verify's time in the runner (SDK and endpoint).
//  - runner_overhead_ms: what the runner adds to an operation, the app-side round trip minus the
//    time the runner spent in the provider: mutual-TLS framing, validation, dispatch; median of
//    300 sequential verifies.
// Uses the built runner (out/main/runner.js, `npm run build`) when present, as the app does.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { memoryLogger } from '../src/main/log'
import { ChildProcessLauncher } from '../src/main/runner-host/process-launcher'
import { MemoryKeyStore } from '../src/main/security/keystore'
import { createServices } from '../src/main/services'
import type { VerifyResult } from '../src/shared/operations'
import { canary } from '../test/fixtures/canary'
import { startSts } from '../test/fixtures/sts'
import { startGitHub } from '../test/fixtures/token-apis'
import { report, round, summarize } from './lib/measure'

const ROOT = resolve(__dirname, '..')
const BUILT = join(ROOT, 'out', 'main', 'runner.js')
const AWS = 150
const GITHUB = 50
const RUNS = 3
const OVERHEAD_SAMPLES = 300

async function main(): Promise<void> {
  const keys = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/bench',
    userId: 'AIDAEXAMPLEBENCH02',
  }
  const sts = await startSts({ identities: [keys] })
  const ghToken = `ghp_${canary.alnum(36)}`
  const github = await startGitHub({ token: ghToken, login: 'bench' })
  const built = existsSync(BUILT)
  const services = createServices({
    dataDir: mkdtempSync(join(tmpdir(), 'bk-bench-verify-')),
    appInfo: { name: 'Bridgekeep', version: 'bench', platform: process.platform, host: 'electron' },
    log: memoryLogger(),
    keyStore: new MemoryKeyStore(),
    env: {},
    runner: {
      launcher: built
        ? new ChildProcessLauncher({ entry: BUILT })
        : new ChildProcessLauncher({
            entry: join(ROOT, 'src', 'runner', 'index.ts'),
            execArgv: ['--import', 'tsx'],
            cwd: ROOT,
          }),
    },
  })
  try {
    await services.vault.create({ mode: 'keychain' })
    const development = services.environments.list().find((e) => e.name === 'development')!
    const ids = services.connections.createMany([
      ...Array.from({ length: AWS }, (_, i) => ({
        name: `aws-${i}`,
        provider: 'aws',
        authMode: 'inline',
        values: {
          access_key_id: keys.accessKeyId,
          secret_access_key: keys.secretAccessKey,
          default_region: 'us-west-2',
          sts_endpoint: sts.url,
        },
      })),
      ...Array.from({ length: GITHUB }, (_, i) => ({
        name: `github-${i}`,
        provider: 'github',
        authMode: 'inline',
        values: { token: ghToken, api_url: `${github.url}/api/v3` },
      })),
    ])
    services.authorizations.applyChanges({
      grants: ids.map((connectionId) => ({ connectionId, environmentId: development.id })),
    })
    await services.runner.ensureReady()

    // Warm-up: SDK modules load in the runner, connections to the endpoints open.
    await services.health.whenFinished(services.health.verifyAll().jobId)
    const walls: number[] = []
    const latencies: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now()
      const final = await services.health.whenFinished(services.health.verifyAll().jobId)
      walls.push(performance.now() - started)
      if (final.healthy !== ids.length)
        throw new Error(`only ${final.healthy} of ${ids.length} verified healthy`)
      for (const health of services.healthStatus.list())
        if (health.latencyMs !== undefined) latencies.push(health.latencyMs)
    }

    // The runner's own share: round trip minus the provider's time, one operation at a time.
    const connection = services.connections.get(ids[0]!)
    const { secrets } = services.connections.storedSecrets(ids[0]!)
    const overheads: number[] = []
    for (let i = 0; i < OVERHEAD_SAMPLES + 20; i++) {
      const started = performance.now()
      const result = (await services.runner.request({
        type: 'verify',
        connectionId: connection.id,
        input: { provider: 'aws', authMode: 'inline', config: connection.config, secrets },
      })) as VerifyResult
      const wall = performance.now() - started
      if (i >= 20) overheads.push(wall - result.latencyMs)
    }
    const wall = summarize(walls)
    report({
      verify_all_200_ms: round(wall.median),
      verify_all_200_runs_ms: walls.map((ms) => round(ms)),
      verify_p95_ms: round(summarize(latencies).p95),
      verify_median_ms: round(summarize(latencies).median),
      runner_overhead_ms: round(summarize(overheads).median),
      runner_overhead_p95_ms: round(summarize(overheads).p95),
      concurrency: 8,
      connections: ids.length,
      runner_entry: built ? 'out/main/runner.js' : 'src/runner/index.ts (tsx)',
    })
  } finally {
    await services.runner.shutdown()
    services.vault.close()
    await sts.close()
    await github.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

// Verify figures in-process, before the runner protocol is wired: a single AWS verify
// against the local SigV4-checking STS, a GitHub-style token verify against a loopback API, 200
// AWS verifies at a concurrency of 8, and the cost of the operation wrapper itself (input
// validation against the catalog, time budget, scrubbing) around a provider that does nothing.
import { performance } from 'node:perf_hooks'
import { awsOperations } from '../src/runner/providers/aws'
import { githubOperations } from '../src/runner/providers/github'
import { defineOperations } from '../src/runner/providers/define-operations'
import type { OperationInput } from '../src/shared/operations'
import { canary } from '../test/fixtures/canary'
import { startSts } from '../test/fixtures/sts'
import { startGitHub } from '../test/fixtures/token-apis'
import { report, round, sample, summarize } from './lib/measure'

async function main(): Promise<void> {
  const keys = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/bench',
    userId: 'AIDAEXAMPLEBENCH01',
  }
  const sts = await startSts({ identities: [keys] })
  const ghToken = `ghp_${canary.alnum(36)}`
  const github = await startGitHub({ token: ghToken, login: 'bench' })
  const aws: OperationInput = {
    provider: 'aws',
    authMode: 'inline',
    config: { default_region: 'us-west-2', sts_endpoint: sts.url },
    secrets: { access_key_id: keys.accessKeyId, secret_access_key: keys.secretAccessKey },
  }
  const gh: OperationInput = {
    provider: 'github',
    authMode: 'inline',
    config: { api_url: `${github.url}/api/v3` },
    secrets: { token: ghToken },
  }
  const check = async (run: Promise<{ status: string }>) => {
    if ((await run).status !== 'healthy') throw new Error('verify failed during the bench')
  }
  try {
    const awsRuns = summarize(await sample(() => check(awsOperations.verify(aws)), 200))
    const ghRuns = summarize(await sample(() => check(githubOperations.verify(gh)), 200))
    const noop = defineOperations('github', {
      verify: async () => ({ identity: { label: 'x', details: {} } }),
    })
    const wrapper = summarize(await sample(() => check(noop.verify(gh)), 500))

    const queue = Array.from({ length: 200 }, () => aws)
    const started = performance.now()
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = queue.pop(); next; next = queue.pop())
          await check(awsOperations.verify(next))
      }),
    )
    const all200 = performance.now() - started

    report({
      aws_verify_median_ms: round(awsRuns.median),
      aws_verify_p95_ms: round(awsRuns.p95),
      github_verify_median_ms: round(ghRuns.median),
      github_verify_p95_ms: round(ghRuns.p95),
      aws_verify_200_concurrency_8_ms: round(all200),
      wrapper_overhead_median_ms: round(wrapper.median),
      wrapper_overhead_p95_ms: round(wrapper.p95),
    })
  } finally {
    await sts.close()
    await github.close()
  }
}

void main()

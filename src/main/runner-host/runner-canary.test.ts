import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunnerEnrollment } from '../../shared/runner-protocol/enrollment'
import {
  fastTimings,
  sourceRunnerLauncher,
  startRunnerByHand,
  waitFor,
  writeEnrollmentFile,
  type RunnerChild,
} from '../../../test/runner'
import { unlockedServices } from '../../../test/services'
import { authFrame, rawClient } from '../../../test/tls-client'
import { auditActions } from '../../shared/audit'

const children: RunnerChild[] = []
const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
  for (const step of cleanup.splice(0)) await step()
})

const canary = (label: string) => `${label}-${randomBytes(16).toString('base64url')}`

describe('the runner never writes a secret anywhere (canaries)', () => {
  it('keeps secrets out of logs, the log file, audit, status, metrics, events and output', async () => {
    const { services, pushes, log, dataDir } = await unlockedServices({
      runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
    })
    const { runner } = services
    cleanup.push(() => runner.shutdown())
    const canaries: string[] = []

    await runner.start()
    await waitFor(() => runner.status().state === 'ready', 'the local runner')

    const file = await runner.generateCredentials({ label: 'canary box' })
    const enrollment = JSON.parse(file.content) as RunnerEnrollment
    canaries.push(enrollment.apiKey, enrollment.privateKey.split('\n')[1]!)
    const byHand = startRunnerByHand(['--credentials', writeEnrollmentFile(file.content)])
    children.push(byHand)
    await waitFor(
      () => runner.runners().find((r) => r.id === file.runnerId)?.connected,
      'the remote runner',
    )

    // Operations carrying secrets, to both runners.
    for (const runnerId of ['local', file.runnerId]) {
      // A well-formed AWS secret key (40 characters), so the operation gets as far as STS.
      const secret = randomBytes(30).toString('base64')
      canaries.push(secret)
      const answer = await runner.request(
        {
          type: 'issue-credentials',
          connectionId: 'c1',
          input: {
            provider: 'aws',
            authMode: 'inline',
            config: { default_region: 'eu-west-1', sts_endpoint: 'http://127.0.0.1:9' },
            secrets: { access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_access_key: secret },
            options: { timeoutMs: 2000, durationSeconds: 900 },
          },
        },
        { runnerId },
      )
      expect(answer).toMatchObject({ status: 'failing', error: { class: 'unreachable' } })
      expect(JSON.stringify(answer)).not.toContain(secret)
    }

    // A bad frame that carries a secret, and a wrong API key.
    const frameSecret = canary('frame-secret')
    const wrongKey = `bkr_${canary('wrong-key')}`
    canaries.push(frameSecret, wrongKey)
    const tlsOptions = {
      ca: enrollment.caCertificate,
      cert: enrollment.certificate,
      key: enrollment.privateKey,
    }
    const endpoint = await runner.ensureListener()
    const bad = rawClient(endpoint, tlsOptions)
    bad.send(authFrame(enrollment))
    await bad.next('welcome')
    bad.send({ type: 'exec', token: frameSecret })
    await bad.closed
    const wrong = rawClient(endpoint, tlsOptions)
    wrong.send(authFrame(enrollment, wrongKey))
    await wrong.closed

    // A crash, a regeneration (which drops the remote runner), a stop.
    process.kill(runner.status().pid!, 'SIGKILL')
    await waitFor(
      () => runner.status().restarts === 1 && runner.status().state === 'ready',
      'the restart',
    )
    const next = await runner.regenerateCredentials()
    canaries.push((JSON.parse(next.content) as RunnerEnrollment).apiKey)
    expect(await byHand.exit).toBe(1)
    await runner.stop()

    // Everything a user or an attacker could read afterwards.
    const logFiles = readdirSync(join(dataDir, 'logs')).map((name) =>
      readFileSync(join(dataDir, 'logs', name), 'utf8'),
    )
    const audit = services.audit.export({ format: 'jsonl' }).content
    const surfaces: Record<string, string> = {
      ring: JSON.stringify(runner.logs({ limit: 1000 })),
      files: logFiles.join('\n'),
      audit,
      status: JSON.stringify(runner.status()),
      metrics: JSON.stringify(runner.metrics()),
      runners: JSON.stringify(runner.runners()),
      events: JSON.stringify(pushes),
      appLog: JSON.stringify(log.lines),
      runnerOutput: byHand.stdout() + byHand.stderr(),
    }
    for (const [where, text] of Object.entries(surfaces)) {
      for (const secret of canaries)
        expect(text.includes(secret), `${where} holds a secret`).toBe(false)
    }

    // ...and the surfaces did record what happened (so the absence above means something).
    const events = runner.logs({ limit: 1000 }).map((line) => line.event)
    expect(events).toEqual(
      expect.arrayContaining([
        'runner.operation',
        'runner.frame-rejected',
        'runner.refused',
        'runner.crashed',
      ]),
    )
    expect(surfaces.files).toContain('runner.frame-rejected')
    const recorded = new Set(
      services.audit.query({ limit: 1000 }).entries.map((entry) => entry.action),
    )
    expect(
      auditActions.filter((action) => action.startsWith('runner.') && !recorded.has(action)),
    ).toEqual([])
  }, 60_000)
})

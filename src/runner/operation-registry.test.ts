import { describe, expect, it } from 'vitest'
import { createRunnerLogger } from './log'
import { OperationError, OperationsRegistry } from './operation-registry'

const context = () => ({
  signal: new AbortController().signal,
  log: createRunnerLogger(() => undefined),
})
const input = (secrets: Record<string, string> = {}) => ({
  provider: 'aws' as const,
  authMode: 'inline' as const,
  config: { region: 'eu-west-1' },
  secrets,
})
const healthy = {
  status: 'healthy' as const,
  latencyMs: 1,
  identity: { label: 'arn:aws:iam::123456789012:user/ci', details: { account: '123456789012' } },
}

describe('the operations registry', () => {
  it('answers ping by itself', async () => {
    const registry = new OperationsRegistry()
    expect(await registry.run({ type: 'ping', payload: 'x' }, context())).toEqual({
      ok: true,
      result: { pong: true, payload: 'x' },
    })
  })

  it('answers UNSUPPORTED_OPERATION for a provider it has no operations for', async () => {
    const registry = new OperationsRegistry()
    const answer = await registry.run(
      { type: 'verify', connectionId: 'c1', input: input() },
      context(),
    )
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'UNSUPPORTED_OPERATION',
        message: 'This runner has no operations for aws connections yet (it supports: none).',
      },
    })
  })

  it('dispatches to the registered provider, and says when it lacks issue-credentials', async () => {
    const registry = new OperationsRegistry()
    const seen: unknown[] = []
    registry.register('aws', {
      verify: async (input) => {
        seen.push(input)
        return healthy
      },
    })
    expect(
      await registry.run(
        { type: 'verify', connectionId: 'c1', input: input({ secretAccessKey: 's3cr3t' }) },
        context(),
      ),
    ).toEqual({ ok: true, result: healthy })
    expect(seen).toEqual([input({ secretAccessKey: 's3cr3t' })])
    const issue = await registry.run(
      { type: 'issue-credentials', connectionId: 'c1', input: input() },
      context(),
    )
    expect(issue).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_OPERATION' } })
    expect(registry.registered()).toEqual(['aws'])
  })

  it('hands read-reference the reference it was sent, or says the provider cannot read one', async () => {
    const registry = new OperationsRegistry()
    const reference = {
      secretKeyRef: { connection: 'k8s', namespace: 'apps', name: 'db', key: 'password' },
    }
    const seen: unknown[] = []
    registry.register('kubernetes', {
      verify: async () => healthy,
      readReference: async (_input, given) => {
        seen.push(given)
        return { status: 'read', value: 'v', latencyMs: 1 }
      },
    })
    registry.register('aws', { verify: async () => healthy })
    const kube = { ...input(), provider: 'kubernetes' as const }
    expect(
      await registry.run(
        { type: 'read-reference', connectionId: 'c1', input: kube, reference },
        context(),
      ),
    ).toEqual({ ok: true, result: { status: 'read', value: 'v', latencyMs: 1 } })
    expect(seen).toEqual([reference])
    expect(
      await registry.run(
        { type: 'read-reference', connectionId: 'c2', input: input(), reference },
        context(),
      ),
    ).toEqual({
      ok: false,
      error: {
        code: 'UNSUPPORTED_OPERATION',
        message: 'This runner cannot read-reference aws connections.',
      },
    })
  })

  it("keeps a provider's own error code, and cuts every secret out of any error message", async () => {
    const registry = new OperationsRegistry()
    const secret = 'wJalrXUtnFEMI-canary-K7MDENG'
    registry.register('aws', {
      verify: async () => {
        throw new OperationError('NOT_AUTHORIZED', 'Access denied.')
      },
      issueCredentials: async (given) => {
        throw new Error(`signature for ${given.secrets.secretAccessKey} does not match`)
      },
    })
    expect(
      await registry.run({ type: 'verify', connectionId: 'c1', input: input() }, context()),
    ).toEqual({
      ok: false,
      error: { code: 'NOT_AUTHORIZED', message: 'Access denied.' },
    })
    const answer = await registry.run(
      { type: 'issue-credentials', connectionId: 'c1', input: input({ secretAccessKey: secret }) },
      context(),
    )
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'OPERATION_FAILED',
        message: 'Error: signature for [redacted] does not match',
      },
    })
  })
})

describe('cancellation on the runner', () => {
  it('aborts the provider and answers RUNNER_CANCELLED (or RUNNER_TIMEOUT)', async () => {
    const registry = new OperationsRegistry()
    let aborted = false
    registry.register('aws', {
      verify: (_input, { signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true
            reject(new Error('aborted'))
          }),
        ),
    })
    for (const [reason, code] of [
      ['cancelled', 'RUNNER_CANCELLED'],
      ['timeout', 'RUNNER_TIMEOUT'],
    ] as const) {
      const controller = new AbortController()
      const answer = registry.run(
        { type: 'verify', connectionId: 'c1', input: input() },
        { signal: controller.signal, log: createRunnerLogger(() => undefined) },
      )
      controller.abort(reason)
      expect(await answer).toMatchObject({ ok: false, error: { code } })
    }
    expect(aborted).toBe(true)
  })
})

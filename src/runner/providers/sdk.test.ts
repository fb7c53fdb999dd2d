import { describe, expect, it } from 'vitest'
import { closedPort } from '../../../test/fixtures/loopback'
import { runNode } from '../../../test/run-node'
import { onFirstUse } from './sdk'

describe('provider SDKs', () => {
  it('are not loaded when the runner registers its providers, and load on first use', async () => {
    const run = runNode('test/fixtures/sdk-load-probe.ts', [String(await closedPort())])
    expect(run.code, run.stderr).toBe(0)
    const probe = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      atImport: string[]
      afterUse: string[]
      classes: Record<string, string>
    }
    expect(probe.atImport).toEqual([])
    // The probe sees each SDK once an operation needs it: it would have seen them at import too.
    expect(probe.afterUse).toEqual([
      '@aws-sdk/client-sts',
      '@azure/identity',
      'google-auth-library',
      'nodemailer',
      'pg',
      'ssh2',
    ])
    // Each operation got as far as its SDK's network call (or, for the example key, its signing).
    expect(probe.classes.aws).toMatch(/^unreachable: .*ECONNREFUSED/)
    expect(probe.classes.azure).toMatch(/^unreachable: .*ECONNREFUSED/)
    expect(probe.classes.postgres).toMatch(/^unreachable: .*ECONNREFUSED/)
    expect(probe.classes.smtp).toMatch(/^unreachable: .*ECONNREFUSED/)
    expect(probe.classes.sftp).toMatch(/^unreachable: .*ECONNREFUSED/)
    expect(probe.classes.gcp).toMatch(/^invalid-config: .*private key/)
  })
})

describe('onFirstUse', () => {
  it('loads once, shares the load, and tries again after a failure', async () => {
    let calls = 0
    const load = onFirstUse(async () => {
      calls++
      if (calls === 1) throw new Error('broken install')
      return { loaded: calls }
    })
    await expect(load()).rejects.toThrow('broken install')
    const [a, b] = await Promise.all([load(), load()])
    expect(a).toBe(b)
    expect(await load()).toEqual({ loaded: 2 })
    expect(calls).toBe(2)
  })
})

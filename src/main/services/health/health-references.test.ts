import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { canary } from '../../../../test/fixtures/canary'
import { fastTimings, sourceRunnerLauncher } from '../../../../test/runner'
import { environmentIds, unlockedServices } from '../../../../test/services'

// Checks of connections whose secrets are references: whose environment the app's own checks
// read, and what the schedule never runs.

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

describe("the app's own checks and secret references", () => {
  it('an env: reference never reads the variables that unlock the vault from the app’s environment', async () => {
    const { services } = await unlockedServices()
    const created = services.connections.create({
      name: 'gl-snoop',
      provider: 'gitlab',
      authMode: 'inline',
      values: {},
      references: { token: { env: { name: 'BRIDGEKEEP_MFA_CODE' } } },
    })
    services.authorizations.applyChanges({
      grants: [{ connectionId: created.id, environmentId: environmentIds(services).staging! }],
    })
    const planted = `glpat-${canary.alnum(24)}`
    process.env.BRIDGEKEEP_MFA_CODE = planted
    try {
      await expect(services.health.verify({ connectionId: created.id })).rejects.toThrow(
        'the variable BRIDGEKEEP_MFA_CODE is not set',
      )
    } finally {
      delete process.env.BRIDGEKEEP_MFA_CODE
    }
  })
})

describe('scheduled checks and command: references', () => {
  it('a scheduled check never runs a command reference; a check someone starts does', async () => {
    const { services } = await unlockedServices({
      runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
    })
    cleanup.push(() => services.runner.shutdown())
    const marker = join(mkdtempSync(join(tmpdir(), 'bk-ran-')), 'ran')
    const program = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); process.stdout.write('glpat-' + 'a'.repeat(24))`
    const created = services.connections.create({
      name: 'gl-command',
      provider: 'gitlab',
      authMode: 'inline',
      values: { api_url: 'http://127.0.0.1:9/api/v4' },
      references: { token: { command: { argv: [process.execPath, '-e', program] } } },
    })
    services.authorizations.applyChanges({
      grants: [{ connectionId: created.id, environmentId: environmentIds(services).staging! }],
    })
    const trail = () => services.audit.query({ limit: 1000 }).entries.length
    const before = trail()
    await expect(
      services.health.verify({ connectionId: created.id }, { scheduled: true }),
    ).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: expect.stringContaining('running a command'),
    })
    expect(existsSync(marker)).toBe(false)
    expect(trail()).toBe(before)
    // Someone asked: the command runs (the API itself is unreachable here, which is a result).
    await services.health.verify({ connectionId: created.id })
    expect(existsSync(marker)).toBe(true)
  })
})

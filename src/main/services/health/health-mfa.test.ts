import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Services } from '..'
import { canary, expectNoSecrets } from '../../../../test/fixtures/canary'
import {
  awsWithMfa,
  startSts,
  totp,
  userWithMfa,
  type StsFixture,
} from '../../../../test/fixtures/sts'
import { fastTimings, sourceRunnerLauncher } from '../../../../test/runner'
import { environmentIds, unlockedServices } from '../../../../test/services'

// A verify started in the app of a role behind MFA, the connection's own or one an ECR registry
// borrows: the app's MFA prompt is asked (answered here as the dialog would), the real runner
// process assumes the role with the code at the loopback STS, which checks it as STS does.
// Unattended checks cannot ask and say so.

const alice = userWithMfa('alice')
const bob = userWithMfa('bob')
const role = {
  arn: 'arn:aws:iam::210987654321:role/needs-mfa',
  externalId: `bk-${canary.alnum(16)}`,
  requireMfa: true,
}

let sts: StsFixture
let services: Services
const asked: unknown[] = []
let reply: (requestId: string) => void = () => {}

function addRole(name: string, user: typeof alice): string {
  const created = services.connections.create(awsWithMfa(name, user, sts.url, role))
  grant(created.id)
  return created.id
}

function grant(connectionId: string): void {
  services.authorizations.applyChanges({
    grants: [{ connectionId, environmentId: environmentIds(services).staging! }],
  })
}

const prompts = () => ({ askMfa: services.mfaPrompts.ask })

beforeAll(async () => {
  sts = await startSts({ identities: [alice, bob], roles: [role] })
  ;({ services } = await unlockedServices({
    runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
  }))
  services.events.connect((channel, payload) => {
    if (channel !== 'mfa:asked') return
    asked.push(payload)
    reply((payload as { requestId: string }).requestId)
  })
})
afterAll(async () => {
  await services?.runner.shutdown()
  await sts?.close()
})

describe('verifying a role behind MFA', () => {
  it('started in the app: the code is asked in the window and the role assumed with it', async () => {
    const id = addRole('alice-role', alice)
    reply = (requestId) => services.mfaPrompts.answer(requestId, totp(alice.mfa!.secret))
    const health = await services.health.verify({ connectionId: id }, prompts())
    expect(health).toMatchObject({
      status: 'healthy',
      identity: {
        label: expect.stringContaining('arn:aws:sts::210987654321:assumed-role/needs-mfa/'),
        details: { source: 'assumed role, with the MFA code' },
      },
    })
    expect(asked).toEqual([
      expect.objectContaining({
        connection: 'alice-role',
        serial: alice.mfa!.serial,
        purpose: 'verify',
      }),
    ])
    expect(sts.calls.filter((call) => call.action === 'AssumeRole')).toHaveLength(1)

    // A scheduled check has nobody to ask: the base key, and the result says why.
    asked.length = 0
    const scheduled = await services.health.verify({ connectionId: id }, { scheduled: true })
    expect(asked).toEqual([])
    expect(scheduled).toMatchObject({
      status: 'healthy',
      identity: { label: alice.arn },
      notes: expect.arrayContaining([expect.stringContaining('this check had nobody to ask')]),
    })
  })

  it('an ECR registry borrowing such a role: the borrowed connection is named and its role assumed', async () => {
    addRole('bob-role', bob)
    const ecr = services.connections.create({
      name: 'registry',
      provider: 'ecr',
      authMode: 'inline',
      values: { region: 'eu-west-1', account_id: '210987654321', aws_connection: 'bob-role' },
    })
    grant(ecr.id)
    asked.length = 0
    reply = (requestId) => services.mfaPrompts.answer(requestId, totp(bob.mfa!.secret))
    const health = await services.health.verify({ connectionId: ecr.id }, prompts())
    expect(asked).toEqual([
      expect.objectContaining({ connection: 'bob-role', serial: bob.mfa!.serial }),
    ])
    expect(health).toMatchObject({
      status: 'healthy',
      identity: {
        label: expect.stringContaining(':assumed-role/needs-mfa/'),
        details: { registry: '210987654321.dkr.ecr.eu-west-1.amazonaws.com' },
      },
    })

    // Dismissed: the verify is refused, audited once, and the last result stays.
    reply = (requestId) => services.mfaPrompts.cancel(requestId)
    await expect(services.health.verify({ connectionId: ecr.id }, prompts())).rejects.toMatchObject(
      { code: 'MFA_CANCELLED' },
    )
    const entries = services.audit
      .query({ filter: { actions: ['connection.verify'] } })
      .entries.filter((entry) => entry.targetName === 'registry')
    expect(entries.map((entry) => entry.outcome)).toEqual(['failure', 'success'])
    expect(services.healthStatus.get(ecr.id)?.status).toBe('healthy')
    expectNoSecrets(
      [JSON.stringify(services.audit.query({}).entries), JSON.stringify(health)],
      [alice.secretAccessKey, bob.secretAccessKey],
    )
  })
})

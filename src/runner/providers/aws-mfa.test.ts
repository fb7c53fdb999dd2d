import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startSts, totp, userWithMfa } from '../../../test/fixtures/sts'
import type { StsFixture, StsIdentity } from '../../../test/fixtures/sts'
import { awsOperations } from './aws'

// GetSessionToken and AssumeRole with the connection's MFA device, against the loopback STS,
// which checks each code as STS does (TOTP, one step either side, each code once).

const alice = userWithMfa('alice')
const bob = userWithMfa('bob')
const carol = userWithMfa('carol')
const guarded = {
  arn: 'arn:aws:iam::210987654321:role/needs-mfa',
  externalId: `bk-${canary.alnum(16)}`,
  requireMfa: true,
}
const secrets = [alice, bob, carol].flatMap((identity) => [
  identity.secretAccessKey,
  identity.mfa!.secret.toString('base64'),
])

let sts: StsFixture
const savedEnv = { ...process.env }

beforeAll(async () => {
  sts = await startSts({ identities: [alice, bob, carol], roles: [guarded] })
  const empty = mkdtempSync(join(tmpdir(), 'bk-aws-mfa-'))
  Object.assign(process.env, {
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  })
})
afterAll(async () => {
  await sts.close()
  process.env = savedEnv
})

function input(
  identity: StsIdentity,
  mode: 'inline' | 'cross-account',
  mfaCode?: string,
  serial = identity.mfa!.serial,
): OperationInput {
  return {
    provider: 'aws',
    authMode: mode,
    config: {
      default_region: 'us-west-2',
      sts_endpoint: sts.url,
      mfa_serial: serial,
      ...(mode === 'cross-account'
        ? { role_arn: guarded.arn, external_id: guarded.externalId }
        : {}),
    },
    secrets: { access_key_id: identity.accessKeyId, secret_access_key: identity.secretAccessKey },
    options: { durationSeconds: 900, ...(mfaCode ? { mfaCode } : {}) },
  }
}

describe('AWS sessions with an MFA device', () => {
  it('GetSessionToken sends the device and code; the same code again is refused, clearly', async () => {
    const code = totp(alice.mfa!.secret)
    const issued = await awsOperations.issueCredentials!(input(alice, 'inline', code))
    expect(issued.status).toBe('issued')
    expect(sts.issued.at(-1)).toMatchObject({ arn: alice.arn, mfaPresent: true })

    const again = await awsOperations.issueCredentials!(input(alice, 'inline', code))
    expect(again.status).toBe('failing')
    if (again.status !== 'failing') return
    expect(again.error.class).toBe('authentication')
    expect(again.error.message).toContain('MFA code rejected')
    expect(again.error.message).toContain(
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    )
    expect(again.error.remedy).toContain("Check the device's clock or wait for the next code")
    expectNoSecrets([issued, again], secrets)
  })

  it('a wrong code, or a code for another device, is rejected the same way', async () => {
    const wrong = String((Number(totp(bob.mfa!.secret)) + 500_000) % 1_000_000).padStart(6, '0')
    const results = [
      await awsOperations.issueCredentials!(input(bob, 'inline', wrong)),
      await awsOperations.issueCredentials!(
        input(bob, 'inline', totp(bob.mfa!.secret), alice.mfa!.serial),
      ),
    ]
    for (const result of results) {
      expect(result.status === 'failing' && result.error.message).toContain('MFA code rejected')
    }
  })

  it('a device without a code is refused before anything is sent', async () => {
    const before = sts.calls.length
    const result = await awsOperations.issueCredentials!(input(bob, 'inline'))
    expect(result.status === 'failing' && result.error.message).toContain(
      'requires an MFA code (device arn:aws:iam::123456789012:mfa/bob)',
    )
    expect(sts.calls.length).toBe(before)
  })

  it('a role whose trust policy requires MFA: refused without, assumed with the code', async () => {
    const noDevice = input(carol, 'cross-account')
    delete noDevice.config.mfa_serial
    const without = await awsOperations.issueCredentials!(noDevice)
    expect(without.status === 'failing' && without.error.class).toBe('permission')

    const assumed = await awsOperations.issueCredentials!(
      input(carol, 'cross-account', totp(carol.mfa!.secret)),
    )
    expect(assumed.status).toBe('issued')
    expect(sts.calls.at(-1)).toEqual({ action: 'AssumeRole', accessKeyId: carol.accessKeyId })
    expect(sts.issued.at(-1)?.arn).toContain(':assumed-role/needs-mfa/')
  })

  it('verify of such a role proves the base key and says the role needs a code', async () => {
    const result = await awsOperations.verify(input(carol, 'cross-account'))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: carol.arn,
        details: { source: 'access key (the role needs an MFA code, so it was not assumed)' },
      },
    })
  })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startSts, totp, userWithMfa } from '../../../test/fixtures/sts'
import type { StsFixture, StsIdentity } from '../../../test/fixtures/sts'
import { awsOperations } from './aws'
import { ecrOperations } from './ecr'
import { s3StateOperations } from './s3-state'

// GetSessionToken and AssumeRole with the connection's MFA device, against the loopback STS,
// which checks each code as STS does (TOTP, one step either side, each code once).

const alice = userWithMfa('alice')
const bob = userWithMfa('bob')
const carol = userWithMfa('carol')
const dave = userWithMfa('dave')
const guarded = {
  arn: 'arn:aws:iam::210987654321:role/needs-mfa',
  externalId: `bk-${canary.alnum(16)}`,
  requireMfa: true,
}
const secrets = [alice, bob, carol, dave].flatMap((identity) => [
  identity.secretAccessKey,
  identity.mfa!.secret.toString('base64'),
])

let sts: StsFixture
const savedEnv = { ...process.env }

beforeAll(async () => {
  sts = await startSts({ identities: [alice, bob, carol, dave], roles: [guarded] })
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
      notes: expect.arrayContaining([expect.stringContaining('this check had nobody to ask')]),
    })
  })

  it('verify given the code (someone typed it in the app) assumes the role with it', async () => {
    // The next step's code: the current one was used above, and STS takes each code once.
    const result = await awsOperations.verify(
      input(carol, 'cross-account', totp(carol.mfa!.secret, Date.now() + 30_000)),
    )
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: expect.stringContaining(':assumed-role/needs-mfa/'),
        details: { account: '210987654321', source: 'assumed role, with the MFA code' },
      },
    })
    expect(sts.calls.at(-2)).toEqual({ action: 'AssumeRole', accessKeyId: carol.accessKeyId })
  })

  it('ECR and the S3 state backend borrowing a role behind MFA: verify and sessions use the code', async () => {
    const borrowing = (provider: 'ecr' | 's3-state', code?: string): OperationInput => {
      const { authMode, config, secrets: keys } = input(dave, 'cross-account')
      return {
        provider,
        authMode: 'inline',
        config:
          provider === 'ecr'
            ? { region: 'eu-west-1', account_id: '210987654321', aws_connection: 'dave-role' }
            : { bucket: 'acme-state', region: 'eu-west-1', aws_connection: 'dave-role' },
        secrets: {},
        linked: { provider: 'aws', authMode, config, secrets: keys },
        ...(code ? { options: { mfaCode: code } } : {}),
      }
    }
    const unattended = await ecrOperations.verify(borrowing('ecr'))
    expect(unattended).toMatchObject({
      status: 'healthy',
      identity: { label: dave.arn },
      notes: expect.arrayContaining([expect.stringContaining('this check had nobody to ask')]),
    })
    const first = totp(dave.mfa!.secret)
    const verified = await s3StateOperations.verify(borrowing('s3-state', first))
    expect(verified).toMatchObject({
      status: 'healthy',
      identity: { label: expect.stringContaining(':assumed-role/needs-mfa/') },
    })
    // Each code works once: the next session waits for the next code (or the one before).
    const next = totp(dave.mfa!.secret, Date.now() + 30_000)
    const issued = await ecrOperations.issueCredentials!(borrowing('ecr', next))
    expect(issued.status).toBe('issued')
    expect(sts.issued.at(-1)?.arn).toContain(':assumed-role/needs-mfa/')
    const without = await s3StateOperations.issueCredentials!(borrowing('s3-state'))
    expect(without.status === 'failing' && without.error.message).toContain(
      'requires an MFA code (device arn:aws:iam::123456789012:mfa/dave)',
    )
    expectNoSecrets([unattended, verified, issued, without], secrets)
  })
})

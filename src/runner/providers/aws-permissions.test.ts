import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { awsCapabilities, getCapability } from '../../shared/aws/capabilities'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startIam, type IamFixture, type IamUser } from '../../../test/fixtures/iam'
import { startSts, type StsFixture, type StsIdentity } from '../../../test/fixtures/sts'
import { awsOperations } from './aws'
import { simulatedPrincipal } from './aws-permissions'

// Verify's permission check against a local IAM that evaluates SimulatePrincipalPolicy from each
// principal's grants and checks SigV4, and a local STS whose role sessions sign those calls.

const actionsOf = (...ids: string[]) =>
  ids.flatMap((id) => {
    const capability = getCapability(id as never)
    return [...capability.read, ...capability.write]
  })
const everyAction = [...new Set(awsCapabilities.flatMap((c) => [...c.read, ...c.write]))]

const key = (arn: string, account: string): StsIdentity => ({
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  account,
  arn,
  userId: `AIDA${canary.alnum(16).toUpperCase()}`,
})
const deployer = key('arn:aws:iam::123456789012:user/deployer', '123456789012')
const viewer = key('arn:aws:iam::123456789012:user/viewer', '123456789012')
const base = key('arn:aws:iam::111122223333:user/bridgekeep', '111122223333')
const role = {
  arn: 'arn:aws:iam::210987654321:role/bridgekeep-deploy',
  externalId: `bk-${canary.alnum(16)}`,
}
const users: IamUser[] = [
  {
    userName: 'deployer',
    account: '123456789012',
    userId: deployer.userId,
    keys: [deployer],
    // Everything EKS needs, and S3's reads only.
    grants: [...actionsOf('eks'), ...getCapability('s3').read],
  },
  // May not use the simulator at all.
  {
    userName: 'viewer',
    account: '123456789012',
    userId: viewer.userId,
    keys: [viewer],
    allowed: ['GetUser'],
  },
  { userName: 'bridgekeep', account: '111122223333', userId: base.userId, keys: [base] },
]

let sts: StsFixture
let iam: IamFixture
const savedEnv = { ...process.env }

beforeAll(async () => {
  const empty = mkdtempSync(join(tmpdir(), 'bk-aws-perm-'))
  Object.assign(process.env, {
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  sts = await startSts({
    identities: [deployer, viewer, base],
    roles: [{ ...role, trusted: [base.arn] }],
  })
  iam = await startIam({
    users,
    sts,
    roles: [{ arn: role.arn, allowed: ['SimulatePrincipalPolicy'], grants: everyAction }],
  })
})
afterAll(async () => {
  await Promise.all([sts.close(), iam.close()])
  process.env = savedEnv
})

function inline(identity: StsIdentity, capabilities: string): OperationInput {
  return {
    provider: 'aws',
    authMode: 'inline',
    config: {
      default_region: 'eu-west-1',
      sts_endpoint: sts.url,
      iam_endpoint: iam.url,
      capabilities,
    },
    secrets: { access_key_id: identity.accessKeyId, secret_access_key: identity.secretAccessKey },
  }
}

const secretsOf = (identities: StsIdentity[]) =>
  identities.flatMap((i) => [i.secretAccessKey, ...(i.sessionToken ? [i.sessionToken] : [])])

describe('aws verify simulates the capabilities’ actions', () => {
  it('warns with the missing actions of each capability and the fix, and stays healthy', async () => {
    const before = iam.calls.length
    const result = await awsOperations.verify(inline(deployer, 'eks,s3'))
    expect(result.status).toBe('healthy')
    expect(result.warnings).toHaveLength(1)
    const warning = result.warnings![0]!
    const missing = getCapability('s3').write
    expect(warning).toContain(`${deployer.arn} is missing ${new Set(missing).size} action`)
    expect(warning).toContain('S3 storage (s3): ')
    expect(warning).toContain([...missing].sort()[0])
    expect(warning).not.toContain('(eks)')
    expect(warning).toMatch(/bridgekeep aws policy <conn>/)
    // Signed by the connection's own key, against its own user.
    expect(iam.calls.slice(before)).toEqual([
      { action: 'SimulatePrincipalPolicy', accessKeyId: deployer.accessKeyId },
    ])
    expectNoSecrets(result, secretsOf([deployer]))
  })

  it('a role that may do everything: no warning, and the identity says what was proved', async () => {
    const input: OperationInput = {
      provider: 'aws',
      authMode: 'cross-account',
      config: {
        default_region: 'eu-west-1',
        sts_endpoint: sts.url,
        iam_endpoint: iam.url,
        role_arn: role.arn,
        external_id: role.externalId,
      },
      secrets: { access_key_id: base.accessKeyId, secret_access_key: base.secretAccessKey },
    }
    const before = iam.calls.length
    const result = await awsOperations.verify(input)
    expect(result.status).toBe('healthy')
    expect(result.warnings).toBeUndefined()
    expect(result.identity?.details.permissions).toBe(
      `all ${everyAction.length} actions of ${awsCapabilities.map((c) => c.id).join(', ')} (IAM policy simulator)`,
    )
    // 312 actions in requests of 100, each signed by the role session STS issued.
    const calls = iam.calls.slice(before)
    expect(calls).toHaveLength(Math.ceil(everyAction.length / 100))
    const session = sts.issued.at(-1)!
    expect(calls.every((call) => call.accessKeyId === session.accessKeyId)).toBe(true)
    expectNoSecrets(result, secretsOf([base, session]))
  })

  it('a simulator the identity may not call is a note, not a failure or a warning', async () => {
    const result = await awsOperations.verify(inline(viewer, 'eks'))
    expect(result.status).toBe('healthy')
    expect(result.warnings).toBeUndefined()
    expect(result.notes).toEqual([
      `Permissions were not simulated: the identity may not call iam:SimulatePrincipalPolicy on ${viewer.arn}. Allow it on itself for health checks to compare its permissions with its capabilities.`,
    ])
  })

  it('an STS endpoint without an IAM endpoint: IAM is not guessed, and nothing is sent', async () => {
    const input = inline(deployer, 'eks')
    delete (input.config as Record<string, string>).iam_endpoint
    const before = iam.calls.length
    const result = await awsOperations.verify(input)
    expect(result.status).toBe('healthy')
    expect(result.notes?.[0]).toMatch(/no IAM endpoint/)
    expect(iam.calls.length).toBe(before)
  })

  it('an IAM endpoint that does not answer costs a note, within the verify budget', async () => {
    const input = inline(deployer, 'eks')
    ;(input.config as Record<string, string>).iam_endpoint = 'http://127.0.0.1:9'
    const result = await awsOperations.verify(input)
    expect(result.status).toBe('healthy')
    expect(result.notes?.[0]).toMatch(
      /^Permissions were not simulated: IAM's policy simulator did not answer/,
    )
  })
})

describe('the principal simulated', () => {
  it('is the user, the assumed role (with the stored ARN’s path when known), or none', () => {
    expect(simulatedPrincipal('arn:aws:iam::123456789012:user/ops/ci')).toBe(
      'arn:aws:iam::123456789012:user/ops/ci',
    )
    expect(simulatedPrincipal('arn:aws-us-gov:sts::123456789012:assumed-role/Deploy/s')).toBe(
      'arn:aws-us-gov:iam::123456789012:role/Deploy',
    )
    expect(
      simulatedPrincipal(
        'arn:aws:sts::123456789012:assumed-role/Deploy/s',
        'arn:aws:iam::123456789012:role/team/Deploy',
      ),
    ).toBe('arn:aws:iam::123456789012:role/team/Deploy')
    expect(simulatedPrincipal('arn:aws:iam::123456789012:root')).toBeUndefined()
  })
})

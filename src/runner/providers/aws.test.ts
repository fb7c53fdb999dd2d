import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { blackHole, closedPort } from '../../../test/fixtures/loopback'
import { startSts } from '../../../test/fixtures/sts'
import type { StsFixture, StsIdentity } from '../../../test/fixtures/sts'
import { createTestCa } from '../../../test/fixtures/test-ca'
import { awsOperations } from './aws'

const user: StsIdentity = {
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  account: '123456789012',
  arn: 'arn:aws:iam::123456789012:user/deployer',
  userId: 'AIDAEXAMPLEUSERID0001',
}
const runner: StsIdentity = {
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  account: '111122223333',
  arn: 'arn:aws:iam::111122223333:role/runner-instance',
  userId: 'AROAEXAMPLERUNNER0001',
}
const expiredSession: StsIdentity = {
  accessKeyId: `ASIA${canary.awsKeyId().slice(4)}`,
  secretAccessKey: canary.awsSecret(),
  sessionToken: Buffer.from(canary.alnum(200)).toString('base64'),
  expiration: new Date(Date.now() - 60_000),
  account: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/old/session',
  userId: 'AROAEXAMPLEOLD0001:session',
}
const role = {
  arn: 'arn:aws:iam::210987654321:role/bridgekeep-deploy',
  externalId: `bk-${canary.alnum(16)}`,
}
const allSecrets = [user, runner, expiredSession].flatMap((identity) => [
  identity.accessKeyId,
  identity.secretAccessKey,
  ...(identity.sessionToken ? [identity.sessionToken] : []),
])

let sts: StsFixture
const savedEnv = { ...process.env }

function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values))
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
}

beforeAll(async () => {
  sts = await startSts({
    identities: [user, runner, expiredSession],
    roles: [{ ...role, trusted: [user.arn, runner.arn] }],
  })
  // Hermetic: no shared files of this machine, no instance metadata, no ambient keys.
  const empty = mkdtempSync(join(tmpdir(), 'bk-aws-'))
  setEnv({
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL_STS: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  })
})
afterAll(async () => {
  await sts.close()
  process.env = savedEnv
})
const runnerEnv = () =>
  setEnv({ AWS_ACCESS_KEY_ID: runner.accessKeyId, AWS_SECRET_ACCESS_KEY: runner.secretAccessKey })
afterEach(() =>
  setEnv({
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_ENDPOINT_URL_STS: undefined,
  }),
)

function inline(
  keys: Pick<StsIdentity, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>,
  config: Record<string, string> = {},
): OperationInput {
  return {
    provider: 'aws',
    authMode: 'inline',
    config: { default_region: 'us-west-2', sts_endpoint: sts.url, ...config },
    secrets: {
      access_key_id: keys.accessKeyId,
      secret_access_key: keys.secretAccessKey,
      ...(keys.sessionToken ? { session_token: keys.sessionToken } : {}),
    },
  }
}

function crossAccount(base?: StsIdentity, externalId = role.externalId): OperationInput {
  return {
    provider: 'aws',
    authMode: 'cross-account',
    config: {
      default_region: 'us-west-2',
      sts_endpoint: sts.url,
      role_arn: role.arn,
      external_id: externalId,
    },
    secrets: base
      ? { access_key_id: base.accessKeyId, secret_access_key: base.secretAccessKey }
      : {},
  }
}

describe('aws verify, inline keys', () => {
  it('proves the key with GetCallerIdentity and names the identity', async () => {
    const result = await awsOperations.verify(inline(user, { account_id: '123456789012' }))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: {
        label: user.arn,
        details: { account: '123456789012', arn: user.arn, source: 'access key' },
      },
    })
    expect(result.latencyMs).toBeGreaterThan(0)
    expect(sts.calls.at(-1)).toEqual({ action: 'GetCallerIdentity', accessKeyId: user.accessKeyId })
    expectNoSecrets(result, allSecrets)
  })

  it('a wrong secret is "Authentication failed" with a remedy, and the echoed key is scrubbed', async () => {
    const result = await awsOperations.verify(
      inline({ ...user, secretAccessKey: canary.awsSecret() }),
    )
    expect(result.status).toBe('failing')
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toMatch(
      /^Authentication failed: AWS rejected the access key \(SignatureDoesNotMatch/,
    )
    expect(result.error?.message).toContain('[redacted]')
    expect(result.error?.remedy).toMatch(/access key/)
    expectNoSecrets(result, allSecrets)
  })

  it('an unknown key is "Authentication failed"', async () => {
    const stranger = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
    const result = await awsOperations.verify(inline(stranger))
    expect(result.error).toMatchObject({ class: 'authentication' })
    expect(result.error?.message).toContain('InvalidClientTokenId')
    expectNoSecrets(result, [stranger.accessKeyId, stranger.secretAccessKey])
  })

  it('AccessDenied for a bad signature is authentication too', async () => {
    const strict = await startSts({ identities: [user], badSignatureCode: 'AccessDenied' })
    try {
      const input = inline(
        { ...user, secretAccessKey: canary.awsSecret() },
        { sts_endpoint: strict.url },
      )
      const result = await awsOperations.verify(input)
      expect(result.error?.class).toBe('authentication')
      expect(result.error?.message).toContain('AccessDenied')
    } finally {
      await strict.close()
    }
  })

  it('credentials of another account are the wrong target, with the identity proven', async () => {
    const result = await awsOperations.verify(inline(user, { account_id: '999988887777' }))
    expect(result.status).toBe('failing')
    expect(result.error?.class).toBe('wrong-target')
    expect(result.error?.message).toBe(
      'Wrong target: the credentials belong to account 123456789012, not 999988887777.',
    )
    expect(result.identity?.label).toBe(user.arn)
  })

  it('an expired session token is "expired"', async () => {
    const result = await awsOperations.verify(inline(expiredSession))
    expect(result.error?.class).toBe('expired')
    expect(result.error?.message).toMatch(/^Credentials expired: /)
    expectNoSecrets(result, allSecrets)
  })

  it('an unreachable endpoint fails fast', async () => {
    const port = await closedPort()
    const started = Date.now()
    const result = await awsOperations.verify(
      inline(user, { sts_endpoint: `http://127.0.0.1:${port}` }),
    )
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result.error?.class).toBe('unreachable')
    expect(result.error?.message).toMatch(/^Endpoint unreachable: .*ECONNREFUSED/)
  })

  it('an endpoint that never answers is unreachable within the timeout', async () => {
    const hole = await blackHole()
    try {
      const started = Date.now()
      const input = { ...inline(user, { sts_endpoint: hole.url }), options: { timeoutMs: 400 } }
      const result = await awsOperations.verify(input)
      expect(Date.now() - started).toBeLessThan(1_500)
      expect(result.error?.class).toBe('unreachable')
    } finally {
      await hole.close()
    }
  })

  it('an https endpoint is trusted through the connection CA certificate only', async () => {
    const ca = await createTestCa()
    const secure = await startSts({ identities: [user], tls: await ca.server() })
    try {
      const trusted = await awsOperations.verify(
        inline(user, { sts_endpoint: secure.url, ca_certificate: ca.cert }),
      )
      expect(trusted.status).toBe('healthy')
      const untrusted = await awsOperations.verify(inline(user, { sts_endpoint: secure.url }))
      expect(untrusted.error?.class).toBe('untrusted-certificate')
      expect(untrusted.error?.remedy).toMatch(/CA certificate/)
    } finally {
      await secure.close()
    }
  })

  it('refuses a malformed request and values the catalog would refuse', async () => {
    const malformed = await awsOperations.verify({ provider: 'aws', secrets: {} })
    expect(malformed.error?.class).toBe('invalid-config')
    const badRegion = await awsOperations.verify(inline(user, { default_region: 'mars-north-1' }))
    expect(badRegion.error).toMatchObject({ class: 'invalid-config' })
    expect(badRegion.error?.message).toMatch(/^Invalid configuration: Default region: /)
    const wrongProvider = await awsOperations.verify({ ...inline(user), provider: 'gcp' })
    expect(wrongProvider.error?.class).toBe('invalid-config')
  })
})

describe('aws verify, cross-account', () => {
  it('assumes the role from the base keys, then proves the assumed identity', async () => {
    const result = await awsOperations.verify(crossAccount(user))
    expect(result.status).toBe('healthy')
    expect(result.identity?.label).toBe(
      'arn:aws:sts::210987654321:assumed-role/bridgekeep-deploy/bridgekeep',
    )
    expect(result.identity?.details).toMatchObject({ account: '210987654321', role: role.arn })
    expect(sts.calls.slice(-2).map((call) => call.action)).toEqual([
      'AssumeRole',
      'GetCallerIdentity',
    ])
    expectNoSecrets(result, [
      ...allSecrets,
      ...sts.issued.flatMap((i) => [i.secretAccessKey, i.sessionToken!]),
    ])
  })

  it('a wrong external ID is "Permission denied" naming the trust policy', async () => {
    const result = await awsOperations.verify(crossAccount(user, 'bk-not-the-right-one'))
    expect(result.error?.class).toBe('permission')
    expect(result.error?.message).toMatch(/^Permission denied: the role could not be assumed/)
    expect(result.error?.remedy).toMatch(/External ID/)
  })

  it("assumes the role from the runner's own identity when no base keys are stored", async () => {
    runnerEnv()
    const result = await awsOperations.verify(crossAccount())
    expect(result.status).toBe('healthy')
    expect(sts.calls.at(-2)).toEqual({ action: 'AssumeRole', accessKeyId: runner.accessKeyId })
  })
})

describe('aws verify, runner-delegated', () => {
  const delegated = (config: Record<string, string> = {}): OperationInput => ({
    provider: 'aws',
    authMode: 'runner-delegated',
    config: { default_region: 'eu-central-1', ...config },
    secrets: {},
  })

  it('uses the default provider chain and the standard endpoint variable', async () => {
    runnerEnv()
    setEnv({ AWS_ENDPOINT_URL_STS: sts.url })
    const result = await awsOperations.verify(delegated())
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: runner.arn, details: { source: "runner's identity" } },
    })
  })

  it('a runner without an AWS identity fails with a remedy', async () => {
    const result = await awsOperations.verify(delegated({ sts_endpoint: sts.url }))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toMatch(/runner has no AWS identity/)
  })
})

describe('aws issue-credentials', () => {
  it('issues a session token from inline keys, and the session works', async () => {
    const issued = await awsOperations.issueCredentials!({
      ...inline(user),
      options: { durationSeconds: 900 },
    })
    expect(issued.status).toBe('issued')
    if (issued.status !== 'issued' || issued.credentials.kind !== 'aws-session')
      throw new Error('not issued')
    const { accessKeyId, secretAccessKey, sessionToken, expiration } = issued.credentials
    expect(accessKeyId).toMatch(/^ASIA/)
    expect(Date.parse(expiration) - Date.now()).toBeGreaterThan(800_000)
    const check = await awsOperations.verify(inline({ accessKeyId, secretAccessKey, sessionToken }))
    expect(check.identity?.label).toBe(user.arn)
    expectNoSecrets(issued, [user.secretAccessKey])
  })

  it('issues the assumed role credentials in cross-account mode', async () => {
    const issued = await awsOperations.issueCredentials!(crossAccount(user))
    expect(issued.status).toBe('issued')
    if (issued.status !== 'issued' || issued.credentials.kind !== 'aws-session')
      throw new Error('not issued')
    expect(sts.issued.at(-1)?.accessKeyId).toBe(issued.credentials.accessKeyId)
  })

  it("issues a session from the runner's own long-term keys", async () => {
    runnerEnv()
    const issued = await awsOperations.issueCredentials!({
      provider: 'aws',
      authMode: 'runner-delegated',
      config: { default_region: 'us-east-1', sts_endpoint: sts.url },
      secrets: {},
    })
    expect(issued.status).toBe('issued')
    expect(sts.calls.at(-1)).toEqual({ action: 'GetSessionToken', accessKeyId: runner.accessKeyId })
  })

  it('temporary keys cannot issue further sessions: unsupported, and nothing leaks', async () => {
    const session = sts.issued.find((identity) => identity.arn === user.arn)!
    const issued = await awsOperations.issueCredentials!(inline(session))
    expect(issued.status).toBe('failing')
    if (issued.status !== 'failing') return
    expect(issued.error.class).toBe('unsupported')
    expectNoSecrets(issued, [session.secretAccessKey, session.sessionToken!])
  })

  it('a wrong key is an authentication failure, scrubbed', async () => {
    const issued = await awsOperations.issueCredentials!(
      inline({ ...user, secretAccessKey: canary.awsSecret() }),
    )
    expect(issued.status === 'failing' && issued.error.class).toBe('authentication')
    expectNoSecrets(issued, allSecrets)
  })
})

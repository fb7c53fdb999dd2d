import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startFederation, type FederationFixture } from '../../../test/fixtures/federation'
import { startSts, type StsFixture, type StsIdentity } from '../../../test/fixtures/sts'
import { awsOperations } from './aws'
import { consolePolicy } from './aws-console'

// Console sign-in against a loopback STS (SigV4, GetFederationToken refusing session keys,
// AssumeRole with the external ID) and a loopback federation endpoint that hands out sign-in
// tokens only for credentials that STS issued.

const user: StsIdentity = {
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  account: '123456789012',
  arn: 'arn:aws:iam::123456789012:user/deployer',
  userId: 'AIDAEXAMPLEUSER000031',
}
const role = {
  arn: 'arn:aws:iam::210987654321:role/bridgekeep-access',
  externalId: `bk-${canary.alnum(16)}`,
}
let sts: StsFixture
let federation: FederationFixture
const savedEnv = { ...process.env }

beforeAll(async () => {
  const empty = mkdtempSync(join(tmpdir(), 'bk-aws-console-'))
  sts = await startSts({ identities: [user], roles: [{ ...role, trusted: [user.arn] }] })
  federation = await startFederation(sts)
  Object.assign(process.env, {
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    BRIDGEKEEP_AWS_FEDERATION_ENDPOINT: `${federation.url}/federation`,
  })
})
afterAll(async () => {
  await Promise.all([federation.close(), sts.close()])
  process.env = savedEnv
})

const input = (config: Record<string, string>, secrets = user): OperationInput => ({
  provider: 'aws',
  authMode: config.role_arn ? 'cross-account' : 'inline',
  config: { default_region: 'eu-west-1', sts_endpoint: sts.url, ...config },
  secrets: {
    access_key_id: secrets.accessKeyId,
    secret_access_key: secrets.secretAccessKey,
    ...(secrets.sessionToken ? { session_token: secrets.sessionToken } : {}),
  },
})

describe('aws console sign-in', () => {
  it('a user: a federation token limited to the capabilities, then a login link that works', async () => {
    const result = await awsOperations.consoleSignIn!(input({ capabilities: 'eks,s3' }))
    expect(result.status).toBe('signed-in')
    if (result.status !== 'signed-in') return
    expect(result.principal).toBe('arn:aws:sts::123456789012:federated-user/bridgekeep')
    expect(JSON.parse(sts.federationPolicies.at(-1)!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: expect.arrayContaining(['eks:*', 's3:*']), Resource: '*' },
      ],
    })
    // A federated user's console session lasts as its token does: no SessionDuration.
    const token = federation.tokens.at(-1)!
    expect(token.sessionDuration).toBeUndefined()
    expect(token.accessKeyId).toBe(sts.issued.at(-1)!.accessKeyId)
    const url = new URL(result.url)
    expect(url.searchParams.get('Action')).toBe('login')
    expect(url.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/')
    expect(url.searchParams.get('SigninToken')).toBe(token.signinToken)
    expect(Date.parse(result.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000)
    const page = await fetch(result.url)
    expect(page.status).toBe(200)
    expect(federation.logins.at(-1)).toEqual({
      destination: 'https://console.aws.amazon.com/',
      issuer: 'Bridgekeep',
    })
    // The link carries only the token: never the stored or the issued keys.
    const issued = sts.issued.at(-1)!
    expectNoSecrets(result, [user.secretAccessKey, issued.secretAccessKey, issued.sessionToken!])
  })

  it('cross-account: the role session signs in, for one hour', async () => {
    const result = await awsOperations.consoleSignIn!(
      input({ role_arn: role.arn, external_id: role.externalId }),
    )
    expect(result).toMatchObject({ status: 'signed-in', principal: role.arn })
    expect(sts.calls.at(-1)?.action).toBe('AssumeRole')
    expect(federation.tokens.at(-1)?.sessionDuration).toBe('3600')
  })

  it('temporary keys cannot get a federation token: said before asking AWS', async () => {
    const session = sts.issued.at(-1)!
    const before = sts.calls.length
    const result = await awsOperations.consoleSignIn!(input({}, session))
    expect(result.status).toBe('failing')
    if (result.status !== 'failing') return
    expect(result.error.class).toBe('unsupported')
    expect(result.error.message).toMatch(/temporary keys/)
    expect(sts.calls.length).toBe(before)
    expectNoSecrets(result, [session.secretAccessKey, session.sessionToken!])
  })

  it('credentials the federation endpoint does not accept: a refusal that quotes nothing', async () => {
    const other = await startSts({ identities: [user] })
    try {
      const result = await awsOperations.consoleSignIn!(input({ sts_endpoint: other.url }))
      expect(result.status).toBe('failing')
      if (result.status !== 'failing') return
      expect(result.error.message).toBe(
        'Authentication failed: the AWS federation endpoint refused the session (HTTP 400).',
      )
    } finally {
      await other.close()
    }
  })

  it('the session policy fits GetFederationToken’s limit with every capability', () => {
    expect(consolePolicy(undefined).length).toBeLessThan(2048)
  })
})

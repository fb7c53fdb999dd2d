import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { serviceAccount, startGoogleToken } from '../../../test/fixtures/google'
import type { GoogleTokenFixture } from '../../../test/fixtures/google'
import { closedPort } from '../../../test/fixtures/loopback'
import { startRegistry } from '../../../test/fixtures/registry'
import type { RegistryFixture } from '../../../test/fixtures/registry'
import { startSts } from '../../../test/fixtures/sts'
import type { StsFixture, StsIdentity } from '../../../test/fixtures/sts'
import { createTestCa } from '../../../test/fixtures/test-ca'
import type { TestCa } from '../../../test/fixtures/test-ca'
import { dockerhubOperations } from './dockerhub'
import { ecrOperations } from './ecr'
import { garOperations } from './gar'
import { parseChallenge } from './registry-login'

const dockerToken = `dckr_pat_${canary.alnum(27)}`
const account = serviceAccount()
let ca: TestCa
let registry: RegistryFixture
let google: GoogleTokenFixture

beforeAll(async () => {
  ca = await createTestCa()
  google = await startGoogleToken({ accounts: [account] })
  registry = await startRegistry({
    tls: await ca.server(),
    accepts: (user, password) =>
      (user === 'acmeci' && password === dockerToken) ||
      (user === 'oauth2accesstoken' && google.issued.has(password)),
  })
})
afterAll(async () => {
  await registry.close()
  await google.close()
})

const hub = (
  token: string,
  host = registry.host,
  config: Record<string, string> = {},
): OperationInput => ({
  provider: 'dockerhub',
  authMode: 'inline',
  config: { username: 'acmeci', registry: host, ca_certificate: ca.cert, ...config },
  secrets: { access_token: token },
})

describe('registry challenge parsing', () => {
  it('reads Bearer and Basic challenges', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:a/b:pull',
      },
    })
    expect(parseChallenge('Basic realm="Registry Realm"')?.scheme).toBe('basic')
    expect(parseChallenge(undefined)).toBeUndefined()
  })
})

describe('dockerhub verify (registry v2 handshake)', () => {
  it('logs in through the token service', async () => {
    const result = await dockerhubOperations.verify(hub(dockerToken))
    expect(result).toMatchObject({ status: 'healthy', identity: { label: 'acmeci' } })
    expect(registry.paths.slice(-3)).toEqual(['/v2/', '/token', '/v2/'])
    expectNoSecrets(result, [dockerToken])
  })

  it('a wrong token is "Authentication failed"', async () => {
    const wrong = `dckr_pat_${canary.alnum(27)}`
    const result = await dockerhubOperations.verify(hub(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('incorrect username or password')
    expectNoSecrets(result, [dockerToken, wrong])
  })

  it('Basic-auth registries and anonymous ones (with a note)', async () => {
    const basic = await startRegistry({
      tls: await ca.server(),
      scheme: 'basic',
      accepts: (u, p) => u === 'acmeci' && p === dockerToken,
    })
    const open = await startRegistry({
      tls: await ca.server(),
      anonymous: true,
      accepts: () => false,
    })
    try {
      expect((await dockerhubOperations.verify(hub(dockerToken, basic.host))).status).toBe(
        'healthy',
      )
      expect(
        (await dockerhubOperations.verify(hub(`dckr_pat_${canary.alnum(27)}`, basic.host))).error
          ?.class,
      ).toBe('authentication')
      const anonymous = await dockerhubOperations.verify(hub(dockerToken, open.host))
      expect(anonymous.notes?.[0]).toMatch(/anonymous requests/)
    } finally {
      await basic.close()
      await open.close()
    }
  })

  it('needs the CA, and fails fast when unreachable', async () => {
    expect(
      (await dockerhubOperations.verify(hub(dockerToken, registry.host, { ca_certificate: '' })))
        .error?.class,
    ).toBe('untrusted-certificate')
    const result = await dockerhubOperations.verify(
      hub(dockerToken, `127.0.0.1:${await closedPort()}`),
    )
    expect(result.error?.class).toBe('unreachable')
  })
})

describe('gar verify', () => {
  const gar = (keyFile: string, registryUrl = registry.url): OperationInput => ({
    provider: 'gar',
    authMode: 'inline',
    config: {
      host: 'europe-west1-docker.pkg.dev',
      registry_url: registryUrl,
      token_endpoint: google.tokenUrl,
      ca_certificate: ca.cert,
    },
    secrets: { service_account_key: keyFile },
  })

  it('logs in with a Google access token as oauth2accesstoken', async () => {
    const result = await garOperations.verify(gar(account.keyFile))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: account.email, details: { registry: 'europe-west1-docker.pkg.dev' } },
    })
    expectNoSecrets(result, account.secretLines)
  })

  it('a key Google rejects is "Authentication failed"', async () => {
    const result = await garOperations.verify(gar(serviceAccount().keyFile))
    expect(result.error?.class).toBe('authentication')
  })

  it('issues the access token', async () => {
    const issued = await garOperations.issueCredentials!(gar(account.keyFile))
    expect(issued.status === 'issued' && issued.credentials.kind).toBe('gcp-access-token')
  })
})

describe('ecr verify', () => {
  const keys: StsIdentity = {
    accessKeyId: canary.awsKeyId(),
    secretAccessKey: canary.awsSecret(),
    account: '123456789012',
    arn: 'arn:aws:iam::123456789012:user/ci',
    userId: 'AIDAEXAMPLECI0001',
  }
  let sts: StsFixture
  beforeAll(async () => {
    sts = await startSts({ identities: [keys] })
  })
  afterAll(() => sts.close())

  const ownKeys = (secret = keys.secretAccessKey): OperationInput => ({
    provider: 'ecr',
    authMode: 'inline',
    config: { region: 'eu-west-1', account_id: '210987654321', sts_endpoint: sts.url },
    secrets: { access_key_id: keys.accessKeyId, secret_access_key: secret },
  })

  it('proves its own keys through STS, and says what was not checked', async () => {
    const result = await ecrOperations.verify(ownKeys())
    expect(result.status).toBe('healthy')
    expect(result.identity?.details.registry).toBe('210987654321.dkr.ecr.eu-west-1.amazonaws.com')
    expect(result.notes?.join(' ')).toMatch(
      /registry login itself was not checked.*account 123456789012, the registry to 210987654321/,
    )
    const bad = await ecrOperations.verify(ownKeys(canary.awsSecret()))
    expect(bad.error?.class).toBe('authentication')
    expectNoSecrets([result, bad], [keys.secretAccessKey, keys.accessKeyId])
  })

  it('borrows a linked AWS connection', async () => {
    const linked = {
      provider: 'aws' as const,
      authMode: 'inline' as const,
      config: { default_region: 'eu-west-1', sts_endpoint: sts.url },
      secrets: { access_key_id: keys.accessKeyId, secret_access_key: keys.secretAccessKey },
    }
    const input: OperationInput = {
      provider: 'ecr',
      authMode: 'inline',
      config: { region: 'eu-west-1', account_id: '123456789012', aws_connection: 'prod-aws' },
      secrets: {},
      linked,
    }
    const result = await ecrOperations.verify(input)
    expect(result.identity?.label).toBe(keys.arn)
    const missing = await ecrOperations.verify({ ...input, linked: undefined })
    expect(missing.error?.class).toBe('invalid-config')
    const issued = await ecrOperations.issueCredentials!(input)
    expect(issued.status === 'issued' && issued.credentials.kind).toBe('aws-session')
  })
})

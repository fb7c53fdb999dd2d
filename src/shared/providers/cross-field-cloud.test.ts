// Cross-field rules of the cloud providers and the registries that sign in with cloud keys.
import { describe, expect, it } from 'vitest'
import { getProvider } from './index'
import { secrets, serviceAccountKey } from '../../../test/fixtures/provider-values'
import { base, issues, validate } from '../../../test/fixtures/cross-field'

describe('AWS auth modes', () => {
  const crossAccount = base('aws cross-account')

  it('cross-account: base keys are optional, but both or neither', () => {
    expect(validate('aws', 'cross-account', crossAccount).ok).toBe(true)
    const onlyId = validate('aws', 'cross-account', {
      ...crossAccount,
      access_key_id: secrets.accessKeyId,
    })
    expect(issues(onlyId)).toEqual({
      secret_access_key: expect.stringMatching(
        /^Secret access key: required when the other base key is given/,
      ),
    })
    const onlySecret = validate('aws', 'cross-account', {
      ...crossAccount,
      secret_access_key: secrets.secretAccessKey,
    })
    expect(Object.keys(issues(onlySecret))).toEqual(['access_key_id'])
  })

  it('cross-account needs a role ARN and external ID', () => {
    const result = validate('aws', 'cross-account', { default_region: 'us-west-2' })
    expect(Object.keys(issues(result))).toEqual(['role_arn', 'external_id'])
  })

  it('cross-account: the role partition matches the region, the account matches the role', () => {
    const gov = validate('aws', 'cross-account', {
      ...crossAccount,
      default_region: 'us-gov-east-1',
    })
    expect(issues(gov).role_arn).toMatch(
      /partition "aws" but the default region us-gov-east-1 is in "aws-us-gov"/,
    )
    const account = validate('aws', 'cross-account', {
      ...crossAccount,
      account_id: '123456789012',
    })
    expect(issues(account).account_id).toMatch(/does not match the role ARN's account 210987654321/)
  })

  it('an MFA device: its ARN or a hardware serial; not with temporary keys, not a user ARN', () => {
    const inline = base('aws inline')
    for (const serial of ['arn:aws:iam::123456789012:mfa/alice', 'GAHT12345678'])
      expect(validate('aws', 'inline', { ...inline, mfa_serial: serial }).ok).toBe(true)
    expect(
      validate('aws', 'cross-account', {
        ...crossAccount,
        mfa_serial: 'arn:aws:iam::123456789012:mfa/ci/alice',
      }).ok,
    ).toBe(true)
    const user = validate('aws', 'inline', {
      ...inline,
      mfa_serial: 'arn:aws:iam::123456789012:user/alice',
    })
    expect(issues(user).mfa_serial).toMatch(/is a user or role ARN, not an MFA device's/)
    const temporary = validate('aws', 'inline', {
      ...base('aws inline temporary'),
      mfa_serial: 'GAHT12345678',
    })
    expect(issues(temporary).mfa_serial).toMatch(
      /temporary keys \(with a session token\) cannot start an MFA session/,
    )
  })

  it('runner-delegated needs only a region', () => {
    expect(validate('aws', 'runner-delegated', { default_region: 'ap-southeast-2' }).ok).toBe(true)
  })

  it('temporary keys need their session token; long-term keys must not have one', () => {
    const temporary = base('aws inline temporary')
    delete temporary.session_token
    expect(Object.keys(issues(validate('aws', 'inline', temporary)))).toEqual(['session_token'])
    const longTerm = { ...base('aws inline'), session_token: secrets.sessionToken }
    expect(issues(validate('aws', 'inline', longTerm)).session_token).toMatch(/only temporary keys/)
    const tokenOnly = { ...crossAccount, session_token: secrets.sessionToken }
    expect(Object.keys(issues(validate('aws', 'cross-account', tokenOnly)))).toEqual([
      'access_key_id',
      'secret_access_key',
    ])
  })

  it('editing: kept keys satisfy inline and do not trigger the pair rule', () => {
    expect(validate('aws', 'inline', { default_region: 'us-west-2' }, true).ok).toBe(true)
    expect(validate('aws', 'cross-account', crossAccount, true).ok).toBe(true)
    const rotateSecret = { ...crossAccount, secret_access_key: secrets.secretAccessKey }
    expect(validate('aws', 'cross-account', rotateSecret, true).ok).toBe(true)
  })
})

describe('GCP modes', () => {
  it('inline needs the key, runner-delegated the project', () => {
    expect(Object.keys(issues(validate('gcp', 'inline', {})))).toEqual(['service_account_key'])
    expect(Object.keys(issues(validate('gcp', 'runner-delegated', {})))).toEqual(['project_id'])
  })

  it('takes the project from the key when Project ID is empty, and asks for it when the key has none', () => {
    const withProject = serviceAccountKey()
    expect(validate('gcp', 'inline', { service_account_key: withProject }).ok).toBe(true)
    const withoutProject = serviceAccountKey({ project_id: undefined })
    expect(issues(validate('gcp', 'inline', { service_account_key: withoutProject }))).toEqual({
      project_id:
        "Project ID: required, because the service account key has no project_id. Enter the project ID from the console's project picker (its ID column), e.g. acme-platform-prod.",
    })
    const given = { service_account_key: withoutProject, project_id: 'acme-platform-prod' }
    expect(validate('gcp', 'inline', given).ok).toBe(true)
    // Editing with the key kept: its content is unknown here, so nothing is asked.
    expect(validate('gcp', 'inline', {}, true).ok).toBe(true)
    expect(getProvider('gcp')!.derive!({}, { service_account_key: withProject })).toEqual({
      project_id: 'acme-platform-prod',
    })
    expect(
      getProvider('gcp')!.derive!(
        { project_id: 'acme-given' },
        { service_account_key: withProject },
      ),
    ).toEqual({})
    expect(getProvider('gcp')!.derive!({}, { service_account_key: withoutProject })).toEqual({})
  })
})

describe('Cloudflare: token or global key', () => {
  const token = base('cloudflare token')
  const key = base('cloudflare global key with r2')

  it('rejects both methods at once, and neither', () => {
    const both = validate('cloudflare', 'inline', { ...key, api_token: secrets.cfToken })
    expect(issues(both)).toEqual({
      '': expect.stringMatching(/^Use either an API token, or the Global API key/),
    })
    const neither = validate('cloudflare', 'inline', { account_id: key.account_id ?? '' })
    expect(issues(neither)).toEqual({ '': expect.stringMatching(/^Enter an API token/) })
  })

  it('the global key needs the email and vice versa', () => {
    expect(
      issues(validate('cloudflare', 'inline', { global_api_key: secrets.cfGlobalKey })),
    ).toEqual({
      email: expect.stringMatching(/^Email: required with the Global API key method/),
    })
    expect(
      Object.keys(issues(validate('cloudflare', 'inline', { email: 'ops@example.com' }))),
    ).toEqual(['global_api_key'])
  })

  it('R2 keys are both or neither; the endpoint follows from the account ID', () => {
    const { r2_endpoint: _endpoint, r2_secret_access_key: _secret, ...partial } = key
    expect(Object.keys(issues(validate('cloudflare', 'inline', partial)))).toEqual([
      'r2_secret_access_key',
    ])
    const { r2_endpoint: _given, ...derived } = key
    expect(validate('cloudflare', 'inline', derived).ok).toBe(true)
    const { account_id: _account, ...noAccount } = derived
    expect(issues(validate('cloudflare', 'inline', noAccount))).toEqual({
      r2_endpoint: expect.stringMatching(/^R2 endpoint: required for R2 when no Account ID/),
    })
    expect(
      validate('cloudflare', 'inline', { ...token, r2_endpoint: key.r2_endpoint ?? '' }).ok,
    ).toBe(false)
  })

  it('the R2 endpoint belongs to the account', () => {
    const other = validate('cloudflare', 'inline', {
      ...key,
      r2_endpoint: 'https://ffffffffffffffffffffffffffffffff.r2.cloudflarestorage.com',
    })
    expect(issues(other).r2_endpoint).toMatch(/is not for account 0123456789abcdef0123456789abcdef/)
  })

  it('editing: the email tells which method the kept secret belongs to', () => {
    expect(validate('cloudflare', 'inline', {}, true).ok).toBe(true)
    expect(validate('cloudflare', 'inline', { email: 'ops@example.com' }, true).ok).toBe(true)
    expect(validate('cloudflare', 'inline', { global_api_key: secrets.cfGlobalKey }, true).ok).toBe(
      false,
    )
  })
})

describe('object storage key pairs', () => {
  it('DigitalOcean Spaces: both or neither', () => {
    const set = base('digitalocean with spaces')
    delete set.spaces_secret_key
    expect(issues(validate('digitalocean', 'inline', set))).toEqual({
      spaces_secret_key: expect.stringMatching(
        /^Spaces secret key: required with the other Spaces key/,
      ),
    })
  })

  it('Civo Object Store: both or neither', () => {
    const set = base('civo')
    delete set.object_store_access_key_id
    expect(Object.keys(issues(validate('civo', 'inline', set)))).toEqual([
      'object_store_access_key_id',
    ])
    delete set.object_store_secret_key
    expect(validate('civo', 'inline', set).ok).toBe(true)
  })
})

describe('ECR credentials', () => {
  const connection = base('ecr via connection')
  const keys = base('ecr with keys')

  it('needs a connection or keys, not both', () => {
    const both = validate('ecr', 'inline', { ...keys, aws_connection: 'prod-aws' })
    expect(issues(both)).toEqual({
      '': expect.stringMatching(/^Use either an AWS connection or access keys/),
    })
    const neither = validate('ecr', 'inline', { region: 'eu-west-1', account_id: '123456789012' })
    expect(issues(neither)).toEqual({
      '': expect.stringMatching(/^Credentials: enter the slug of an AWS connection/),
    })
  })

  it('keys come in pairs', () => {
    const { secret_access_key: _secret, ...onlyId } = keys
    expect(Object.keys(issues(validate('ecr', 'inline', onlyId)))).toEqual(['secret_access_key'])
    expect(validate('ecr', 'inline', connection).ok).toBe(true)
  })
})

describe('Artifact Registry repository', () => {
  it('is <project>/<repository> for pkg.dev hosts', () => {
    const result = validate('gar', 'inline', { ...base('gar'), repository: 'acme-platform-prod' })
    expect(issues(result).repository).toMatch(/<project>\/<repository>/)
  })
})

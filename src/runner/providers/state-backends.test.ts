import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LinkedConnection, OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { startGcs } from '../../../test/fixtures/gcs'
import { serviceAccount, startGoogleToken } from '../../../test/fixtures/google'
import type { GoogleTokenFixture } from '../../../test/fixtures/google'
import { closedPort } from '../../../test/fixtures/loopback'
import type { Loopback } from '../../../test/fixtures/loopback'
import { startSts } from '../../../test/fixtures/sts'
import type { StsFixture, StsIdentity } from '../../../test/fixtures/sts'
import { gcsStateOperations } from './gcs-state'
import { s3StateOperations } from './s3-state'

const keys: StsIdentity = {
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  account: '123456789012',
  arn: 'arn:aws:iam::123456789012:user/terraform',
  userId: 'AIDAEXAMPLETF0001',
}
const runner: StsIdentity = {
  ...keys,
  accessKeyId: canary.awsKeyId(),
  secretAccessKey: canary.awsSecret(),
  arn: 'arn:aws:iam::123456789012:role/runner',
}
const writer = serviceAccount('terraform@acme-platform-prod.iam.gserviceaccount.com')
const outsider = serviceAccount('outsider@acme-platform-prod.iam.gserviceaccount.com')

let sts: StsFixture
let google: GoogleTokenFixture
let gcs: Loopback
const savedEnv = { ...process.env }

beforeAll(async () => {
  sts = await startSts({ identities: [keys, runner] })
  google = await startGoogleToken({ accounts: [writer, outsider] })
  gcs = await startGcs({
    buckets: ['acme-terraform-state'],
    tokenOwner: (token) => google.issued.get(token),
    readers: [writer.email],
  })
  const empty = mkdtempSync(join(tmpdir(), 'bk-state-'))
  Object.assign(process.env, {
    AWS_CONFIG_FILE: join(empty, 'c'),
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'k'),
    AWS_EC2_METADATA_DISABLED: 'true',
  })
})
afterAll(async () => {
  await Promise.all([sts.close(), google.close(), gcs.close()])
  process.env = savedEnv
})

const awsLinked = (secret = keys.secretAccessKey): LinkedConnection => ({
  provider: 'aws',
  authMode: 'inline',
  config: { default_region: 'eu-west-1', sts_endpoint: sts.url },
  secrets: { access_key_id: keys.accessKeyId, secret_access_key: secret },
})
const s3 = (linked?: LinkedConnection): OperationInput => ({
  provider: 's3-state',
  authMode: 'inline',
  config: {
    bucket: 'acme-terraform-state',
    region: 'eu-west-1',
    lock_table: 'terraform-locks',
    ...(linked ? { aws_connection: 'prod-aws' } : {}),
  },
  secrets: {},
  ...(linked ? { linked } : {}),
})

describe('s3 state backend', () => {
  it('proves the linked AWS credentials and says the bucket was not checked', async () => {
    const result = await s3StateOperations.verify(s3(awsLinked()))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: keys.arn, details: { bucket: 'acme-terraform-state' } },
    })
    expect(result.notes?.[0]).toMatch(
      /bucket acme-terraform-state and the lock table terraform-locks were not checked/,
    )
    const wrong = await s3StateOperations.verify(s3(awsLinked(canary.awsSecret())))
    expect(wrong.error?.class).toBe('authentication')
    expectNoSecrets([result, wrong], [keys.secretAccessKey])
  })

  it("uses the runner's identity without a linked connection, and issues a session", async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: runner.accessKeyId,
      AWS_SECRET_ACCESS_KEY: runner.secretAccessKey,
      AWS_ENDPOINT_URL_STS: sts.url,
    })
    try {
      const result = await s3StateOperations.verify(s3())
      expect(result.identity?.label).toBe(runner.arn)
      const issued = await s3StateOperations.issueCredentials!(s3())
      expect(issued.status === 'issued' && issued.credentials.kind).toBe('aws-session')
    } finally {
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_STS'])
        delete process.env[name]
    }
  })

  it('a named connection that was not sent is an invalid configuration', async () => {
    const result = await s3StateOperations.verify({ ...s3(awsLinked()), linked: undefined })
    expect(result.error?.class).toBe('invalid-config')
  })
})

describe('gcs state backend', () => {
  const gcpLinked = (keyFile: string): LinkedConnection => ({
    provider: 'gcp',
    authMode: 'inline',
    config: { token_endpoint: google.tokenUrl },
    secrets: { service_account_key: keyFile },
  })
  const gcsInput = (keyFile: string, config: Record<string, string> = {}): OperationInput => ({
    provider: 'gcs-state',
    authMode: 'inline',
    config: {
      bucket: 'acme-terraform-state',
      prefix: 'teams/platform',
      gcp_connection: 'prod-gcp',
      storage_endpoint: gcs.url,
      ...config,
    },
    secrets: {},
    linked: gcpLinked(keyFile),
  })

  it('lists the bucket with the linked credentials', async () => {
    const result = await gcsStateOperations.verify(gcsInput(writer.keyFile))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: writer.email, details: { bucket: 'acme-terraform-state' } },
    })
    expectNoSecrets(result, writer.secretLines)
  })

  it('no access is "Permission denied", no bucket the wrong target, a bad key authentication', async () => {
    expect((await gcsStateOperations.verify(gcsInput(outsider.keyFile))).error?.class).toBe(
      'permission',
    )
    expect(
      (await gcsStateOperations.verify(gcsInput(writer.keyFile, { bucket: 'acme-other-state' })))
        .error?.class,
    ).toBe('wrong-target')
    expect(
      (await gcsStateOperations.verify(gcsInput(serviceAccount(writer.email).keyFile))).error
        ?.class,
    ).toBe('authentication')
  })

  it('an unreachable storage endpoint fails fast; tokens are issued', async () => {
    const result = await gcsStateOperations.verify(
      gcsInput(writer.keyFile, { storage_endpoint: `http://127.0.0.1:${await closedPort()}` }),
    )
    expect(result.error?.class).toBe('unreachable')
    const issued = await gcsStateOperations.issueCredentials!(gcsInput(writer.keyFile))
    expect(issued.status === 'issued' && issued.credentials.kind).toBe('gcp-access-token')
  })
})

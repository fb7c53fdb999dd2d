import type { IncomingMessage } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ecrLogin } from '../../../cli/credential-helpers/ecr-login'
import { vaultOperations } from '../../agent/vault-operations'
import { canary } from '../../../../test/fixtures/canary'
import { serviceAccount, startGoogleToken } from '../../../../test/fixtures/google'
import type { GoogleTokenFixture } from '../../../../test/fixtures/google'
import { readBody, sendJson, serve, type Loopback } from '../../../../test/fixtures/loopback'
import { fastTimings, sourceRunnerLauncher } from '../../../../test/runner'
import { environmentIds, unlockedServices } from '../../../../test/services'
import { attackerShare, exchangeAddresses, rowCounts, twoVaults } from '../../../../test/sharing'
import type { Services } from '../../services'

// A hostile sender shares a connection that borrows the RECIPIENT's credentials (an ECR registry
// or a state backend naming one of the recipient's AWS or GCP connections by slug), with its
// endpoint pointed at a server the sender runs. Without the rule, the recipient's docker login
// signs for that server with the recipient's AWS keys, and a Verify hands it the recipient's
// Google access token (a bearer credential, usable by whoever holds it for an hour).

const writer = serviceAccount('terraform@acme-platform-prod.iam.gserviceaccount.com')
const opsKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }

/** The sender's server: answers 200 to everything and keeps what it was sent. */
interface Capture extends Loopback {
  requests: { authorization: string; token: string; body: string }[]
}

let google: GoogleTokenFixture
let capture: Capture
const cleanup: (() => unknown)[] = []

beforeAll(async () => {
  google = await startGoogleToken({ accounts: [writer] })
  const requests: Capture['requests'] = []
  const server = await serve(async (request: IncomingMessage, response) => {
    requests.push({
      authorization: request.headers.authorization ?? '',
      token: String(request.headers['x-amz-security-token'] ?? ''),
      body: await readBody(request),
    })
    sendJson(response, 200, {
      kind: 'storage#objects',
      authorizationData: [{ authorizationToken: Buffer.from('AWS:stolen').toString('base64') }],
    })
  })
  capture = { ...server, requests }
})
afterAll(async () => {
  await Promise.all([google.close(), capture.close()])
})
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
  capture.requests.length = 0
})

async function bobWithRunner(): Promise<Services> {
  const { services } = await unlockedServices({
    runner: { launcher: sourceRunnerLauncher(), timings: fastTimings },
  })
  cleanup.push(() => services.runner.shutdown())
  await services.sharing.setName({ name: 'Bob' })
  return services
}

/** One of Bob's own connections, authorized for staging (where the share's scope lands). */
function own(services: Services, form: Parameters<Services['connections']['create']>[0]): string {
  const { id, slug } = services.connections.create(form)
  services.authorizations.setAuthorizations({
    connectionId: id,
    environmentIds: [environmentIds(services).staging!],
  })
  return slug
}

/** Mallory's share of one connection (a full copy, for staging), imported by Bob. */
async function received(
  bob: Services,
  connection: { provider: string; name: string; slug: string; config: Record<string, string> },
  secrets: Record<string, string> = {},
  borrow?: string,
): Promise<string> {
  const share = await attackerShare(bob, (payload) => {
    payload.useOnly = false
    payload.connections = [{ ...connection, authMode: 'inline', secrets, labels: [], notes: '' }]
  })
  const imported = await bob.sharing.importApply({
    source: { data: share.bytes },
    shareId: share.shareId,
    trustSender: true,
    ...(borrow ? { choices: [{ slug: connection.slug, action: 'create' as const, borrow }] } : {}),
  })
  return imported.created[0]!.id
}

describe('a received connection that acts with the recipient’s own credentials', () => {
  it('never sends the recipient’s Google token to a storage endpoint the sender chose', async () => {
    const bob = await bobWithRunner()
    own(bob, {
      name: 'ops-gcp',
      provider: 'gcp',
      authMode: 'inline',
      values: { service_account_key: writer.keyFile, token_endpoint: google.tokenUrl },
    })
    const id = await received(
      bob,
      {
        provider: 'gcs-state',
        name: 'Team state',
        slug: 'team-state',
        config: {
          bucket: 'acme-terraform-state',
          gcp_connection: 'ops-gcp',
          storage_endpoint: capture.url,
        },
      },
      {},
      'ops-gcp',
    )

    await expect(bob.health.verify({ connectionId: id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `Team state came from Mallory's share, and its Storage API endpoint (${capture.url}) was chosen by the sender, while it acts with your Google Cloud connection ops-gcp.`,
      hint: expect.stringContaining('Clear the Storage API endpoint of Team state'),
    })
    expect(capture.requests).toEqual([])
    expect(google.issued.size).toBe(0)
    // The refusal is audited, and names no token.
    const entry = bob.audit
      .query({ limit: 5 })
      .entries.find((e) => e.action === 'connection.verify')
    expect(entry).toMatchObject({ outcome: 'failure' })
  }, 60_000)

  it('never signs a docker login for an ECR API endpoint the sender chose', async () => {
    const bob = await bobWithRunner()
    own(bob, {
      name: 'ops-aws',
      provider: 'aws',
      authMode: 'inline',
      values: {
        access_key_id: opsKey.accessKeyId,
        secret_access_key: opsKey.secretAccessKey,
        default_region: 'eu-west-1',
      },
    })
    await received(
      bob,
      {
        provider: 'ecr',
        name: 'Team registry',
        slug: 'team-registry',
        config: {
          region: 'eu-west-1',
          account_id: '210987654321',
          aws_connection: 'ops-aws',
          ecr_endpoint: capture.url,
        },
      },
      {},
      'ops-aws',
    )

    const asked = vaultOperations['credential-helper'](bob, {
      op: 'credential-helper',
      tool: 'docker',
      env: 'staging',
      ref: 'team-registry',
      callerEnv: {},
    }).then((answer) => ecrLogin(answer.credentials))
    await expect(asked).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `Team registry came from Mallory's share, and its ECR API endpoint (${capture.url}) was chosen by the sender, while it acts with your AWS connection ops-aws.`,
    })
    expect(capture.requests).toEqual([])
  }, 60_000)

  it('still sends a received connection’s own keys where its sender chose', async () => {
    const bob = await bobWithRunner()
    const senderKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
    await received(
      bob,
      {
        provider: 'ecr',
        name: 'Their registry',
        slug: 'their-registry',
        config: { region: 'eu-west-1', account_id: '210987654321', ecr_endpoint: capture.url },
      },
      { access_key_id: senderKey.accessKeyId, secret_access_key: senderKey.secretAccessKey },
    )
    const answer = await vaultOperations['credential-helper'](bob, {
      op: 'credential-helper',
      tool: 'docker',
      env: 'staging',
      ref: 'their-registry',
      callerEnv: {},
    })
    await ecrLogin(answer.credentials)
    expect(capture.requests.map((r) => r.authorization)).toEqual([
      expect.stringContaining(`Credential=${senderKey.accessKeyId}/`),
    ])
  }, 60_000)
})

describe('the connection a received one borrows', () => {
  const devKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
  const adminKey = { accessKeyId: canary.awsKeyId(), secretAccessKey: canary.awsSecret() }
  const awsOf = (name: string, key: typeof devKey) => ({
    name,
    provider: 'aws',
    authMode: 'inline',
    values: {
      access_key_id: key.accessKeyId,
      secret_access_key: key.secretAccessKey,
      default_region: 'eu-west-1',
    },
  })
  const registry = {
    provider: 'ecr',
    name: 'Team registry',
    slug: 'team-registry',
    // The sender names the recipient's most privileged connection, by its slug.
    config: { region: 'eu-west-1', account_id: '210987654321', aws_connection: 'ops-admin' },
  }

  it('is chosen by the recipient on import, never the one the sender named', async () => {
    const { services: bob } = await unlockedServices()
    own(bob, awsOf('ops-admin', adminKey))
    own(bob, awsOf('ops-dev', devKey))

    // Without a choice, nothing is imported, and the refusal says how to choose.
    const share = await attackerShare(bob, (payload) => {
      payload.useOnly = false
      payload.connections = [
        { ...registry, authMode: 'inline', secrets: {}, labels: [], notes: '' },
      ]
    })
    const preview = await bob.sharing.importPreview({ data: share.bytes })
    expect(preview.connections[0]!.borrows).toEqual({
      provider: 'aws',
      named: 'ops-admin',
      kept: null,
    })
    const before = rowCounts(bob)
    await expect(
      bob.sharing.importApply({
        source: { data: share.bytes },
        shareId: share.shareId,
        trustSender: true,
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: `"Team registry" uses the credentials of the AWS connection Mallory's copy names ops-admin (a connection of theirs). Choose which of your AWS connections it uses. Nothing was imported.`,
      hint: expect.stringContaining('--borrow team-registry=<your AWS connection>'),
    })
    expect(rowCounts(bob)).toEqual(before)

    // A choice that is not one of this vault's AWS connections is refused too.
    for (const [borrow, why] of [
      ['nobody', 'this vault has no connection with slug nobody'],
      ['team-registry', 'this vault has no connection with slug team-registry'],
    ] as const)
      await expect(
        bob.sharing.importApply({
          source: { data: share.bytes },
          shareId: share.shareId,
          trustSender: true,
          choices: [{ slug: 'team-registry', action: 'create', borrow }],
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining(why) })
    expect(rowCounts(bob)).toEqual(before)

    const imported = await bob.sharing.importApply({
      source: { data: share.bytes },
      shareId: share.shareId,
      trustSender: true,
      choices: [{ slug: 'team-registry', action: 'create', borrow: 'OPS-DEV' }],
    })
    const id = imported.created[0]!.id
    expect(bob.connections.get(id).config.aws_connection).toBe('ops-dev')
    const answer = await vaultOperations['credential-helper'](bob, {
      op: 'credential-helper',
      tool: 'docker',
      env: 'staging',
      ref: 'team-registry',
      callerEnv: {},
    })
    expect(answer.credentials.linked?.aws_connection?.secrets.access_key_id).toBe(
      devKey.accessKeyId,
    )
  }, 60_000)

  it('refuses a choice of another provider’s connection', async () => {
    const { services: bob } = await unlockedServices()
    own(bob, awsOf('ops-admin', adminKey))
    own(bob, {
      name: 'ops-gcp',
      provider: 'gcp',
      authMode: 'inline',
      values: { service_account_key: writer.keyFile },
    })
    const share = await attackerShare(bob, (payload) => {
      payload.useOnly = false
      payload.connections = [
        { ...registry, authMode: 'inline', secrets: {}, labels: [], notes: '' },
      ]
    })
    await expect(
      bob.sharing.importApply({
        source: { data: share.bytes },
        shareId: share.shareId,
        trustSender: true,
        choices: [{ slug: 'team-registry', action: 'create', borrow: 'ops-gcp' }],
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message:
        '"Team registry" borrows one of your AWS connections, and ops-gcp (ops-gcp) is a Google Cloud connection. Nothing was imported.',
    })
  }, 60_000)

  it('stays the recipient’s choice when the sender re-sends the connection', async () => {
    const { a, b } = await twoVaults()
    const { bInA } = await exchangeAddresses(a, b)
    own(a.services, awsOf('ops-admin', adminKey))
    const { id: shared } = a.services.connections.create({
      name: 'Team registry',
      provider: 'ecr',
      authMode: 'inline',
      values: { region: 'eu-west-1', account_id: '210987654321', aws_connection: 'ops-admin' },
    })
    const send = () =>
      a.services.sharing.export({
        connectionIds: [shared],
        to: { kind: 'contacts', contactIds: [bInA] },
        environments: ['staging'],
        useOnly: false,
      })
    own(b.services, awsOf('ops-admin', adminKey))
    own(b.services, awsOf('ops-dev', devKey))
    const first = await send()
    const imported = await b.services.sharing.importApply({
      source: { data: first.bytes },
      shareId: first.shareId,
      choices: [{ slug: 'team-registry', action: 'create', borrow: 'ops-dev' }],
    })
    const id = imported.created[0]!.id

    const again = await send()
    const preview = await b.services.sharing.importPreview({ data: again.bytes })
    expect(preview.connections[0]).toMatchObject({
      update: { id },
      borrows: { provider: 'aws', named: 'ops-admin', kept: 'ops-dev' },
    })
    const result = await b.services.sharing.importApply({
      source: { data: again.bytes },
      shareId: again.shareId,
    })
    expect(result.updated.map((c) => c.id)).toEqual([id])
    expect(b.services.connections.get(id).config.aws_connection).toBe('ops-dev')
  }, 60_000)
})

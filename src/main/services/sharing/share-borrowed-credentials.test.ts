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
import { attackerShare } from '../../../../test/sharing'
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
): Promise<string> {
  const share = await attackerShare(bob, (payload) => {
    payload.useOnly = false
    payload.connections = [{ ...connection, authMode: 'inline', secrets, labels: [], notes: '' }]
  })
  const imported = await bob.sharing.importApply({
    source: { data: share.bytes },
    shareId: share.shareId,
    trustSender: true,
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
    const id = await received(bob, {
      provider: 'gcs-state',
      name: 'Team state',
      slug: 'team-state',
      config: {
        bucket: 'acme-terraform-state',
        gcp_connection: 'ops-gcp',
        storage_endpoint: capture.url,
      },
    })

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
    await received(bob, {
      provider: 'ecr',
      name: 'Team registry',
      slug: 'team-registry',
      config: {
        region: 'eu-west-1',
        account_id: '210987654321',
        aws_connection: 'ops-aws',
        ecr_endpoint: capture.url,
      },
    })

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

import { randomUUID } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAzureAuthority, type AzureFixture } from '../../../../test/fixtures/azure'
import { canary } from '../../../../test/fixtures/canary'
import {
  serviceAccount,
  startGoogleToken,
  type GoogleTokenFixture,
} from '../../../../test/fixtures/google'
import { createTestCa } from '../../../../test/fixtures/test-ca'
import { unlockedServices } from '../../../../test/services'
import { answerTo } from '../../../../test/team-requests'
import { foundTeam, startTeamServer, type TeamServer } from '../../../../test/teams'
import { LEGACY_AWS_SESSION, newRequestBody, signRequest } from './team-requests'

// GCP and Azure access tokens through a real team runner: Ada (admin) pushes a GCP connection (a
// service-account key, exchanged at a loopback token endpoint that checks the RS256 assertion
// with the key's public half) and an Azure one (a client secret, at a loopback Entra authority
// over https that checks it), and runs the runner in this process; Carol (use-only) asks.

type Vault = Awaited<ReturnType<typeof unlockedServices>>

const account = serviceAccount()
const entraApp = { tenantId: randomUUID(), clientId: randomUUID(), secret: canary.azureSecret() }
const subscriptionId = randomUUID()
const dbPassword = `pw-${canary.alnum(28)}`
let team: TeamServer
let google: GoogleTokenFixture
let entra: AzureFixture
let ada: Vault
let carol: Vault
let teamId: string
const stop = new AbortController()
let serving: Promise<void>
const development = { environment: 'development' }

beforeAll(async () => {
  const ca = await createTestCa()
  ;[team, google, entra, ada, carol] = await Promise.all([
    startTeamServer(),
    startGoogleToken({ accounts: [account] }),
    ca.server().then((tls) => startAzureAuthority({ apps: [entraApp], tls })),
    unlockedServices(),
    unlockedServices(),
  ])
  teamId = await foundTeam(team, { services: ada.services, name: 'Ada', login: 'bk_owner' }, [
    { services: carol.services, name: 'Carol', login: 'carol_login', role: 'use-only' },
  ])
  const pushed: [string, string, Record<string, string>][] = [
    ['prod-gcp', 'gcp', { service_account_key: account.keyFile, token_endpoint: google.tokenUrl }],
    [
      'prod-azure',
      'azure',
      {
        tenant_id: entraApp.tenantId,
        subscription_id: subscriptionId,
        client_id: entraApp.clientId,
        client_secret: entraApp.secret,
        authority_host: entra.url,
        ca_certificate: ca.cert,
      },
    ],
    [
      'app-db',
      'postgres',
      {
        host: 'db.internal.example',
        port: '5432',
        database: 'app',
        user: 'app',
        password: dbPassword,
      },
    ],
    // Borrows the credentials of a connection of Ada's vault, by name.
    [
      'app-registry',
      'ecr',
      { region: 'eu-west-1', account_id: '123456789012', aws_connection: 'ada-aws' },
    ],
  ]
  for (const [name, provider, values] of pushed) {
    ada.services.connections.create({ name, provider, authMode: 'inline', values })
    await ada.services.teamConnections.push('platform', name, { environments: ['development'] })
  }
  let listening!: () => void
  const ready = new Promise<void>((resolve) => (listening = resolve))
  serving = ada.services.teamRunner.serve('platform', {
    signal: stop.signal,
    pollMs: 600_000,
    onListening: () => listening(),
  })
  await ready
}, 120_000)
afterAll(async () => {
  stop.abort()
  await serving
  await team?.server.stop()
  await google?.close()
  await entra?.close()
})

describe('a team runner issuing GCP and Azure tokens', { timeout: 60_000 }, () => {
  it('gives a use-only member a GCP access token the token endpoint issued for the key, with its project', async () => {
    const issued = await carol.services.teamRunner.credentials('platform', {
      connection: 'prod-gcp',
      ...development,
    })
    if (issued.kind !== 'gcp-access-token') throw new Error(`issued ${issued.kind}`)
    // The token endpoint checked the assertion signed with the key, and issued this very token.
    expect(google.issued.get(issued.token)).toBe(account.email)
    expect(issued).toMatchObject({ runner: 'Ada', settings: { project_id: account.project } })
    const left = Date.parse(issued.expiresAt) - Date.now()
    expect(left).toBeGreaterThan(3_000_000)
    expect(left).toBeLessThanOrEqual(3_600_000)
    expect(await teamAuditKinds()).toContain('runner.issue')
    const asked = carol.services.audit
      .query({ filter: { actions: ['team.credentials'] } })
      .entries.map((e) => e.detail)
    expect(asked).toContainEqual(
      expect.stringMatching(/^gcp-access-token of prod-gcp in development from Ada's team runner/),
    )
  })

  it('gives a use-only member an Azure access token Entra issued for the client secret, with tenant and subscription', async () => {
    const issued = await carol.services.teamRunner.credentials('platform', {
      connection: 'prod-azure',
      ...development,
    })
    if (issued.kind !== 'azure-access-token') throw new Error(`issued ${issued.kind}`)
    expect(entra.issued.get(issued.token)).toBe(entraApp.clientId)
    expect(issued.settings).toEqual({
      tenant_id: entraApp.tenantId,
      subscription_id: subscriptionId,
      cloud: 'public',
    })
    expect(Date.parse(issued.expiresAt)).toBeGreaterThan(Date.now() + 3_000_000)
  })

  it('refuses an environment the team matrix does not list', async () => {
    for (const connection of ['prod-gcp', 'prod-azure'])
      await expect(
        carol.services.teamRunner.credentials('platform', {
          connection,
          environment: 'production',
        }),
      ).rejects.toMatchObject({
        code: 'RUNNER_REFUSED',
        message: expect.stringContaining(
          `${connection} is not authorized for environment production by the team's matrix (it is for development)`,
        ),
      })
  })

  it('refuses a connection whose provider issues nothing, saying which ones it issues for', async () => {
    await expect(
      carol.services.teamRunner.credentials('platform', { connection: 'app-db', ...development }),
    ).rejects.toMatchObject({
      code: 'RUNNER_REFUSED',
      message: expect.stringContaining(
        'app-db is a PostgreSQL connection, which has no short-lived credentials to issue: the team runner issues them for Amazon Web Services, Google Cloud, Microsoft Azure',
      ),
    })
  })

  it("refuses a connection that borrows another by name: that name is not the team's", async () => {
    await expect(
      carol.services.teamRunner.credentials('platform', {
        connection: 'app-registry',
        ...development,
      }),
    ).rejects.toMatchObject({
      code: 'RUNNER_REFUSED',
      message: expect.stringContaining(
        "credentials were not issued: app-registry uses the credentials of the Amazon Web Services connection ada-aws (aws_connection), and the team runner issues from a team connection's own credentials only. Ask for ada-aws itself",
      ),
    })
  })

  it("answers an older requester's aws.session with a refusal for a GCP connection: it could not open a token", async () => {
    const me = await carol.services.sharing.localIdentity()
    const request = signRequest(
      newRequestBody(
        teamId,
        { connection: 'prod-gcp', ...development, operation: LEGACY_AWS_SESSION },
        new Date(),
      ),
      { signingKey: me.address.signingKey, key: me.signingKey },
    )
    const runner = (await ada.services.sharing.localIdentity()).address.signingKey
    expect(await answerTo(team, runner, request)).toMatch(
      /^the request asks for an AWS session .* prod-gcp is a Google Cloud connection: update Bridgekeep on the machine that asks/,
    )
  })

  it('never puts the key, the client secret or an issued token in a table, the WAL, a log or an audit trail', async () => {
    const canaries = [
      ...account.secretLines,
      entraApp.secret,
      dbPassword,
      ...google.issued.keys(),
      ...entra.issued.keys(),
    ]
    expect(google.issued.size + entra.issued.size).toBeGreaterThanOrEqual(2)
    const texts = await team.everything()
    for (const vault of [ada, carol]) {
      const raw = new BetterSqlite3(vault.services.vault.path, { readonly: true })
      texts.push(JSON.stringify(raw.prepare('SELECT * FROM audit_log').all()))
      raw.close()
      texts.push(JSON.stringify(vault.log.lines))
    }
    // The texts hold what was said about each use (so a token in them would be found).
    expect(texts.some((text) => text.includes('gcp-access-token of prod-gcp'))).toBe(true)
    expect(texts.some((text) => text.includes('azure-access-token of prod-azure'))).toBe(true)
    for (const secret of canaries)
      for (const [i, text] of texts.entries())
        expect(text.includes(secret), `canary ${secret.slice(0, 4)}… in text ${i}`).toBe(false)
  })
})

async function teamAuditKinds(): Promise<string[]> {
  const { rows } = await team.dba('SELECT kind FROM bridgekeep.audit WHERE team_id = $1', [teamId])
  return rows.map((r) => r.kind)
}

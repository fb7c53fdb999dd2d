import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { expectNoSecrets } from '../../../../test/fixtures/canary'
import { startSsoFixture, type SsoFixture } from '../../../../test/fixtures/sso'
import { unlockedServices } from '../../../../test/services'
import { AwsSsoService } from './aws-sso-service'
import { SsoSessionStore } from './sso-session-store'

const START_URL = 'https://my-org.awsapps.com/start'
let fixture: SsoFixture | undefined

afterEach(async () => {
  await fixture?.close()
  fixture = undefined
})

async function setup(options: { approveOnPoll?: number } = {}) {
  fixture = await startSsoFixture({
    assignments: [
      { accountId: '111111111111', accountName: 'prod', roles: ['Admin', 'ReadOnly'] },
      { accountId: '222222222222', accountName: 'staging', roles: ['Deploy'] },
    ],
  })
  const sso = fixture
  const { services, dataDir } = await unlockedServices()
  const path = join(dataDir, 'sso-sessions.json')
  const store = new SsoSessionStore({ path, vault: services.vault })
  const waits: number[] = []
  let polls = 0
  // The polls' waits are recorded rather than slept; the user approves at the given poll.
  const sleep = async (ms: number) => {
    waits.push(ms)
    polls += 1
    if (polls === (options.approveOnPoll ?? 1)) sso.approve()
  }
  const service = new AwsSsoService({ store, sleep, audit: services.audit })
  const instance = {
    startUrl: START_URL,
    region: 'eu-west-1',
    oidcEndpoint: sso.oidc.url,
    portalEndpoint: sso.portal.url,
  }
  const signIn = async () => {
    polls = 0
    const started = await service.startSignIn(instance)
    return { started, done: await service.completeSignIn(started.signInId) }
  }
  return { fixture: sso, services, service, store, path, waits, instance, signIn }
}

describe('IAM Identity Center through the real SDK clients', () => {
  it('signs in with the device flow, honoring the interval and slow_down, and lists every account and role across pages', async () => {
    const { fixture, waits, signIn, path } = await setup({ approveOnPoll: 3 })
    fixture.slowDown(1)
    const { started, done } = await signIn()
    expect(started.authorization.verificationUri).toBe(
      'https://device.sso.us-east-1.amazonaws.com/',
    )
    expect(started.authorization.userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/)
    // interval 1 s; slow_down adds 5 s to every later wait (RFC 8628).
    expect(waits).toEqual([1000, 6000, 6000])
    expect(fixture.calls.filter((c) => c.startsWith('CreateToken'))).toHaveLength(3)
    expect(done.accounts).toEqual([
      {
        accountId: '111111111111',
        accountName: 'prod',
        email: 'prod@example.com',
        roles: ['Admin', 'ReadOnly'],
      },
      {
        accountId: '222222222222',
        accountName: 'staging',
        email: 'staging@example.com',
        roles: ['Deploy'],
      },
    ])
    // pageSize 1: two ListAccounts pages, and two pages of prod's roles.
    expect(fixture.calls.filter((c) => c === 'ListAccounts')).toHaveLength(2)
    expect(fixture.calls.filter((c) => c === 'ListAccountRoles')).toHaveLength(3)
    const { clientSecrets, accessTokens, refreshTokens } = fixture.issued
    const file = readFileSync(path, 'utf8')
    expect(file.length).toBeGreaterThan(100)
    expectNoSecrets(file, [...clientSecrets, ...accessTokens, ...refreshTokens])
  })

  it('keeps the registered client for the next sign-in, and registers again when AWS no longer knows it', async () => {
    const { fixture, signIn, store, instance } = await setup()
    await signIn()
    await signIn()
    expect(fixture.calls.filter((c) => c === 'RegisterClient')).toHaveLength(1)
    const session = store.get(instance)!
    store.put({ ...session, client: { ...session.client, clientSecret: 'not-the-secret' } })
    await signIn()
    expect(fixture.calls.filter((c) => c === 'RegisterClient')).toHaveLength(2)
  })

  it('gives role credentials on demand, refreshes an expired token, and asks to sign in again when it cannot', async () => {
    const { fixture, service, signIn, instance } = await setup()
    await signIn()
    const first = await service.roleCredentials(instance, '111111111111', 'Admin')
    expect(first.accessKeyId).toMatch(/^ASIA/)
    expect(Date.parse(first.expiresAt)).toBeGreaterThan(Date.now())

    fixture.expireTokens()
    // The stored token still looks valid to Bridgekeep: the portal's refusal asks for a sign-in.
    await expect(service.roleCredentials(instance, '111111111111', 'Admin')).rejects.toMatchObject({
      code: 'CREDENTIALS_NOT_ISSUED',
      hint: expect.stringContaining(
        `Sign in again: bridgekeep aws sso login --start-url ${START_URL} --region eu-west-1`,
      ),
    })
  })

  it('refreshes with the refresh token when the stored token nears its expiry', async () => {
    const { fixture, service, signIn, instance, store } = await setup()
    await signIn()
    const session = store.get(instance)!
    store.put({ ...session, token: { ...session.token!, expiresAt: new Date().toISOString() } })
    fixture.expireTokens()
    await service.roleCredentials(instance, '222222222222', 'Deploy')
    expect(fixture.calls).toContain('CreateToken:refresh')
    expect(store.get(instance)!.token!.accessToken).not.toBe(session.token!.accessToken)

    const refreshed = store.get(instance)!
    store.put({ ...refreshed, token: { ...refreshed.token!, expiresAt: new Date().toISOString() } })
    fixture.forgetRefreshTokens()
    await expect(service.roleCredentials(instance, '222222222222', 'Deploy')).rejects.toThrow(
      /the sign-in has expired/,
    )
  })

  it('refuses a permission set that is not assigned, naming it', async () => {
    const { service, signIn, instance } = await setup()
    await signIn()
    await expect(service.roleCredentials(instance, '222222222222', 'Admin')).rejects.toThrow(
      /permission set Admin in account 222222222222: it is not assigned to you/,
    )
  })

  it('explains an expired code and a denied sign-in', async () => {
    const { fixture, service, instance } = await setup({ approveOnPoll: 99 })
    let started = await service.startSignIn(instance)
    fixture.expireCodes()
    await expect(service.completeSignIn(started.signInId)).rejects.toMatchObject({
      message: expect.stringContaining('the code expired before it was approved'),
      hint: expect.stringContaining('Sign in again: bridgekeep aws sso login'),
    })
    started = await service.startSignIn(instance)
    fixture.deny()
    await expect(service.completeSignIn(started.signInId)).rejects.toThrow(/denied/)
    await expect(service.completeSignIn(started.signInId)).rejects.toThrow(/not in progress/)
  })

  it('says "not signed in" before any sign-in', async () => {
    const { service, instance } = await setup()
    await expect(service.accounts(instance)).rejects.toThrow(/not signed in on this computer/)
  })

  it('audits every sign-in, from the start URL and region to what it gave, never a token, code or client secret', async () => {
    const { fixture, services, service, instance, signIn } = await setup({ approveOnPoll: 2 })
    const { started } = await signIn()
    const signIns = () =>
      services.audit
        .query({ filter: { actions: ['aws-sso.sign-in'] }, limit: 10 })
        .entries.toReversed()
    expect(signIns()).toMatchObject([
      {
        outcome: 'success',
        targetType: 'aws-sso',
        targetName: START_URL,
        detail: `${START_URL} (eu-west-1). Signed in: 2 accounts, 3 permission sets.`,
      },
    ])

    const denied = await service.startSignIn(instance)
    fixture.deny()
    await expect(service.completeSignIn(denied.signInId)).rejects.toThrow(/denied/)
    expect(signIns()[1]).toMatchObject({
      outcome: 'failure',
      targetName: START_URL,
      detail: expect.stringMatching(
        /^https:\/\/my-org\.awsapps\.com\/start \(eu-west-1\)\. Not signed in: .*denied in the browser/,
      ),
    })
    // A sign-in that is not in progress is not one: nothing more is recorded.
    await expect(service.completeSignIn(denied.signInId)).rejects.toThrow(/not in progress/)
    expect(signIns()).toHaveLength(2)

    const { clientSecrets, accessTokens, refreshTokens, deviceCodes } = fixture.issued
    const trail = services.audit.export({ format: 'jsonl' })
    expectNoSecrets(trail, [...clientSecrets, ...accessTokens, ...refreshTokens, ...deviceCodes])
    for (const code of [started.authorization.userCode, denied.authorization.userCode])
      expect(JSON.stringify(trail)).not.toContain(code)
  })

  it('signs out: the portal ends the session, the token is forgotten, the registered client kept', async () => {
    const { fixture, service, store, instance, signIn } = await setup()
    await signIn()
    expect(service.signIns()).toEqual([{ startUrl: START_URL, region: 'eu-west-1' }])
    const client = store.get(instance)!.client
    await expect(service.signOut(instance)).resolves.toEqual({
      startUrl: START_URL,
      region: 'eu-west-1',
      portal: 'ended',
      forgottenCredentials: 0,
    })
    expect(fixture.calls).toContain('Logout')
    expect(store.get(instance)).toEqual({ ...instance, client })
    expect(service.signIns()).toEqual([])
    await expect(service.accounts(instance)).rejects.toThrow(/not signed in on this computer/)
    await expect(service.signOut(instance)).rejects.toThrow(/Not signed in to IAM Identity Center/)
    // The next sign-in reuses the registered client.
    await signIn()
    expect(fixture.calls.filter((call) => call === 'RegisterClient')).toHaveLength(1)
  })

  it('forgets the sign-in here even when the portal cannot be reached, and says so', async () => {
    const { fixture, services, service, store, instance, signIn } = await setup()
    await signIn()
    await fixture.portal.close()
    const result = await service.signOut(instance)
    expect(result.portal).toBe('unreachable')
    expect(store.get(instance)?.token).toBeUndefined()
    const [entry] = services.audit.query({ filter: { actions: ['aws-sso.sign-out'] } }).entries
    expect(entry?.detail).toMatch(
      /^https:\/\/my-org\.awsapps\.com\/start \(eu-west-1\)\. Signed out: IAM Identity Center could not be reached: the token was forgotten here and stays valid there until \S+\. 0 cached role credentials forgotten\.$/,
    )
    expectNoSecrets(services.audit.export({ format: 'jsonl' }), fixture.issued.accessTokens)
  })
})

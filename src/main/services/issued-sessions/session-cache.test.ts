import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { unlockedServices } from '../../../../test/services'
import {
  CredentialIssuers,
  InlineIssuer,
  type CredentialIssuer,
  type CredentialSubject,
  type IssuedCredentials,
} from './issuer'
import { REFRESH_BEFORE_MS, SessionCache } from './session-cache'
import { AwsStsIssuer } from './aws-sts-issuer'

/** An issuer of expiring sessions (what the STS issuer will be), counting its calls. */
class CountingIssuer implements CredentialIssuer {
  readonly id = 'counting'
  calls = 0
  cacheKey?: (subject: CredentialSubject) => string
  constructor(
    private readonly now: () => Date,
    private readonly lifetimeMs: number,
  ) {}
  handles(subject: CredentialSubject) {
    return subject.connection.authMode === 'cross-account'
  }
  async issue(): Promise<IssuedCredentials> {
    this.calls++
    return {
      config: { default_region: 'eu-west-1' },
      secrets: {
        access_key_id: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
        secret_access_key: `canary${randomBytes(17).toString('hex')}`,
        session_token: `token${randomBytes(20).toString('hex')}`,
      },
      expiresAt: new Date(this.now().getTime() + this.lifetimeMs).toISOString(),
      source: 'sts:test',
    }
  }
}

async function setup(lifetimeMs = 3_600_000) {
  const { services, dataDir } = await unlockedServices()
  let now = new Date('2026-03-01T10:00:00Z')
  const clock = () => now
  const path = join(dataDir, 'credential-cache.json')
  const cache = new SessionCache({ path, vault: services.vault, now: clock })
  const sts = new CountingIssuer(clock, lifetimeMs)
  const issuers = new CredentialIssuers([sts, new InlineIssuer()], cache)
  const subject = (over: Partial<CredentialSubject> = {}): CredentialSubject => ({
    connection: { id: 'c1', name: 'x', slug: 'x', provider: 'aws', authMode: 'cross-account' },
    environment: { id: 'e1', name: 'production' },
    config: {},
    secrets: {},
    secretVersion: 1,
    shortLivedOnly: false,
    ...over,
  })
  return {
    services,
    path,
    issuers,
    sts,
    subject,
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  }
}

describe('credential issuance and the STS session cache', () => {
  it('reuses a cached session until shortly before it expires, then issues a new one', async () => {
    const { issuers, sts, subject, advance } = await setup()
    const first = await issuers.issue(subject())
    expect(sts.calls).toBe(1)
    expect(await issuers.issue(subject())).toEqual(first)
    expect(sts.calls).toBe(1)
    advance(3_600_000 - REFRESH_BEFORE_MS - 1000)
    expect(await issuers.issue(subject())).toEqual(first)
    advance(2000) // now inside the refresh window
    const second = await issuers.issue(subject())
    expect(sts.calls).toBe(2)
    expect(second.secrets.access_key_id).not.toBe(first.secrets.access_key_id)
  })

  it('keeps sessions apart per environment and secret version', async () => {
    const { issuers, sts, subject } = await setup()
    await issuers.issue(subject())
    await issuers.issue(subject({ environment: { id: 'e2', name: 'staging' } }))
    await issuers.issue(subject({ secretVersion: 2 }))
    expect(sts.calls).toBe(3)
  })

  it('issues a new session when a referenced secret reads another value, at the same version', async () => {
    const { issuers, sts, subject } = await setup()
    // A version whose key is `env:AWS_KEY`: each use reads the caller's variable anew.
    const alice = { access_key_id: 'AKIAALICE00000000000', secret_access_key: 'a'.repeat(40) }
    const bob = { access_key_id: 'AKIABOB0000000000000', secret_access_key: 'b'.repeat(40) }
    const fromAlice = await issuers.issue(subject({ secrets: alice }))
    expect(await issuers.issue(subject({ secrets: { ...alice } }))).toEqual(fromAlice)
    expect(sts.calls).toBe(1)
    const fromBob = await issuers.issue(subject({ secrets: bob }))
    expect(sts.calls).toBe(2)
    expect(fromBob).not.toEqual(fromAlice)
    // Back to the first value: its session was replaced in the one entry, so STS is asked again.
    await issuers.issue(subject({ secrets: alice }))
    expect(sts.calls).toBe(3)
  })

  it('keeps a session signed in with an MFA device apart from one without, per device', async () => {
    const { issuers, sts, subject } = await setup()
    // The AWS STS issuer's own key: the device is part of it.
    const aws = new AwsStsIssuer(() => Promise.reject(new Error('no runner in this test')))
    sts.cacheKey = (s: CredentialSubject) => aws.cacheKey(s)
    const withDevice = (serial: string) => subject({ config: { mfa_serial: serial } })
    const plain = await issuers.issue(subject())
    const mfa = await issuers.issue(withDevice('arn:aws:iam::123456789012:mfa/alice'))
    expect(sts.calls).toBe(2)
    expect(mfa).not.toEqual(plain)
    expect(await issuers.issue(withDevice('arn:aws:iam::123456789012:mfa/alice'))).toEqual(mfa)
    expect(await issuers.issue(subject())).toEqual(plain)
    expect(sts.calls).toBe(2)
    await issuers.issue(withDevice('GAHT12345678'))
    expect(sts.calls).toBe(3)
  })

  it('stores sessions sealed with the vault key, 0600, and treats tampering as a miss', async () => {
    const { issuers, sts, subject, path } = await setup()
    const issued = await issuers.issue(subject())
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const text = readFileSync(path, 'utf8')
    for (const value of Object.values(issued.secrets)) expect(text).not.toContain(value)
    const file = JSON.parse(text)
    const key = Object.keys(file.entries)[0]!
    const sealed = Buffer.from(file.entries[key].sealed, 'base64')
    sealed[sealed.length - 1]! ^= 1
    file.entries[key].sealed = sealed.toString('base64')
    writeFileSync(path, JSON.stringify(file))
    await issuers.issue(subject())
    expect(sts.calls).toBe(2)
    // Moving an entry to another connection does not decrypt either.
    const moved = JSON.parse(readFileSync(path, 'utf8'))
    moved.entries['counting/c2/e1'] = moved.entries[key]
    writeFileSync(path, JSON.stringify(moved))
    await issuers.issue(subject({ connection: { ...subject().connection, id: 'c2' } }))
    expect(sts.calls).toBe(3)
  })

  it('does not cache long-lived inline keys, and refuses what no issuer handles', async () => {
    const { issuers, subject, path } = await setup()
    const inline = await issuers.issue(
      subject({
        connection: { ...subject().connection, authMode: 'inline' },
        secrets: { access_key_id: 'A' },
      }),
    )
    expect(inline).toEqual({ config: {}, secrets: { access_key_id: 'A' }, source: 'inline' })
    expect(() => readFileSync(path)).toThrow()
    const alone = new CredentialIssuers([new InlineIssuer()])
    await expect(alone.issue(subject())).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      message: expect.stringContaining('Assume a role in another account'),
    })
    expect(
      await alone.issue(
        subject({
          connection: { ...subject().connection, authMode: 'runner-delegated' },
          secrets: { x: 'y' },
        }),
      ),
    ).toEqual({ config: {}, secrets: {}, source: 'ambient' })
  })
})

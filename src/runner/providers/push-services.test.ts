import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { startNtfy, startPushbullet, startPushover } from '../../../test/fixtures/notification-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { ntfyOperations } from './ntfy'
import { pushbulletOperations } from './pushbullet'
import { pushoverOperations } from './pushover'

const lower = () => canary.alnum(29).toLowerCase()
const ntfyToken = `tk_${lower()}`
const ntfyPassword = `${canary.alnum(16)} pw!`
const topic = `deploys-${canary.alnum(12)}`
const pushbulletToken = `o.${canary.alnum(32)}`
const appToken = canary.alnum(30)
const userKey = canary.alnum(30)
let ntfy: TokenApiFixture
let pushbullet: TokenApiFixture
let pushover: TokenApiFixture

beforeAll(async () => {
  ;[ntfy, pushbullet, pushover] = await Promise.all([
    startNtfy({
      token: ntfyToken,
      user: { name: 'alerts', password: ntfyPassword },
      readable: [topic],
      anonymousReadable: ['announcements'],
    }),
    startPushbullet({ token: pushbulletToken, email: 'ops@example.com' }),
    startPushover({ appToken, userKey, devices: ['phone', 'desk'] }),
  ])
})
afterAll(() => Promise.all([ntfy, pushbullet, pushover].map((api) => api.close())))

const input = (
  provider: OperationInput['provider'],
  config: Record<string, string>,
  secrets: Record<string, string>,
): OperationInput => ({ provider, authMode: 'inline', config, secrets })

describe('ntfy verify', () => {
  const server = () => ({ server_url: ntfy.url })

  it('a token: the account names the user, and the server lets it read the topic', async () => {
    const result = await ntfyOperations.verify(
      input('ntfy', server(), { topic, access_token: ntfyToken }),
    )
    expect(result).toMatchObject({ status: 'healthy', identity: { details: { user: 'alerts' } } })
    expect(ntfy.paths.slice(-2)).toEqual(['/v1/account', `/${topic}/auth`])
    expectNoSecrets(result, [ntfyToken, topic])
  })

  it('a username and password work the same way', async () => {
    const result = await ntfyOperations.verify(
      input('ntfy', { ...server(), username: 'alerts' }, { topic, password: ntfyPassword }),
    )
    expect(result.status).toBe('healthy')
  })

  it('a wrong token or password is "Authentication failed"', async () => {
    const wrongToken = `tk_${lower()}`
    const wrongPassword = `${canary.alnum(16)}!`
    for (const [config, secrets] of [
      [server(), { topic, access_token: wrongToken }],
      [
        { ...server(), username: 'alerts' },
        { topic, password: wrongPassword },
      ],
    ] as const) {
      const result = await ntfyOperations.verify(input('ntfy', config, secrets))
      expect(result.error?.class).toBe('authentication')
      expectNoSecrets(result, [wrongToken, wrongPassword, ntfyPassword, topic])
    }
  })

  it('a topic the user may not read is "Permission denied", without naming the topic', async () => {
    const other = `private-${canary.alnum(12)}`
    const result = await ntfyOperations.verify(
      input('ntfy', server(), { topic: other, access_token: ntfyToken }),
    )
    expect(result.error?.class).toBe('permission')
    expect(result.identity?.details?.user).toBe('alerts')
    expectNoSecrets(result, [other])
  })

  it('without a credential, only whether anyone may read the topic is asked', async () => {
    const open = await ntfyOperations.verify(input('ntfy', server(), { topic: 'announcements' }))
    expect(open).toMatchObject({ status: 'healthy', identity: { details: { user: 'anonymous' } } })
    expect(ntfy.paths.at(-1)).toBe('/announcements/auth')
    const closed = await ntfyOperations.verify(input('ntfy', server(), { topic }))
    expect(closed.error?.class).toBe('permission')
  })

  it('an unreachable server fails fast', async () => {
    const result = await ntfyOperations.verify(
      input('ntfy', { server_url: `http://127.0.0.1:${await closedPort()}` }, { topic }),
    )
    expect(result.error?.class).toBe('unreachable')
  })
})

describe('pushbullet verify', () => {
  it('/v2/users/me with Access-Token names the account', async () => {
    const result = await pushbulletOperations.verify(
      input('pushbullet', { api_url: pushbullet.url }, { access_token: pushbulletToken }),
    )
    expect(result).toMatchObject({ status: 'healthy', identity: { label: 'ops@example.com' } })
    expectNoSecrets(result, [pushbulletToken])
  })

  it('a wrong token is "Authentication failed", with what Pushbullet said', async () => {
    const wrong = `o.${canary.alnum(32)}`
    const result = await pushbulletOperations.verify(
      input('pushbullet', { api_url: pushbullet.url }, { access_token: wrong }),
    )
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('Access token is missing or invalid')
    expectNoSecrets(result, [pushbulletToken, wrong])
  })
})

describe('pushover verify', () => {
  const keys = (token = appToken, user = userKey, device?: string) =>
    input(
      'pushover',
      { api_url: pushover.url, ...(device ? { device } : {}) },
      { app_token: token, user_key: user },
    )

  it('validate.json confirms the token, the user and its devices', async () => {
    const result = await pushoverOperations.verify(keys(appToken, userKey, 'phone'))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'Pushover user, device phone', details: { devices: 'phone, desk' } },
    })
    expectNoSecrets(result, [appToken, userKey])
  })

  it('a wrong application token is "Authentication failed"', async () => {
    const wrong = canary.alnum(30)
    const result = await pushoverOperations.verify(keys(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('application token is invalid')
    expectNoSecrets(result, [appToken, userKey, wrong])
  })

  it('an unknown user key or device is the wrong target', async () => {
    const wrong = canary.alnum(30)
    const user = await pushoverOperations.verify(keys(appToken, wrong))
    expect(user.error?.class).toBe('wrong-target')
    expect(user.error?.message).toContain('user key is invalid')
    const device = await pushoverOperations.verify(keys(appToken, userKey, 'tablet'))
    expect(device.error?.class).toBe('wrong-target')
    expect(device.error?.message).toContain('no active device named tablet')
    expectNoSecrets([user, device], [appToken, userKey, wrong])
  })
})

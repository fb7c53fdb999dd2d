import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperationInput } from '../../shared/operations'
import { canary, expectNoSecrets, randomFrom } from '../../../test/fixtures/canary'
import { closedPort } from '../../../test/fixtures/loopback'
import { startDiscord, startSlack, startTelegram } from '../../../test/fixtures/notification-apis'
import type { TokenApiFixture } from '../../../test/fixtures/token-apis'
import { discordOperations } from './discord'
import { slackOperations } from './slack'
import { telegramOperations } from './telegram'

const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'
const slackToken = `xoxb-1234567890-9876543210-${canary.alnum(24)}`
const discordToken = `${canary.alnum(26)}.${canary.alnum(6)}.${randomFrom(URLSAFE, 38)}`
const webhook = { id: '123456789012345678', token: randomFrom(URLSAFE, 68) }
const telegramToken = `123456789:${randomFrom(URLSAFE, 35)}`
let slack: TokenApiFixture
let discord: TokenApiFixture
let telegram: TokenApiFixture

beforeAll(async () => {
  ;[slack, discord, telegram] = await Promise.all([
    startSlack({ token: slackToken, team: 'acme', user: 'deploy-bot' }),
    startDiscord({ botToken: discordToken, webhook }),
    startTelegram({ token: telegramToken, chats: { '-1001234567890': 'Deploys' } }),
  ])
})
afterAll(() => Promise.all([slack, discord, telegram].map((api) => api.close())))

const input = (
  provider: OperationInput['provider'],
  config: Record<string, string>,
  secrets: Record<string, string>,
): OperationInput => ({ provider, authMode: 'inline', config, secrets })

describe('slack verify', () => {
  const token = (value: string, apiUrl = `${slack.url}/api`) =>
    input('slack', { credential: 'token', api_url: apiUrl }, { token: value })

  it('auth.test names the workspace and user', async () => {
    const result = await slackOperations.verify(token(slackToken))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'deploy-bot in acme', details: { workspace: 'acme', bot: 'B0789IJKL' } },
    })
    expect(slack.paths.at(-1)).toBe('/api/auth.test')
    expectNoSecrets(result, [slackToken])
  })

  it('a wrong token is "Authentication failed"', async () => {
    const wrong = `xoxb-1234567890-9876543210-${canary.alnum(24)}`
    const result = await slackOperations.verify(token(wrong))
    expect(result.error).toMatchObject({ class: 'authentication' })
    expect(result.error?.message).toContain('invalid_auth')
    expectNoSecrets(result, [slackToken, wrong])
  })

  it('a webhook is checked by shape only, posts nothing, and says so', async () => {
    const url = `https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${canary.alnum(24)}`
    const before = slack.paths.length
    const result = await slackOperations.verify(
      input('slack', { credential: 'webhook' }, { webhook_url: url }),
    )
    expect(result.status).toBe('healthy')
    expect(result.notes?.[0]).toContain('Only the shape of the webhook URL was checked')
    expect(slack.paths.length).toBe(before)
    expectNoSecrets(result, [url])
  })

  it('an unreachable API fails fast', async () => {
    const result = await slackOperations.verify(
      token(slackToken, `http://127.0.0.1:${await closedPort()}`),
    )
    expect(result.error?.class).toBe('unreachable')
  })
})

describe('discord verify', () => {
  const base = () => `${discord.url}/api/v10`
  const hook = (id: string, secret: string) => ({
    webhook_url: `https://discord.com/api/webhooks/${id}/${secret}`,
  })

  it('a bot token reads its own user with "Bot <token>"', async () => {
    const result = await discordOperations.verify(
      input('discord', { credential: 'bot', api_url: base() }, { bot_token: discordToken }),
    )
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'deploy-bot', details: { bot: 'true' } },
    })
    expectNoSecrets(result, [discordToken])
  })

  it('a wrong bot token is "Authentication failed"', async () => {
    const wrong = `${canary.alnum(26)}.${canary.alnum(6)}.${randomFrom(URLSAFE, 38)}`
    const result = await discordOperations.verify(
      input('discord', { credential: 'bot', api_url: base() }, { bot_token: wrong }),
    )
    expect(result.error?.class).toBe('authentication')
    expectNoSecrets(result, [discordToken, wrong])
  })

  it('a webhook is read, not posted to: its name and channel', async () => {
    const result = await discordOperations.verify(
      input('discord', { credential: 'webhook', api_url: base() }, hook(webhook.id, webhook.token)),
    )
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: 'Webhook Deploys', details: { channel: '998877665544332211' } },
    })
    expect(discord.paths.at(-1)).toBe(`/api/v10/webhooks/${webhook.id}/${webhook.token}`)
    expectNoSecrets(result, [webhook.token])
  })

  it('a deleted webhook or a regenerated URL is "Authentication failed"', async () => {
    const wrongToken = randomFrom(URLSAFE, 68)
    for (const values of [
      hook('999999999999999999', webhook.token),
      hook(webhook.id, wrongToken),
    ]) {
      const result = await discordOperations.verify(
        input('discord', { credential: 'webhook', api_url: base() }, values),
      )
      expect(result.error?.class).toBe('authentication')
      expect(result.error?.message).toContain('does not know this webhook')
      expectNoSecrets(result, [webhook.token, wrongToken])
    }
  })
})

describe('telegram verify', () => {
  const bot = (token: string, chat?: string) =>
    input(
      'telegram',
      { api_url: telegram.url, ...(chat ? { chat_id: chat } : {}) },
      { bot_token: token },
    )

  it('getMe names the bot, and getChat the chat when one is given', async () => {
    const result = await telegramOperations.verify(bot(telegramToken, '-1001234567890'))
    expect(result).toMatchObject({
      status: 'healthy',
      identity: { label: '@acme_deploy_bot', details: { chat: 'Deploys' } },
    })
    expect(telegram.paths.slice(-2).map((path) => path.split('/').at(-1))).toEqual([
      'getMe',
      'getChat',
    ])
    expectNoSecrets(result, [telegramToken])
  })

  it('a wrong token is "Authentication failed", without the token in the result', async () => {
    const wrong = `123456789:${randomFrom(URLSAFE, 35)}`
    const result = await telegramOperations.verify(bot(wrong))
    expect(result.error?.class).toBe('authentication')
    expect(result.error?.message).toContain('Unauthorized')
    expectNoSecrets(result, [telegramToken, wrong])
  })

  it('a chat the bot cannot see is the wrong target, with the bot named', async () => {
    const result = await telegramOperations.verify(bot(telegramToken, '-1009999999999'))
    expect(result.error?.class).toBe('wrong-target')
    expect(result.error?.message).toContain('chat not found')
    expect(result.identity?.label).toBe('@acme_deploy_bot')
  })
})

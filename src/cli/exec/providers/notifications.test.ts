import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { inline } from './test-support'

describe('credentialsEnv: notification services', () => {
  it('smtp: host, port (the security mode’s default when empty), login', async () => {
    const plan = await credentialsEnv(
      inline(
        'smtp',
        { host: 'smtp.example.com', security: 'tls', username: 'alerts@example.com' },
        { password: 'p w' },
      ),
    )
    expect(plan.set).toEqual({
      SMTP_HOST: 'smtp.example.com',
      SMTP_PORT: '465',
      SMTP_SECURITY: 'tls',
      SMTP_USERNAME: 'alerts@example.com',
      SMTP_PASSWORD: 'p w',
    })
  })

  it('slack: the token (also as SLACK_BOT_TOKEN for a bot), or the webhook URL', async () => {
    const bot = await credentialsEnv(
      inline('slack', { credential: 'token' }, { token: 'xoxb-1-2-a' }),
    )
    expect(bot.set).toEqual({ SLACK_TOKEN: 'xoxb-1-2-a', SLACK_BOT_TOKEN: 'xoxb-1-2-a' })
    const user = await credentialsEnv(
      inline('slack', { credential: 'token' }, { token: 'xoxp-1-2-a' }),
    )
    expect(user.set).toEqual({ SLACK_TOKEN: 'xoxp-1-2-a' })
    const hook = await credentialsEnv(
      inline('slack', { credential: 'webhook' }, { webhook_url: 'https://hooks.slack.com/x' }),
    )
    expect(hook.set).toEqual({ SLACK_WEBHOOK_URL: 'https://hooks.slack.com/x' })
  })

  it('discord and telegram: their tokens, the webhook URL, the chat id', async () => {
    expect((await credentialsEnv(inline('discord', {}, { bot_token: 'T' }))).set).toEqual({
      DISCORD_TOKEN: 'T',
    })
    expect((await credentialsEnv(inline('discord', {}, { webhook_url: 'W' }))).set).toEqual({
      DISCORD_WEBHOOK_URL: 'W',
    })
    expect(
      (await credentialsEnv(inline('telegram', { chat_id: '-100' }, { bot_token: '1:T' }))).set,
    ).toEqual({ TELEGRAM_BOT_TOKEN: '1:T', TELEGRAM_CHAT_ID: '-100' })
  })

  it('ntfy: the topic URL, and the token or the login as the ntfy CLI takes it', async () => {
    const token = await credentialsEnv(
      inline('ntfy', { server_url: 'https://ntfy.sh' }, { topic: 't1', access_token: 'tk_x' }),
    )
    expect(token.set).toEqual({ NTFY_TOPIC: 'https://ntfy.sh/t1', NTFY_TOKEN: 'tk_x' })
    const login = await credentialsEnv(
      inline(
        'ntfy',
        { server_url: 'https://n.example.com', username: 'u' },
        { topic: 't', password: 'p:w' },
      ),
    )
    expect(login.set).toEqual({ NTFY_TOPIC: 'https://n.example.com/t', NTFY_USER: 'u:p:w' })
  })

  it('pushbullet and pushover: their tokens and keys', async () => {
    expect((await credentialsEnv(inline('pushbullet', {}, { access_token: 'o.x' }))).set).toEqual({
      PUSHBULLET_KEY: 'o.x',
    })
    expect(
      (
        await credentialsEnv(
          inline('pushover', { device: 'phone' }, { app_token: 'A', user_key: 'U' }),
        )
      ).set,
    ).toEqual({ PUSHOVER_TOKEN: 'A', PUSHOVER_USER: 'U', PUSHOVER_DEVICE: 'phone' })
  })
})

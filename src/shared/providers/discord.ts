import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const onBot = { field: 'credential', values: ['bot'] } as const
const onWebhook = { field: 'credential', values: ['webhook'] } as const

const TOKEN_PLACE = 'discord.com/developers/applications → your application → Bot → Reset Token'

const botToken: Parser = (value) => {
  if (/^Bot\s/i.test(value)) return fail('must be the token alone, without "Bot ".')
  if (/^[A-Za-z0-9_-]{18,40}\.[A-Za-z0-9_-]{4,10}\.[A-Za-z0-9_-]{25,80}$/.test(value))
    return ok(value)
  if (value.startsWith('https://')) return fail('is a URL: choose "Webhook URL" as the credential.')
  return fail(
    `must be a bot token: three parts joined by dots, about 70 characters (${TOKEN_PLACE}). A client secret or public key is not a bot token.`,
  )
}

/** https://discord.com/api/webhooks/<id>/<token> (also discordapp.com, canary. and ptb.). */
export const DISCORD_WEBHOOK =
  /^https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/(\d{17,20})\/([A-Za-z0-9_-]{60,100})$/

const webhookUrl: Parser = (value) =>
  DISCORD_WEBHOOK.test(value)
    ? ok(value)
    : fail(
        'must look like https://discord.com/api/webhooks/<id>/<token>: Server Settings → Integrations → Webhooks → the webhook → Copy Webhook URL.',
      )

export const discord: ProviderSpec = {
  id: 'discord',
  label: 'Discord',
  category: 'Notifications',
  description: 'A Discord bot token, or a webhook URL for posting to one channel.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'credential',
      label: 'Credential',
      required: true,
      options: [
        { value: 'bot', label: 'Bot token' },
        { value: 'webhook', label: 'Webhook URL' },
      ],
      defaultValue: 'bot',
      help: 'A bot token acts as the bot wherever it was invited; a webhook only posts to its one channel.',
    }),
    defineField({
      key: 'bot_token',
      label: 'Bot token',
      secret: true,
      required: true,
      revealLast4: true,
      showWhen: onBot,
      help: `${TOKEN_PLACE}. Discord shows it once; resetting it stops the old one.`,
      missing: `Create one under ${TOKEN_PLACE}.`,
      parse: botToken,
    }),
    defineField({
      key: 'webhook_url',
      label: 'Webhook URL',
      secret: true,
      required: true,
      input: 'url',
      showWhen: onWebhook,
      placeholder: 'https://discord.com/api/webhooks/…/…',
      help: 'Server Settings → Integrations → Webhooks → the webhook → Copy Webhook URL. Its last part is the secret that lets anyone post. The check reads the webhook (name, channel) without posting.',
      missing: 'Copy it from Server Settings → Integrations → Webhooks → Copy Webhook URL.',
      parse: webhookUrl,
    }),
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://discord.com/api/v10',
      help: 'The Discord API address, for a proxy in between (webhooks are checked there too).',
    }),
    caCertificateField('the API'),
  ],
}

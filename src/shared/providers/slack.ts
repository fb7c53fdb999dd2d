import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const onToken = { field: 'credential', values: ['token'] } as const
const onWebhook = { field: 'credential', values: ['webhook'] } as const

const TOKEN_PLACE =
  'api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token (xoxb-…) or User OAuth Token (xoxp-…)'

const slackToken: Parser = (value) => {
  if (/^xox[bp]-[0-9A-Za-z-]{20,250}$/.test(value)) return ok(value)
  if (/^Bearer\s/i.test(value)) return fail('must be the token alone, without "Bearer ".')
  if (value.startsWith('xapp-'))
    return fail(
      `is an app-level token (xapp-…), which only opens Socket Mode connections. Use the bot or user token: ${TOKEN_PLACE}.`,
    )
  if (/^xox[bp]-/.test(value))
    return fail('is cut off, or has spaces or other characters a Slack token never has.')
  if (value.startsWith('https://hooks.slack.com/'))
    return fail('is a webhook URL: choose "Incoming webhook URL" as the credential.')
  return fail(`must be a bot token (xoxb-…) or user token (xoxp-…): ${TOKEN_PLACE}.`)
}

const webhookUrl: Parser = (value) => {
  if (
    /^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,64}$/.test(
      value,
    )
  )
    return ok(value)
  if (/^xox[a-z]-/.test(value))
    return fail('is a token: choose "Bot or user token" as the credential.')
  return fail(
    'must look like https://hooks.slack.com/services/T…/B…/…: api.slack.com/apps → your app → Incoming Webhooks → Webhook URL, copied whole.',
  )
}

export const slack: ProviderSpec = {
  id: 'slack',
  label: 'Slack',
  category: 'Notifications',
  description: 'A Slack bot or user token, or an incoming webhook URL for posting to one channel.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'credential',
      label: 'Credential',
      required: true,
      options: [
        { value: 'token', label: 'Bot or user token' },
        { value: 'webhook', label: 'Incoming webhook URL' },
      ],
      defaultValue: 'token',
      help: "A token calls Slack's Web API with its scopes; an incoming webhook only posts to the one channel it was made for.",
    }),
    defineField({
      key: 'token',
      label: 'Token',
      secret: true,
      required: true,
      revealLast4: true,
      showWhen: onToken,
      placeholder: 'xoxb-… or xoxp-…',
      help: `${TOKEN_PLACE}. Install the app to the workspace first; reinstalling after a scope change issues a new token.`,
      missing: `Copy it from ${TOKEN_PLACE}.`,
      parse: slackToken,
    }),
    defineField({
      key: 'webhook_url',
      label: 'Webhook URL',
      secret: true,
      required: true,
      input: 'url',
      showWhen: onWebhook,
      placeholder: 'https://hooks.slack.com/services/T…/B…/…',
      help: 'api.slack.com/apps → your app → Incoming Webhooks → Webhook URL. Anyone with it can post to its channel, so it is stored as a secret. The check looks at its shape only: Slack offers no way to test a webhook without posting a message.',
      missing: 'Copy it from api.slack.com/apps → your app → Incoming Webhooks.',
      parse: webhookUrl,
    }),
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://slack.com/api',
      help: "The Web API address, for a proxy in between (the token's check calls auth.test there).",
    }),
    caCertificateField('the API'),
  ],
}

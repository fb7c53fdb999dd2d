import { caCertificateField, endpointField } from './endpoint-fields'
import { defineField, fail, ok, quote } from './fields'
import type { Parser } from './fields'
import type { ProviderSpec } from './types'

const botToken: Parser = (value) => {
  if (/^\d{5,16}:[A-Za-z0-9_-]{30,50}$/.test(value)) return ok(value)
  if (/^bot\d/i.test(value))
    return fail('must be the token alone, without the "bot" that API URLs put before it.')
  if (/^\d{5,16}:/.test(value))
    return fail('is cut off: after the bot id and ":" come about 35 letters, digits, "_" and "-".')
  return fail(
    'must look like <bot id>:<secret>, e.g. 123456789:AA… — @BotFather sends it after /newbot, or /token for an existing bot.',
  )
}

const chatId: Parser = (value) =>
  /^-?\d{1,20}$/.test(value) || /^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(value)
    ? ok(value)
    : fail(
        `${quote(value)} is not a chat id: a number (groups are negative, channels start with -100) or a public channel's @username.`,
      )

export const telegram: ProviderSpec = {
  id: 'telegram',
  label: 'Telegram',
  category: 'Notifications',
  description: 'A Telegram bot token, with an optional chat to send to.',
  authModes: ['inline'],
  defaultAuthMode: 'inline',
  fields: [
    defineField({
      key: 'bot_token',
      label: 'Bot token',
      secret: true,
      required: true,
      revealLast4: true,
      placeholder: '123456789:AA…',
      help: 'From @BotFather: /newbot for a new bot, /token for an existing one (/revoke replaces it if it leaks).',
      missing: 'Ask @BotFather in Telegram: /token, then pick the bot.',
      parse: botToken,
    }),
    defineField({
      key: 'chat_id',
      label: 'Chat ID',
      example: '-1001234567890',
      help: "Optional: the chat messages go to. A user's or group's numeric id (getUpdates shows it after someone writes to the bot) or a public channel's @username. When given, the check asks whether the bot can see it.",
      parse: chatId,
    }),
    endpointField({
      key: 'api_url',
      label: 'API base URL',
      example: 'https://api.telegram.org',
      help: 'The Bot API address, for a self-hosted Bot API server or a proxy in between.',
    }),
    caCertificateField('the API'),
  ],
}

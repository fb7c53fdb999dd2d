import { callApi, field, unavailable } from './https-check'
import type { ApiCall } from './https-check'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'
import type { OperationBudget } from './define-operations'
import type { HttpResponse } from './http-client'

// Telegram: getMe names the bot the token belongs to; with a chat id, getChat shows whether the
// bot can reach that chat. Neither sends anything.

const API = 'https://api.telegram.org'

interface BotAnswer {
  ok?: boolean
  error_code?: number
  description?: string
  result?: Record<string, unknown>
}

function answerOf(response: HttpResponse, where: string): BotAnswer {
  try {
    const parsed: unknown = JSON.parse(response.body)
    if (typeof parsed === 'object' && parsed !== null) return parsed as BotAnswer
  } catch {
    // reported below
  }
  throw unexpected(`${where} answered HTTP ${response.status} without the Bot API's JSON.`)
}

async function botCall(
  base: string,
  method: string,
  token: string,
  call: ApiCall,
  context: OperationBudget,
): Promise<BotAnswer> {
  // The token is part of the path: only the origin is ever named in messages.
  const response = await callApi(`${base}/bot${token}/${method}`, call, context)
  const down = unavailable(response, base, 'Telegram')
  if (down) throw down
  return answerOf(response, base)
}

export const telegramOperations = defineOperations('telegram', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const token = secrets.bot_token ?? ''
    const call: ApiCall = {
      headers: { accept: 'application/json' },
      ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
    }
    const me = await botCall(base, 'getMe', token, call, context)
    if (me.ok !== true)
      throw failure(
        'authentication',
        `Telegram rejected the bot token (${(me.description ?? `error ${me.error_code ?? '?'}`).slice(0, 120)}).`,
        'Ask @BotFather for the current token (/token, or /revoke if it leaked) and rotate this connection.',
      )
    const username = field(me.result, 'username')
    const id = field(me.result, 'id')
    if (!id) throw unexpected(`${base} answered getMe without a bot.`)
    const identity = {
      label: username ? `@${username}` : id,
      details: { bot: id, ...(username ? { username } : {}) },
    }
    if (!config.chat_id) return { identity }
    const chat = await botCall(
      base,
      `getChat?chat_id=${encodeURIComponent(config.chat_id)}`,
      token,
      call,
      context,
    )
    if (chat.ok !== true) {
      const said = (chat.description ?? `error ${chat.error_code ?? '?'}`).slice(0, 120)
      throw failure(
        chat.error_code === 403 ? 'permission' : 'wrong-target',
        `the bot cannot reach the chat ${config.chat_id} (${said}).`,
        'Add the bot to the group or channel (channels: as an administrator), or have the user start a chat with it; then check the chat id.',
        identity,
      )
    }
    const title = field(chat.result, 'title') ?? field(chat.result, 'username') ?? config.chat_id
    return {
      identity: {
        ...identity,
        details: { ...identity.details, chat: title, chatType: field(chat.result, 'type') ?? '' },
      },
    }
  },
})

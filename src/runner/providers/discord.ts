import { DISCORD_WEBHOOK } from '../../shared/providers/discord'
import { callApi, errorMessage, field, okJson } from './https-check'
import { failure, unexpected } from './failure'
import { defineOperations } from './define-operations'

// Discord: a bot token reads its own user (GET /users/@me); a webhook reads itself (GET on the
// webhook returns its name and channel, and posts nothing). Both change nothing.

const API = 'https://discord.com/api/v10'

/** Discord's JSON code for a webhook that no longer exists, or whose token was regenerated. */
const UNKNOWN_WEBHOOK = '10015'

export const discordOperations = defineOperations('discord', {
  async verify({ config, secrets }, context) {
    const base = config.api_url ?? API
    const tls = config.ca_certificate ? { ca: config.ca_certificate } : {}
    if (config.credential === 'webhook') {
      const [, id = '', token = ''] = DISCORD_WEBHOOK.exec(secrets.webhook_url ?? '') ?? []
      const response = await callApi(
        `${base}/webhooks/${id}/${token}`,
        { headers: { accept: 'application/json' }, ...tls },
        context,
      )
      const remedy =
        'Copy the webhook URL again from Server Settings → Integrations → Webhooks (or create a new webhook) and rotate this connection.'
      if (response.status === 404 || response.status === 401) {
        let code: string | undefined
        try {
          code = field(JSON.parse(response.body), 'code')
        } catch {
          code = undefined
        }
        if (code === UNKNOWN_WEBHOOK || response.status === 401)
          throw failure(
            'authentication',
            'Discord does not know this webhook: it was deleted, or its URL was regenerated.',
            remedy,
          )
      }
      const webhook = okJson(response, base, {
        service: 'Discord',
        ...(errorMessage(response) ? { said: errorMessage(response) } : {}),
        authentication: remedy,
        permission: remedy,
      })
      const name = field(webhook, 'name')
      const channel = field(webhook, 'channel_id')
      if (!name && !channel) throw unexpected(`${base} answered without a webhook.`)
      return {
        identity: {
          label: `Webhook ${name ?? id}`,
          details: {
            webhook: id,
            ...(name ? { name } : {}),
            ...(channel ? { channel } : {}),
            ...(field(webhook, 'guild_id') ? { server: field(webhook, 'guild_id')! } : {}),
          },
        },
      }
    }
    const response = await callApi(
      `${base}/users/@me`,
      {
        headers: { authorization: `Bot ${secrets.bot_token}`, accept: 'application/json' },
        ...tls,
      },
      context,
    )
    const user = okJson(response, base, {
      service: 'Discord',
      ...(errorMessage(response) ? { said: errorMessage(response) } : {}),
      authentication: `Reset the token under discord.com/developers/applications → your application → Bot and rotate this connection.`,
      permission: 'Check that the bot is not disabled or quarantined in the Developer Portal.',
    })
    const id = field(user, 'id')
    const username = field(user, 'username')
    if (!id) throw unexpected(`${base} answered without a user.`)
    return {
      identity: {
        label: username ?? id,
        details: { id, ...(username ? { username } : {}), bot: String(user.bot === true) },
      },
    }
  },
})
